// Shared pieces of the reliability suite (fuzz, contention, abuse): the sizes
// (small in npm test, large under `npm run reliability`), the list of every
// operation the OpenAPI document declares, a fingerprint of everything a
// request may store, and what an error body must never contain.
import { env } from 'cloudflare:test';
import { inject } from 'vitest';
import { openApiDocument } from '../../src/server/app';
import type { client } from './api-client';

declare module 'vitest' {
  export interface ProvidedContext {
    reliabilitySizes: { fuzzRuns?: string; contention?: string; guesses?: string };
  }
}

const size = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};
const sizes = inject('reliabilitySizes') ?? {};
/** fast-check runs per operation (FUZZ_RUNS). */
export const FUZZ_RUNS = size(sizes.fuzzRuns, 200);
/** Concurrent token requests of one code and spends of one token (CONTENTION_SIZE). */
export const CONTENTION_SIZE = size(sizes.contention, 500);
/** Wrong codes from one client (GUESS_COUNT): by default a hundred past the per-address failure limit (300). */
export const GUESS_COUNT = size(sizes.guesses, 400);

export interface Operation {
  method: string;
  /** OpenAPI form, e.g. /api/v1/instruments/{id}. */
  path: string;
  params: { in: 'path' | 'query' | 'header'; name: string }[];
  /** Property names of the JSON body, when the operation takes one. */
  bodyProperties?: string[];
  key: string;
}

type Schema = { $ref?: string; properties?: Record<string, unknown> };

/** Every operation of the OpenAPI document, so a new route is fuzzed and checked without anyone listing it. */
export function operations(api: ReturnType<typeof client>): Operation[] {
  const doc = openApiDocument(api.app);
  const components = (doc.components?.schemas ?? {}) as Record<string, Schema>;
  const resolve = (s: Schema | undefined): Schema | undefined =>
    s?.$ref ? components[s.$ref.replace('#/components/schemas/', '')] : s;
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, raw] of Object.entries(item ?? {})) {
      const op = raw as {
        parameters?: { in: 'path' | 'query' | 'header'; name: string }[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      };
      const body = resolve(op.requestBody?.content?.['application/json']?.schema);
      ops.push({
        method: method.toUpperCase(),
        path,
        params: (op.parameters ?? []).map((p) => ({ in: p.in, name: p.name })),
        bodyProperties: op.requestBody ? Object.keys(body?.properties ?? {}) : undefined,
        key: `${method.toUpperCase()} ${path}`,
      });
    }
  }
  return ops;
}

/**
 * Everything a request can store, as one row: counters, row counts and the
 * mutable state of posts, messages and instruments. Rate-limit counters,
 * login failure counts and feed nonces are left out on purpose: counting a
 * refused request is their job.
 */
export async function stateFingerprint(): Promise<Record<string, unknown>> {
  const row = await env.DB.prepare(
    `SELECT
      (SELECT count(*) FROM responses) AS responses,
      (SELECT count(*) FROM redemptions) AS redemptions,
      (SELECT count(*) FROM spent_tokens) AS spentTokens,
      (SELECT count(*) FROM token_keys) AS tokenKeys,
      (SELECT coalesce(sum(count), 0) FROM tallies) AS tallies,
      (SELECT coalesce(sum(responses), 0) FROM turnout) AS turnout,
      (SELECT count(*) FROM codes) AS codes,
      (SELECT group_concat(s, ',') FROM (SELECT instrument || ':' || state AS s FROM instrument_states ORDER BY 1)) AS states,
      (SELECT count(*) FROM forum_threads) AS threads,
      (SELECT group_concat(s, ',') FROM (SELECT id || status || coalesce(hidden_reason, '') || reports || '/' || reviewed_reports AS s
        FROM forum_posts ORDER BY id)) AS posts,
      (SELECT count(*) FROM forum_reports) AS reports,
      (SELECT group_concat(s, ',') FROM (SELECT id || status || coalesce(length(reply), '') || coalesce(assignee, '') || updated_at AS s
        FROM messages ORDER BY id)) AS messages,
      (SELECT count(*) FROM message_notes) AS notes,
      (SELECT count(*) FROM message_events) AS messageEvents,
      (SELECT group_concat(s, ',') FROM (SELECT id || status || updated_at AS s FROM objections ORDER BY id)) AS objections,
      (SELECT count(*) FROM objection_events) AS objectionEvents,
      (SELECT count(*) FROM objection_credentials) AS credentials,
      (SELECT group_concat(s, ',') FROM (SELECT id || updated_at AS s FROM rectification_items ORDER BY id)) AS ledger,
      (SELECT count(*) FROM audit_log) AS audit,
      (SELECT count(*) FROM observer_sessions) AS sessions,
      (SELECT count(*) FROM observers) AS observers,
      (SELECT count(*) FROM feed_keys) AS feedKeys`,
  ).first();
  return row ?? {};
}

/**
 * What an error body must never show: a stack frame, a source path, an
 * exception name, SQL or D1 internals.
 */
export const INTERNALS =
  /\bat \S+ \(|\bat [\w.<>]+:\d+|\.ts\b|\.js:\d|\b\w*Error:|D1_|SQLITE|sqlite|SELECT |INSERT |UPDATE |node_modules|\/src\/|workerd/;
