// Demo responses, submitted through the real API (the Hono app in Node, bound
// to the local D1 by wrangler's platform proxy: scripts/lib/d1.ts), so demo tallies, turnout and
// receipts are made exactly as production makes them: a coded response takes a
// blind-signed token with its code, then spends it in a separate request, as
// the island does. Demo keys are created first where missing. Deterministic
// answers from a seeded generator; the clock is pinned inside each window.
import type { RuntimeCatalog } from '../../src/domain/catalog';
import { scopedSubjects, UNKNOWN } from '../../src/domain/instrument';
import type { Instrument } from '../../src/domain/schemas/instrument';
import type { Question } from '../../src/domain/schemas/question';
import { blindToken, finalizeToken } from '../../src/lib/participate/token';
import { codeScopes } from '../../src/server/db/admin/codes';
import { turnoutOf } from '../../src/server/db/admin/tallies';
import type { Bindings, Database } from '../../src/server/env';
import { DUMMY_TOKEN } from '../../src/server/guards/turnstile';
import { ensureTokenKeys, keySlots } from './token-keys';

/** mulberry32: a tiny seeded generator, enough for plausible demo answers. */
function rng(seed: string) {
  let a = [...seed].reduce((h, ch) => Math.imul(h ^ ch.charCodeAt(0), 2654435761) >>> 0, 1779033703);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMENTS = [
  '办事效率明显提高, 希望继续保持。',
  '窗口人员态度较好, 但等候时间偏长。',
  '建议进一步公开办事流程和时限。',
];

/** Mostly favourable, as real ballots are: the first option is the best one. */
function answerFor(q: Question, r: () => number): string | string[] | undefined {
  if (q.type === 'choice') {
    const x = r();
    const i = x < 0.72 ? 0 : x < 0.94 ? 1 : Math.min(2, q.options.length - 1);
    return q.options[Math.min(i, q.options.length - 1)]?.id;
  }
  if (q.type === 'multi') {
    const max = q.max ?? q.options.length;
    const want = q.min + Math.floor(r() * (Math.min(max, q.min + 2) - q.min + 1));
    if (want === 0 && r() < 0.85) return undefined;
    const shuffled = [...q.options].sort(() => r() - 0.5);
    return shuffled.slice(0, Math.max(want, q.min)).map((o) => o.id);
  }
  if (!q.required && r() < 0.8) return undefined;
  return COMMENTS[Math.floor(r() * COMMENTS.length)]?.slice(0, q.maxLength);
}

/**
 * A plausible response. `scope`: a targeted code's subjects (定点定向; the
 * others are left alone); `unknownRate`: how often a subject is answered
 * 不了解 where the instrument offers it (its other questions then stay empty).
 */
export function demoAnswers(
  inst: Instrument,
  seed: string,
  opts: { scope?: string | null; unknownRate?: number } = {},
) {
  const r = rng(seed);
  const only = scopedSubjects(inst, opts.scope);
  const unknown = new Set<string>();
  const out: Record<string, string | string[]> = {};
  for (const q of inst.questions) {
    if (q.subject && only && !only.has(q.subject.id)) continue;
    if (q.role === 'unknown') {
      if (r() < (opts.unknownRate ?? 0)) {
        unknown.add(q.subject?.id as string);
        out[q.id] = [UNKNOWN];
      }
      continue;
    }
    if (q.subject && unknown.has(q.subject.id)) continue;
    const a = answerFor(q, r);
    if (a !== undefined) out[q.id] = a;
  }
  return out;
}

export interface DemoPlan {
  instrument: string;
  /** The rater category of the codes (or 'public'). */
  category: string;
  /** 定点定向: the codes' scope ('*' or the subjects, sorted and comma-joined). */
  scope?: string;
  /** The instant the demo pretends the responses were given (inside the window). */
  at: string;
  codes?: string[];
  /** Public instruments: how many anonymous responses. */
  count?: number;
}

/** Submit every planned response; a code that already answered gets 409 and is skipped (idempotent). */
export async function submitDemoResponses(catalog: RuntimeCatalog, plans: DemoPlan[], db: Database, env: Bindings) {
  // Imported here, not at the top: the app reads src/generated/catalog.json, which the build (or the content
  // check) writes, and on a fresh clone `npm start` loads this module before it has built anything.
  const { createApp } = await import('../../src/server/app');
  let stored = 0;
  const bindings = { ...env, TURNSTILE_MODE: 'test', TURNSTILE_SECRET_KEY: '1x0000000000000000000000000000000AA' };
  if (!env.TOKEN_KEY_SECRET) throw new Error('.dev.vars has no TOKEN_KEY_SECRET');
  const made = await ensureTokenKeys(db, env.TOKEN_KEY_SECRET, keySlots(catalog, undefined, await codeScopes(db)));
  if (made.length > 0) {
    console.log(`已生成演示令牌密钥 ${made.length} 对 (每个测评 × 评价人类别 × 定点定向范围一对)`);
  }
  // Responses the plans so far expect per instrument and category (several targeted batches share a category).
  const expected = new Map<string, number>();
  for (const plan of plans) {
    const inst = catalog.instruments.find((i) => i.id === plan.instrument);
    if (!inst) throw new Error(`demo plan names unknown instrument ${plan.instrument}`);
    const app = createApp({ catalog, now: () => new Date(plan.at) });
    // Seeded before: skip (public answers carry no code and would be added twice; coded ones would all be 409).
    const slot = `${inst.id}\n${plan.category}`;
    expected.set(slot, (expected.get(slot) ?? 0) + (plan.codes?.length ?? 1));
    if ((await turnoutOf(db, inst.id, plan.category)) >= (expected.get(slot) ?? 0)) continue;
    const scope = plan.scope ?? '*';
    const post = (path: string, body: unknown, i: number) =>
      app.request(
        path,
        {
          method: 'POST',
          // A distinct demo address per response keeps the per-address limits out of the way.
          headers: { 'content-type': 'application/json', 'cf-connecting-ip': `10.99.${i >> 8}.${i & 255}` },
          body: JSON.stringify(body),
        },
        bindings,
      );
    const spki =
      inst.access === 'code'
        ? (
            (await (await app.request(`/api/v1/instruments/${inst.id}/token-key`, {}, bindings)).json()) as {
              keys: { raterCategory: string; scope: string; spki: string }[];
            }
          ).keys.find((k) => k.raterCategory === plan.category && k.scope === scope)?.spki
        : undefined;
    if (inst.access === 'code' && !spki) throw new Error(`no token key for ${inst.id} / ${plan.category} / ${scope}`);
    const responses = `/api/v1/instruments/${inst.id}/responses`;
    // External raters sometimes do not know a subject (不了解); a targeted code answers about its own subjects only.
    const answers = (i: number) =>
      demoAnswers(inst, `${inst.id}/${scope}/${i}`, { scope, unknownRate: scope === '*' ? 0.08 : 0 });
    const refused = async (r: Response) => {
      throw new Error(`demo response to ${inst.id} refused: ${r.status} ${await r.text()}`);
    };
    const send = async (code: string | undefined, i: number) => {
      if (code === undefined) {
        const r = await post(responses, { turnstileToken: DUMMY_TOKEN, answers: answers(i) }, i);
        if (r.status === 201) stored++;
        else await refused(r);
        return;
      }
      const state = await blindToken(inst.id, plan.category, spki as string, scope);
      const issued = await post(
        `/api/v1/instruments/${inst.id}/tokens`,
        { code, turnstileToken: DUMMY_TOKEN, blindedMsg: state.blindedMsg },
        i,
      );
      if (issued.status === 409) return; // this code took its token on an earlier run
      if (issued.status !== 201) return refused(issued);
      const token = await finalizeToken(state, ((await issued.json()) as { blindSig: string }).blindSig);
      // The spend comes from another address, as it would from a phone that changed networks.
      const r = await post(responses, { token, answers: answers(i) }, i + 4096);
      if (r.status === 201) stored++;
      else await refused(r);
    };
    const senders = plan.codes ?? Array.from({ length: plan.count ?? 0 }, () => undefined);
    // A few at a time: the time goes into the proxy hop and the blinding, not into D1.
    for (let i = 0; i < senders.length; i += 8) {
      await Promise.all(senders.slice(i, i + 8).map((code, j) => send(code, i + j)));
    }
  }
  return stored;
}
