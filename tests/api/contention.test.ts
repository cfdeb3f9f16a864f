// Double use under contention, at the size of a deputies' session: hundreds
// of simultaneous token requests of one code, hundreds of spends of one token,
// and many tokens each sent many times at once. The database refuses every use
// after the first (the redemptions and spent_tokens primary keys), and the counters
// still equal a recount of the stored responses. CONTENTION_SIZE sets the
// size (500 by default, the same in npm test and `npm run reliability`).
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiError } from '../../src/domain/schemas/api';
import { submitResponse } from '../../src/domain/schemas/participation';
import type { SpendToken } from '../../src/domain/schemas/token';
import { client, randomBlinded, requestToken, spend, takeToken } from '../support/api-client';
import {
  ballotAnswers,
  catalog,
  ensureTokenKeys,
  expectCountersMatchRecount,
  issue,
  NOW,
  snapshot,
} from '../support/api-fixtures';
import { CONTENTION_SIZE } from '../support/reliability';

const api = client({ catalog, now: () => NOW });
/** A distinct address per request, so the per-address limit (120 a minute) never answers first. */
const from = (i: number) => ({ 'cf-connecting-ip': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });

async function statuses(responses: Response[]) {
  const seen: Record<number, number> = {};
  for (const r of responses) {
    seen[r.status] = (seen[r.status] ?? 0) + 1;
    if (r.status === 201) submitResponse.parse(await r.json());
    else expect(apiError.parse(await r.json()).error.code).toBe('already_answered');
  }
  return seen;
}

beforeAll(ensureTokenKeys);

describe(`double use under contention (${CONTENTION_SIZE} at once)`, () => {
  it(`${CONTENTION_SIZE} concurrent token requests of one code: exactly one 201, the rest 409`, async () => {
    const [code] = await issue('party_deputy');
    const before = await snapshot();
    const results = await Promise.all(
      Array.from({ length: CONTENTION_SIZE }, (_, i) =>
        requestToken(api, 'ballot-t', { code: code as string, blindedMsg: randomBlinded() }, from(i)),
      ),
    );
    const seen: Record<number, number> = {};
    for (const r of results) {
      seen[r.status] = (seen[r.status] ?? 0) + 1;
      if (r.status !== 201) expect(apiError.parse(await r.json()).error.code).toBe('token_already_issued');
    }
    expect(seen).toEqual({ 201: 1, 409: CONTENTION_SIZE - 1 });
    expect(await snapshot()).toEqual({ ...before, redemptions: before.redemptions + 1 });
  }, 60_000);

  it(`${CONTENTION_SIZE} concurrent spends of one token: exactly one 201, the rest 409, counters equal a recount`, async ({
    task,
  }) => {
    const [code] = await issue('party_deputy');
    const { token } = await takeToken(api, 'ballot-t', code as string);
    if (!token) throw new Error('no token');
    const before = await snapshot();
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: CONTENTION_SIZE }, (_, i) =>
        // Different answers, so a second stored response would show in the tallies.
        spend(api, 'ballot-t', token, ballotAnswers(['good', 'fair', 'poor'][i % 3]), from(i)),
      ),
    );
    const ms = Math.round(performance.now() - started);
    expect(await statuses(results)).toEqual({ 201: 1, 409: CONTENTION_SIZE - 1 });
    const after = await snapshot();
    expect(after.responses - before.responses).toBe(1);
    expect(after.spentTokens - before.spentTokens).toBe(1);
    expect(after.turnout - before.turnout).toBe(1);
    await expectCountersMatchRecount();
    task.meta.contention = { requests: CONTENTION_SIZE, codes: 1, accepted: 1, refused: CONTENTION_SIZE - 1, ms };
  }, 60_000);

  it(`${CONTENTION_SIZE} concurrent spends of ${CONTENTION_SIZE / 10} tokens, ten each, interleaved: one 201 per token`, async ({
    task,
  }) => {
    const codes = await issue('npc_deputy', CONTENTION_SIZE / 10);
    const tokens: SpendToken[] = [];
    for (const code of codes) {
      const t = await takeToken(api, 'ballot-t', code);
      if (!t.token) throw new Error('no token');
      tokens.push(t.token);
    }
    const before = await snapshot();
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: CONTENTION_SIZE }, (_, i) =>
        spend(
          api,
          'ballot-t',
          tokens[i % tokens.length] as SpendToken,
          ballotAnswers(i % 2 ? 'good' : 'poor'),
          from(i),
        ),
      ),
    );
    const ms = Math.round(performance.now() - started);
    expect(await statuses(results)).toEqual({ 201: tokens.length, 409: CONTENTION_SIZE - tokens.length });
    const after = await snapshot();
    expect(after.responses - before.responses).toBe(tokens.length);
    expect(after.spentTokens - before.spentTokens).toBe(tokens.length);
    // Every stored response carried a token, and no more were spent than issued.
    const counts = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM spent_tokens WHERE instrument = 'ballot-t') AS t, (SELECT count(*) FROM responses WHERE instrument = 'ballot-t') AS s, (SELECT count(*) FROM redemptions WHERE instrument = 'ballot-t') AS r",
    ).first<{ t: number; s: number; r: number }>();
    expect(counts?.t).toBe(counts?.s);
    expect(counts?.t).toBeLessThanOrEqual(counts?.r ?? 0);
    await expectCountersMatchRecount();
    task.meta.contention = {
      requests: CONTENTION_SIZE,
      codes: tokens.length,
      accepted: tokens.length,
      refused: CONTENTION_SIZE - tokens.length,
      ms,
    };
  }, 120_000);
});

declare module 'vitest' {
  interface TaskMeta {
    contention?: { requests: number; codes: number; accepted: number; refused: number; ms: number };
  }
}
