// A small catalog with fixed windows and a fixed clock, so API tests do not
// depend on the demo content or on today's date.
import { env } from 'cloudflare:test';
import { drizzle } from 'drizzle-orm/d1';
import { expect } from 'vitest';
import type { RuntimeCatalog } from '../../src/domain/catalog';
import {
  checkCharacter,
  formatCode,
  generateCode,
  hashCode,
  normaliseCrockford,
  RANDOM_LENGTH,
} from '../../src/domain/code';
import { signFeedRequest } from '../../src/domain/feed';
import { coversInstrument, expandInstrument } from '../../src/domain/instrument';
import { feedBody } from '../../src/domain/schemas/feed';
import { instrumentSource } from '../../src/domain/schemas/instrument';
import { countKey, recount } from '../../src/domain/tally';
import { scopeOf } from '../../src/domain/token';
import { createTokenKey } from '../../src/server/auth/token-keys';
import * as schema from '../../src/server/db/schema/index';
import { insertTokenKeys } from '../../src/server/db/tokens';
import { feedKeySecret } from '../../src/server/middleware/feed-auth';
import type { client } from './api-client';

export const NOW = new Date('2026-11-23T02:00:00Z');
const open = { opensAt: '2026-11-20T08:00:00+08:00', closesAt: '2026-12-20T18:00:00+08:00' };

const sources = [
  {
    id: 'ballot-t',
    appraisal: 'test-2026',
    kind: 'ballot',
    title: '测试民主测评',
    access: 'code',
    raterCategories: ['party_deputy', 'npc_deputy'],
    categoryWeights: { party_deputy: 60, npc_deputy: 40 },
    gradeScores: { good: 100, fair: 60, poor: 0 },
    share: 20,
    // Scores from a handful of test ballots (the demo's default is 5).
    minKnown: 1,
    ...open,
    subjectKind: 'group',
    subjects: ['unit-a', 'unit-b'],
    items: [
      { id: 'i1', category: '思想', label: '政治素质' },
      { id: 'i2', category: '能力', label: '领导能力' },
    ],
    problems: [
      { id: 'p1', label: '内部管理混乱' },
      { id: 'p2', label: '工作思路不清' },
    ],
  },
  {
    id: 'q-public',
    appraisal: 'test-2026',
    kind: 'questionnaire',
    title: '公开问卷',
    access: 'public',
    tallyPolicy: 'public',
    ...open,
    questions: [
      {
        id: 'q1',
        type: 'choice',
        label: '总体印象',
        options: [
          { id: 'a', label: '好' },
          { id: 'b', label: '差' },
        ],
      },
      {
        id: 'q2',
        type: 'multi',
        label: '最关心',
        min: 1,
        max: 2,
        options: [
          { id: 'x', label: 'X' },
          { id: 'y', label: 'Y' },
          { id: 'z', label: 'Z' },
        ],
      },
      { id: 'q3', type: 'text', label: '建议', required: false, maxLength: 10 },
    ],
  },
  {
    id: 'closed-t',
    appraisal: 'test-2026',
    kind: 'rating',
    title: '已截止评议',
    access: 'code',
    raterCategories: ['npc_deputy'],
    opensAt: '2026-02-20T08:00:00+08:00',
    closesAt: '2026-02-28T18:00:00+08:00',
    subjects: ['unit-a'],
  },
  {
    id: 'rating-t',
    appraisal: 'test-2026',
    kind: 'rating',
    title: '进行中评议',
    access: 'code',
    raterCategories: ['npc_deputy'],
    ...open,
    subjects: ['unit-a'],
  },
  {
    // 定点定向 and 不了解: service recipients rate the units that served them (targeted codes),
    // deputies rate all three; either may answer 不了解 about a unit.
    id: 'rating-multi-t',
    appraisal: 'test-2026',
    kind: 'rating',
    title: '定点定向评议',
    access: 'code',
    raterCategories: ['npc_deputy', 'service_recipient'],
    categoryWeights: { npc_deputy: 40, service_recipient: 60 },
    gradeScores: { satisfied: 100, basically: 80, unsatisfied: 0 },
    minKnown: 2,
    validity: { minTurnout: { npc_deputy: 50 } },
    ...open,
    subjects: ['unit-a', 'unit-b', 'unit-c'],
  },
  {
    id: 'future-t',
    appraisal: 'test-2026',
    kind: 'vote',
    title: '未开始投票',
    access: 'code',
    raterCategories: ['npc_deputy'],
    opensAt: '2027-01-05T08:00:00+08:00',
    closesAt: '2027-01-31T18:00:00+08:00',
    prompt: '选出',
    candidates: [
      { id: 'c1', label: '甲' },
      { id: 'c2', label: '乙' },
    ],
    max: 1,
  },
];

export const catalog: RuntimeCatalog = {
  appraisals: [],
  units: [],
  officials: [],
  instruments: sources.map((s) => expandInstrument(instrumentSource.parse(s))),
  calendar: { holidays: [], workdays: [] },
};

/** A complete, valid ballot answer; `grade` for every item. */
export function ballotAnswers(grade = 'good', extra: Record<string, string | string[]> = {}) {
  const a: Record<string, string | string[]> = {};
  for (const s of ['unit-a', 'unit-b']) for (const i of ['i1', 'i2']) a[`${s}.${i}`] = grade;
  return { ...a, ...extra };
}

export const TOKEN = 'XXXX.DUMMY.TOKEN.XXXX';

let keysMade: Promise<unknown> | undefined;
/** The blind-signing keys of every code instrument of the fixture catalog, made once per test file (fresh D1). */
export function ensureTokenKeys() {
  keysMade ??= (async () => {
    const rows = [];
    for (const inst of catalog.instruments.filter((i) => i.access === 'code')) {
      for (const category of inst.raterCategories) {
        rows.push({ ...(await createTokenKey(env.TOKEN_KEY_SECRET, inst.id, category)), createdOn: '2026-11-15' });
      }
    }
    await insertTokenKeys(drizzle(env.DB, { schema }), rows);
  })();
  return keysMade;
}

