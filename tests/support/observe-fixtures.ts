// Fixtures of the forum, opinion-box and console tests: a catalog with
// appraisals in each forum mode, observer accounts made straight in D1, and a
// client that logs in and sends the cookie, the Origin and the CSRF token as
// the console does.
import { env } from 'cloudflare:test';
import { drizzle } from 'drizzle-orm/d1';
import { expect } from 'vitest';
import type { RuntimeCatalog } from '../../src/domain/catalog';
import { generateCredential, hashCredential } from '../../src/domain/objection';
import type { Appraisal } from '../../src/domain/schemas/appraisal';
import { sessionBody } from '../../src/domain/schemas/observer-account';
import { hashPassword } from '../../src/server/auth/password';
import { issueObjectionCredentials } from '../../src/server/db/admin/objection-credentials';
import { client } from './api-client';
import { catalog as baseCatalog, NOW, TOKEN } from './api-fixtures';

export { NOW, TOKEN };

const phases = (year: number): Appraisal['phases'] => ({
  notice: { start: `${year}-11-16`, end: `${year}-11-30` },
  publicity: { start: `${year}-11-25`, end: `${year}-12-10` },
  opinion: { start: `${year}-11-20`, end: `${year}-12-20` },
  fieldwork: { start: `${year}-12-07`, end: `${year}-12-18` },
  results: { start: `${year + 1}-01-15`, end: `${year + 1}-01-21` },
  objectionDeadline: `${year + 1}-01-25`,
});

/** The rater categories of the test appraisals (content lists them per appraisal). */
const raterCategories = [
  { id: 'leader_member', label: '本单位班子成员', group: 'internal' },
  { id: 'middle_manager', label: '中层干部', group: 'internal' },
  { id: 'party_deputy', label: '党代表', group: 'external' },
  { id: 'npc_deputy', label: '人大代表', group: 'external' },
  { id: 'cppcc_member', label: '政协委员', group: 'external' },
  { id: 'service_recipient', label: '服务对象', group: 'external' },
  { id: 'public', label: '社会公众', group: 'public' },
] as const satisfies RuntimeCatalog['appraisals'][number]['raterCategories'];

export const catalog: RuntimeCatalog = {
  ...baseCatalog,
  appraisals: [
    // Pre-moderated, no code (the demo's settings).
    {
      id: 'test-2026',
      year: 2026,
      title: '测试考核',
      forum: { moderation: 'pre', requireCode: false, reportThreshold: 3 },
      phases: phases(2026),
      raterCategories: [...raterCategories],
      messages: { replyWorkingDays: 15 },
      objection: { days: 10, acceptWorkingDays: 5, answerWorkingDays: 15 },
      // Its tallies were published on 11-20: the objection window is open at NOW.
      resultsOn: '2026-11-20',
    },
    // Post-moderated, code required, two reports hide a post.
    {
      id: 'open-2026',
      year: 2026,
      title: '先发后审考核',
      forum: { moderation: 'post', requireCode: true, reportThreshold: 2 },
      phases: phases(2026),
      raterCategories: [...raterCategories],
      messages: { replyWorkingDays: 15 },
      objection: { days: 10, acceptWorkingDays: 5, answerWorkingDays: 15 },
      resultsOn: null,
    },
    // Its opinion phase is over.
    {
      id: 'old-2025',
      year: 2025,
      title: '往年考核',
      forum: { moderation: 'post', requireCode: false, reportThreshold: 3 },
      phases: phases(2025),
      raterCategories: [...raterCategories],
      messages: { replyWorkingDays: 15 },
      objection: { days: 10, acceptWorkingDays: 5, answerWorkingDays: 15 },
      resultsOn: null,
    },
  ],
  units: [
    { id: 'unit-a', name: '甲局', category: 'economic' },
    { id: 'unit-b', name: '乙局', category: 'economic' },
    { id: 'unit-c', name: '丙局', category: 'party' },
  ],
  officials: [{ id: 'off-a1', name: '张三', post: '局长', unit: 'unit-a' }],
};

export const api = client({ catalog, now: () => NOW });
export const ORIGIN = 'http://localhost';
export const PASSWORD = 'correct horse battery staple';

let seq = 0;
/** An observer account straight in D1 (what `npm run observers -- add` writes). */
export async function makeObserver(
  role: 'observer' | 'lead',
  units: string[] = [],
  opts: { username?: string; password?: string; disabled?: boolean } = {},
) {
  const id = crypto.randomUUID();
  const username = opts.username ?? `${role}-${seq++}-${id.slice(0, 6)}`;
  await env.DB.prepare(
    'INSERT INTO observers (id, username, display_name, role, password_hash, disabled, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)',
  )
    .bind(
      id,
      username,
      `观察员${seq}`,
      role,
      await hashPassword(opts.password ?? PASSWORD),
      opts.disabled ? 1 : 0,
      '2026-11-01T00:00:00Z',
    )
    .run();
  for (const u of units) {
    await env.DB.prepare('INSERT INTO observer_units (observer, unit) VALUES (?1, ?2)').bind(id, u).run();
  }
  return { id, username };
}

export function login(
  username: string,
  password = PASSWORD,
  headers: Record<string, string> = {},
  via: ReturnType<typeof client> = api,
) {
  return via.json('/api/v1/observe/login', { username, password }, { headers: { origin: ORIGIN, ...headers } });
}

export type Session = Awaited<ReturnType<typeof signIn>>;

/** Log in and return a client that behaves like the console (cookie, Origin, X-CSRF-Token). */
export async function signIn(who: { username: string }, via: ReturnType<typeof client> = api) {
  const r = await login(who.username, PASSWORD, {}, via);
  expect(r.status).toBe(200);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const session = sessionBody.parse(await r.json());
  const headers = { cookie, origin: ORIGIN, 'x-csrf-token': session.csrfToken };
  return {
    cookie,
    session,
    headers,
    get: (path: string, extra: Record<string, string> = {}) => via.request(path, { headers: { ...headers, ...extra } }),
    post: (path: string, payload: unknown = {}, extra: Record<string, string> = {}) =>
      via.json(path, payload, { headers: { ...headers, ...extra } }),
  };
}

let threadSeq = 0;
/**
 * Start a thread as a resident would; returns the ids and status. Each call
 * sends a text of its own (the same text twice in a day is refused as a duplicate).
 */
export async function startThread(
  fields: Partial<{
    appraisal: string;
    unit: string;
    title: string;
    body: string;
    displayName: string;
    code: string;
  }> = {},
  headers: Record<string, string> = {},
) {
  return api.json(
    '/api/v1/forum/threads',
    {
      appraisal: 'test-2026',
      title: '关于办事窗口的建议',
      body: `窗口排队时间较长, 建议增加周末服务 (${++threadSeq})。`,
      displayName: '城关居民',
      turnstileToken: TOKEN,
      ...fields,
    },
    { headers },
  );
}

export async function sendMessage(fields: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return api.json(
    '/api/v1/messages',
    { appraisal: 'test-2026', body: '反映某局办事拖沓的问题, 请核实。', turnstileToken: TOKEN, ...fields },
    { headers },
  );
}

export async function count(table: string, where = '1') {
  return (await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).first<{ n: number }>())?.n ?? 0;
}

/**
 * An objection credential stored as `npm run codes -- objection` stores it
 * (a new one retires the subject's earlier one); returns the plain credential.
 */
export async function objectionCredential(
  appraisal: string,
  kind: 'unit' | 'group' | 'official',
  id: string,
  unit = id,
) {
  const credential = generateCredential();
  await issueObjectionCredentials(drizzle(env.DB), [
    {
      hash: await hashCredential(env.CODE_PEPPER as string, credential),
      appraisal,
      subjectKind: kind,
      subjectId: id,
      unit,
      issuedOn: '2026-11-20',
    },
  ]);
  return credential;
}

/** A message as a resident sends it, answered by a lead: its tracking number and id. */
export async function answeredMessage(
  fields: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  via: ReturnType<typeof client> = api,
) {
  const r = await via.json(
    '/api/v1/messages',
    { appraisal: 'test-2026', body: '反映某局办事拖沓的问题, 请核实。', turnstileToken: TOKEN, ...fields },
    { headers: { 'cf-connecting-ip': `203.0.113.${(seq++ % 200) + 1}`, ...headers } },
  );
  expect(r.status).toBe(201);
  const { tracking } = (await r.json()) as { tracking: string };
  const row = await env.DB.prepare('SELECT id FROM messages ORDER BY rowid DESC LIMIT 1').first<{ id: string }>();
  const id = row?.id as string;
  const lead = await signIn(await makeObserver('lead'), via);
  expect((await lead.post(`/api/v1/observe/messages/${id}/reply`, { text: '经核实已整改, 特此答复。' })).status).toBe(
    200,
  );
  return { tracking, id, lead };
}