/** The rater category and scope of each code issued by `issue`, so helpers can pick the right key. */
export const categoryOf = new Map<string, string>();
export const scopeOfCode = new Map<string, string>();

const scopeKeys = new Map<string, Promise<unknown>>();
/** The keys a targeted scope needs (as `npm run codes -- issue --subjects` makes them): every instrument it covers. */
function ensureScopeKeys(category: string, scope: string) {
  const name = `${category}\n${scope}`;
  let made = scopeKeys.get(name);
  if (!made) {
    made = (async () => {
      await ensureTokenKeys();
      const rows = [];
      for (const inst of catalog.instruments) {
        if (inst.access !== 'code' || !inst.raterCategories.includes(category) || !coversInstrument(inst, scope))
          continue;
        rows.push({
          ...(await createTokenKey(env.TOKEN_KEY_SECRET, inst.id, category, scope)),
          createdOn: '2026-11-15',
        });
      }
      if (rows.length > 0) await insertTokenKeys(drizzle(env.DB, { schema }), rows);
    })();
    scopeKeys.set(name, made);
  }
  return made;
}

let n = 0;
/** Issue codes straight into D1 (hashes only), as the CLI does; `subjects` makes a targeted batch (定点定向). */
export async function issue(
  category: string,
  count = 1,
  opts: { appraisal?: string; revoked?: boolean; subjects?: string[] } = {},
) {
  const scope = scopeOf(opts.subjects);
  if (scope !== '*') await ensureScopeKeys(category, scope);
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    const code = generateCode();
    codes.push(code);
    categoryOf.set(normaliseCrockford(code), category);
    scopeOfCode.set(normaliseCrockford(code), scope);
    await env.DB.prepare(
      'INSERT INTO codes (hash, appraisal, rater_category, batch, issued_on, revoked_on, scope) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)',
    )
      .bind(
        await hashCode(env.CODE_PEPPER as string, code),
        opts.appraisal ?? 'test-2026',
        category,
        `b${n++}`,
        '2026-11-15',
        opts.revoked ? '2026-11-20' : null,
        scope,
      )
      .run();
  }
  return codes;
}

/** A well-formed code (right check character) that starts with the given group and was never issued. */
export function codeWithPrefix(prefix: string): string {
  const rest = normaliseCrockford(generateCode()).slice(prefix.length, RANDOM_LENGTH);
  const body = normaliseCrockford(prefix) + rest;
  return formatCode(body + checkCharacter(body));
}

/** Row counts of everything a submission may write. */
export async function snapshot() {
  const count = async (t: string) =>
    (await env.DB.prepare(`SELECT count(*) AS n FROM ${t}`).first<{ n: number }>())?.n ?? 0;
  const sum = async (t: string, col: string) =>
    (await env.DB.prepare(`SELECT coalesce(sum(${col}), 0) AS n FROM ${t}`).first<{ n: number }>())?.n ?? 0;
  return {
    responses: await count('responses'),
    redemptions: await count('redemptions'),
    spentTokens: await count('spent_tokens'),
    tallies: await sum('tallies', 'count'),
    turnout: await sum('turnout', 'responses'),
  };
}

/** Tallies and turnout of ballot-t equal a recount of its stored responses; returns the tallies. */
export async function expectCountersMatchRecount(): Promise<Map<string, number>> {
  const inst = catalog.instruments.find((i) => i.id === 'ballot-t');
  if (!inst) throw new Error('fixture');
  const { results: rows } = await env.DB.prepare(
    "SELECT rater_category, answers FROM responses WHERE instrument = 'ballot-t'",
  ).all<{ rater_category: string; answers: string }>();
  const expected = recount(
    inst,
    rows.map((r) => ({ raterCategory: r.rater_category, answers: JSON.parse(r.answers) })),
  );
  const { results: tallies } = await env.DB.prepare(
    "SELECT question, option, rater_category, count FROM tallies WHERE instrument = 'ballot-t'",
  ).all<{ question: string; option: string; rater_category: string; count: number }>();
  const { results: turnout } = await env.DB.prepare(
    "SELECT rater_category, responses FROM turnout WHERE instrument = 'ballot-t'",
  ).all<{ rater_category: string; responses: number }>();
  const actual = new Map(tallies.map((t) => [countKey(t.question, t.option, t.rater_category), t.count]));
  expect(actual).toEqual(expected.counts);
  expect(new Map(turnout.map((t) => [t.rater_category, t.responses]))).toEqual(expected.turnout);
  return actual;
}

/**
 * One instrument's exact figures from the internal feed after close: what the
 * appraisal system receives. The public tally hides the small cells of a few
 * test ballots, so tests of the arithmetic read these.
 */
export async function exactTally(via: ReturnType<typeof client>, instrument: string) {
  await env.DB.prepare("INSERT OR IGNORE INTO feed_keys VALUES ('k1', '内部考核系统', 'fp', '2026-11-01', NULL)").run();
  const secret = await feedKeySecret(env.FEED_KEY_SECRET as string, 'k1');
  const url = 'http://localhost/api/v1/feed/appraisals/test-2026/tallies';
  const headers = await signFeedRequest({ keyId: 'k1', secret, method: 'GET', url, now: new Date() });
  const r = await via.app.request(url, { headers }, env);
  expect(r.status).toBe(200);
  const found = feedBody.parse(await r.json()).instruments.find((i) => i.id === instrument);
  if (!found) throw new Error(`${instrument} missing from the feed`);
  return found;
}
