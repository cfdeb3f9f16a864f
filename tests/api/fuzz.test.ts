// Property-based fuzzing of every operation in the OpenAPI document: bodies,
// path parameters, query strings and headers, from random JSON and raw text
// to valid requests with one field broken, prototype-pollution keys, huge and
// exotic strings. Whatever arrives: never a 5xx, every error in the one shape
// with nothing internal in it, nothing stored by a refused request, GETs
// store nothing at all, and Object.prototype stays clean.
// FUZZ_RUNS sets the cases per operation (200 in npm test; thousands under
// `npm run reliability`, which also reads the status counts from task.meta).
import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatSerial } from '../../src/domain/ballot-serial';
import { signFeedRequest } from '../../src/domain/feed';
import { apiError } from '../../src/domain/schemas/api';
import { messageStatuses } from '../../src/domain/schemas/message';
import { feedKeySecret } from '../../src/server/middleware/feed-auth';
import { randomBlinded, takeToken } from '../support/api-client';
import { ballotAnswers, issue } from '../support/api-fixtures';
import {
  answeredMessage,
  api,
  makeObserver,
  ORIGIN,
  objectionCredential,
  PASSWORD,
  sendMessage,
  startThread,
  TOKEN,
} from '../support/observe-fixtures';
import { FUZZ_RUNS, INTERNALS, type Operation, operations, stateFingerprint } from '../support/reliability';

const OPS = operations(api);
const POLLUTION = 'polluted_by_fuzz';

// ---- values -------------------------------------------------------------

const SPECIAL_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u202e\u200b\ufeff',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE responses; --",
  '%00',
  '%',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'prototype',
  '{{7*7}}$\u007b7*7}',
  'ABCD-EFGH-JKMN-P',
  'XXXX.DUMMY.TOKEN.XXXX',
  '\ud800',
  '😀👨‍👩‍👧‍👦',
  'NaN',
  'null',
  '-1',
  '1e999',
  '0x10',
  'true',
  '2026-13-45',
  '\r\n\r\nHTTP/1.1 200 OK',
];

const hugeString = fc.oneof(
  fc.integer({ min: 1, max: 6000 }).map((n) => '字'.repeat(n)),
  fc.integer({ min: 20_000, max: 70_000 }).map((n) => 'x'.repeat(n)),
);

const nastyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 1, arbitrary: hugeString },
);

const nastyKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '', 'toString', 'hasOwnProperty', 'answers', 'code'),
  fc.string({ maxLength: 12 }),
);

/** Any JSON value, with a bias to strings that break things. */
const nastyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: nastyString },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.constantFrom(0, -0, -1, 1.5, 2 ** 53 + 1, 1e308, -1e308) },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(nastyKey, tie('value'), { maxKeys: 4 }) },
  ),
})).value;

/** Texts that are not (quite) JSON: truncated, wrong literals, deep nesting, a BOM. */
const rawText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('{', '[', '{"a":', '{"a":}', 'null', 'true', '"x"', '1e999', '\ufeff{}', '{"a":1,"a":2}', "{'a':1}"),
  fc.integer({ min: 100, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 100, max: 10_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
);

const headerValue = fc.oneof(
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[\r\n\0]/g, '')),
  fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
  fc.constantFrom(...SPECIAL_STRINGS.filter((s) => /^[\x20-\x7e]*$/.test(s))),
);

// ---- requests ------------------------------------------------------------

type Json = Record<string, unknown>;
interface Fixtures {
  pools: Record<string, string[]>;
  seeds: Record<string, Json[]>;
  session: Record<string, string>;
  feedSecret: string;
}
let fx: Fixtures;

const pathParamPool = (op: Operation, name: string): string[] => {
  const p = op.path;
  if (name === 'receipt') return fx.pools.receipt ?? [];
  if (name === 'appraisal' || p.startsWith('/api/v1/feed/')) return ['test-2026', 'open-2026', 'old-2025'];
  if (p.startsWith('/api/v1/observe/instruments/')) return ['future-t', 'closed-t'];
  if (p.startsWith('/api/v1/instruments/')) return ['q-public', 'ballot-t', 'closed-t', 'future-t'];
  if (p.startsWith('/api/v1/forum/threads/')) return fx.pools.thread ?? [];
  if (p.startsWith('/api/v1/forum/posts/')) return fx.pools.reportedPost ?? [];
  if (p.startsWith('/api/v1/observe/posts/')) return fx.pools.pendingPost ?? [];
  if (p.startsWith('/api/v1/observe/messages/')) return fx.pools.message ?? [];
  if (p.startsWith('/api/v1/observe/objections/')) return fx.pools.objection ?? [];
  if (p.startsWith('/api/v1/observe/rectification/')) return fx.pools.ledger ?? [];
  if (p.startsWith('/api/v1/observe/meetings/')) return fx.pools.meeting ?? [];
  if (name === 'file') return ['rectification.json', 'message-stats.csv', 'objection-decisions.json'];
  return [];
};

const QUERY_POOLS: Record<string, string[]> = {
  appraisal: ['test-2026', 'open-2026', 'old-2025'],
  unit: ['unit-a', 'unit-c'],
  page: ['1', '2', '0', '-1', '1.5', '99999999999999999999'],
  queue: ['pending', 'reported', 'hidden'],
  scope: ['mine', 'all'],
  status: [...messageStatuses],
  format: ['json', 'csv'],
  since: ['', 'e30', 'bm9wZQ'],
  targetKind: ['post', 'message'],
  targetId: ['x'],
  overdue: ['true', 'false'],
};

const pathSegment = (op: Operation, name: string) => {
  const pool = pathParamPool(op, name);
  return fc.oneof(
    { weight: pool.length ? 4 : 0, arbitrary: pool.length ? fc.constantFrom(...pool) : fc.constant('x') },
    { weight: 3, arbitrary: nastyString.map((s) => encodeURIComponent(s.slice(0, 3000).toWellFormed())) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '..', '.', '%2e%2e', '%2F', ';', "'", 'a%2Fb'),
    },
  );
};

const queryString = (op: Operation) => {
  const names = op.params.filter((p) => p.in === 'query').map((p) => p.name);
  const documented = names.length
    ? fc
        .constantFrom(...names)
        .chain((n) => fc.tuple(fc.constant(n), fc.oneof(fc.constantFrom(...(QUERY_POOLS[n] ?? ['x'])), nastyString)))
    : fc.tuple(nastyKey, nastyString);
  const pairs = fc.array(
    fc.oneof({ weight: 3, arbitrary: documented }, { weight: 1, arbitrary: fc.tuple(nastyKey, nastyString) }),
    {
      maxLength: 5,
    },
  );
  return fc.oneof(
    {
      weight: 4,
      arbitrary: pairs.map((p) => new URLSearchParams(p.map(([k, v]) => [k, v.slice(0, 3000)])).toString()),
    },
    // Raw, unencoded: broken percent escapes, stray '&' and '='.
    {
      weight: 1,
      arbitrary: pairs.map((p) => p.map(([k, v]) => `${k}=${v.slice(0, 3000)}`.replace(/#/g, '%23')).join('&')),
    },
  );
};

const contentType = fc.oneof(
  { weight: 20, arbitrary: fc.constant('application/json') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json, text/plain',
    ),
  },
  { weight: 1, arbitrary: headerValue },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const clientIp = fc.oneof(
  { weight: 8, arbitrary: fc.ipV4() },
  { weight: 1, arbitrary: fc.ipV6() },
  { weight: 1, arbitrary: fc.constant('198.51.100.7') },
  { weight: 1, arbitrary: headerValue },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const extraHeaders = fc.dictionary(
  fc.constantFrom(
    'accept',
    'origin',
    'cookie',
    'x-csrf-token',
    'x-real-ip',
    'x-forwarded-for',
    'authorization',
    'content-encoding',
    'transfer-encoding',
    'accept-language',
    'if-none-match',
    'x-http-method-override',
    'x-kaoping-key-id',
    'x-kaoping-timestamp',
    'x-kaoping-nonce',
    'x-kaoping-signature',
  ),
  headerValue,
  { maxKeys: 3 },
);

/** Apply set / delete / add mutations to a deep copy of a valid body. */
function mutate(seed: Json, edits: { kind: 'set' | 'delete' | 'add'; pick: number; key: string; value: unknown }[]) {
  const body = JSON.parse(JSON.stringify(seed)) as Json;
  const paths: string[][] = [];
  const walk = (o: unknown, at: string[]) => {
    if (o && typeof o === 'object' && !Array.isArray(o))
      for (const [k, v] of Object.entries(o)) {
        paths.push([...at, k]);
        walk(v, [...at, k]);
      }
  };
  walk(body, []);
  for (const e of edits) {
    const path = paths[e.pick % Math.max(paths.length, 1)] ?? [];
    let parent: Json = body;
    for (const k of path.slice(0, -1)) parent = (parent[k] as Json) ?? parent;
    const last = path[path.length - 1];
    if (typeof parent !== 'object' || parent === null) continue;
    // defineProperty: a key named __proto__ becomes an own property, as JSON.parse makes it on the server.
    const put = (k: string, v: unknown) =>
      Object.defineProperty(parent, k, { value: v, enumerable: true, writable: true, configurable: true });
    if (e.kind === 'set' && last !== undefined) put(last, e.value);
    else if (e.kind === 'delete' && last !== undefined) delete parent[last];
    else put(e.key, e.value);
  }
  return body;
}

const edit = fc.record({
  kind: fc.constantFrom('set' as const, 'set' as const, 'delete' as const, 'add' as const),
  pick: fc.nat(),
  key: nastyKey,
  value: nastyValue,
});

function bodyText(op: Operation): fc.Arbitrary<string | undefined> {
  const seeds = fx.seeds[op.key] ?? [{}];
  const props = op.bodyProperties ?? [];
  const shaped = fc
    .subarray(props)
    .chain((keys) => fc.tuple(...keys.map((k) => fc.tuple(fc.constant(k), nastyValue))))
    .map((entries) => JSON.stringify(Object.fromEntries(entries)));
  const json = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 3 }))
        .map(([s, e]) => JSON.stringify(mutate(s, e))),
    },
    { weight: 1, arbitrary: fc.constantFrom(...seeds).map((s) => JSON.stringify(s)) },
    { weight: 2, arbitrary: shaped },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  );
  // Prototype pollution the way an attacker sends it: keys in the JSON text, at the top and one level down.
  const polluted = json.map((t) =>
    t.startsWith('{')
      ? `{"__proto__":{"${POLLUTION}":1},"constructor":{"prototype":{"${POLLUTION}":1}},${t.slice(1)}`.replace(
          ',}',
          '}',
        )
      : t,
  );
  return fc.oneof(
    { weight: 10, arbitrary: json },
    { weight: 2, arbitrary: polluted },
    { weight: 2, arbitrary: rawText },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

type Auth = 'session' | 'none' | 'forged-cookie' | 'no-csrf' | 'foreign-origin';
type Sign = 'valid' | 'none';

interface FuzzCase {
  path: string;
  query: string;
  headers: Record<string, string | undefined>;
  body: string | undefined;
  auth: Auth;
  sign: Sign;
}

function fuzzCase(op: Operation): fc.Arbitrary<FuzzCase> {
  const names = op.params.filter((p) => p.in === 'path').map((p) => p.name);
  const path = fc
    .tuple(...names.map((n) => pathSegment(op, n)))
    .map((values) => names.reduce((p, n, i) => p.replace(`{${n}}`, values[i] as string), op.path));
  const observer = op.path.startsWith('/api/v1/observe/');
  return fc.record({
    path: names.length ? path : fc.constant(op.path),
    query: fc.oneof({ weight: 3, arbitrary: queryString(op) }, { weight: 1, arbitrary: fc.constant('') }),
    headers: fc
      .record({ ct: contentType, ip: clientIp, extra: extraHeaders })
      .map(({ ct, ip, extra }) => ({ ...extra, 'content-type': ct, 'cf-connecting-ip': ip })),
    body: op.method === 'GET' ? fc.constant(undefined) : bodyText(op),
    auth: observer
      ? fc.constantFrom<Auth>('session', 'session', 'session', 'none', 'forged-cookie', 'no-csrf', 'foreign-origin')
      : fc.constant<Auth>('none'),
    sign: op.path.startsWith('/api/v1/feed/') ? fc.constantFrom<Sign>('valid', 'none') : fc.constant<Sign>('none'),
  });
}

async function send(op: Operation, c: FuzzCase): Promise<Response> {
  const url = `http://localhost${c.path}${c.query ? `?${c.query}` : ''}`;
  const headers = new Headers();
  for (const [k, v] of Object.entries(c.headers)) if (v !== undefined) headers.set(k, v);
  if (c.auth !== 'none') {
    const s = fx.session;
    headers.set('cookie', c.auth === 'forged-cookie' ? '__Host-kaoping_session=forged' : (s.cookie as string));
    headers.set('origin', c.auth === 'foreign-origin' ? 'https://evil.example' : ORIGIN);
    if (c.auth !== 'no-csrf') headers.set('x-csrf-token', s['x-csrf-token'] as string);
  }
  if (c.sign === 'valid') {
    const signed = await signFeedRequest({ keyId: 'k1', secret: fx.feedSecret, method: op.method, url });
    for (const [k, v] of Object.entries(signed)) headers.set(k, v);
  }
  return api.app.request(url, { method: op.method, headers, body: c.body }, env);
}

async function signInFresh(username: string) {
  // A fresh address each time: the per-address login limit must not end the fuzzing.
  const ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
  const r = await api.json(
    '/api/v1/observe/login',
    { username, password: PASSWORD },
    { headers: { origin: ORIGIN, 'cf-connecting-ip': ip } },
  );
  expect(r.status).toBe(200);
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return { cookie: (r.headers.get('set-cookie') ?? '').split(';')[0] as string, 'x-csrf-token': csrfToken };
}

let lead: { id: string; username: string };

beforeAll(async () => {
  lead = await makeObserver('lead', ['unit-a']);
  const other = await makeObserver('observer', ['unit-b']);
  await makeObserver('observer', [], { username: 'fuzz-login-target' });
  const session = await signInFresh(lead.username);
  const post = (path: string, body: unknown) => api.json(path, body, { headers: { ...session, origin: ORIGIN } });

  const [ballotCode, tokenCode] = await issue('npc_deputy', 2);
  const { token } = await takeToken(api, 'ballot-t', tokenCode as string);
  const [forumCode] = await issue('npc_deputy', 1, { appraisal: 'open-2026' });
  const submitted = await api.json('/api/v1/instruments/q-public/responses', {
    turnstileToken: TOKEN,
    answers: { q1: 'a', q2: ['x'] },
  });
  const { receipt } = (await submitted.json()) as { receipt: string };

  // Thread A: visible, with a visible reply that takes reports. Thread B: pending posts for the moderation routes.
  const a = (await (await startThread({ unit: 'unit-a' }, { 'cf-connecting-ip': '192.0.2.1' })).json()) as {
    thread: string;
    post: string;
  };
  expect((await post(`/api/v1/observe/posts/${a.post}/approve`, {})).status).toBe(200);
  const replyA = (await (
    await api.json(
      `/api/v1/forum/threads/${a.thread}/posts`,
      { body: '同意楼上的意见, 请尽快改进。', displayName: '居民甲', turnstileToken: TOKEN },
      { headers: { 'cf-connecting-ip': '192.0.2.2' } },
    )
  ).json()) as { post: string };
  expect((await post(`/api/v1/observe/posts/${replyA.post}/approve`, {})).status).toBe(200);
  const b = (await (await startThread({ unit: 'unit-a' }, { 'cf-connecting-ip': '192.0.2.3' })).json()) as {
    post: string;
    tracking: string;
  };

  const sent = (await (
    await sendMessage({ subject: { kind: 'unit', id: 'unit-a' } }, { 'cf-connecting-ip': '192.0.2.4' })
  ).json()) as {
    tracking: string;
  };
  const message = await env.DB.prepare('SELECT id FROM messages LIMIT 1').first<{ id: string }>();

  await env.DB.prepare("INSERT INTO feed_keys VALUES ('k1', '内部考核系统', 'fp', '2026-11-01', NULL)").run();

  // After the results: an objection to act on, a ledger item to edit, an answered message to rate and reopen.
  const credential = await objectionCredential('test-2026', 'unit', 'unit-a');
  const objectionSeed = {
    appraisal: 'test-2026',
    credential,
    kind: 'appeal',
    matter: '对评议结果有异议',
    grounds: '评议样本未覆盖主要业务窗口, 得分不能反映实际情况, 请求复核。',
    contact: { name: '王科长', phone: '0799-8600001' },
    turnstileToken: TOKEN,
  };
  const filed = (await (
    await api.json('/api/v1/objections', objectionSeed, { headers: { 'cf-connecting-ip': '192.0.2.5' } })
  ).json()) as { tracking: string };
  const objection = await env.DB.prepare('SELECT id FROM objections LIMIT 1').first<{ id: string }>();
  const ledgerSeed = {
    appraisal: 'test-2026',
    unit: 'unit-a',
    source: 'department',
    problem: '窗口午间不办公。',
    measure: '实行午间轮岗服务。',
    responsible: '分管副局长',
    deadline: '2026-12-31',
  };
  const item = (await (await post('/api/v1/observe/rectification', ledgerSeed)).json()) as {
    id: string;
    version: number;
  };
  // An evaluation meeting to correct and key sheets for (issue 19).
  const meetingSeed = {
    instrument: 'ballot-t',
    heldOn: '2026-11-22',
    place: '县委党校报告厅',
    categories: ['party_deputy', 'npc_deputy'],
    issued: 40,
    returned: 38,
    spoilt: 1,
  };
  const meeting = (await (await post('/api/v1/observe/meetings', meetingSeed)).json()) as { id: string };
  const answered = await answeredMessage({ publishConsent: true }, { 'cf-connecting-ip': '192.0.2.6' });

  fx = {
    pools: {
      receipt: [receipt, receipt.toLowerCase().replace(/-/g, ''), 'AAAA-AAAA-AAAA-AAAA'],
      thread: [a.thread],
      reportedPost: [replyA.post],
      pendingPost: [b.post],
      message: [message?.id as string],
      objection: [objection?.id as string],
      ledger: [item.id],
      meeting: [meeting.id],
    },
    seeds: {
      'POST /api/v1/codes/verify': [{ code: ballotCode, turnstileToken: TOKEN }],
      'POST /api/v1/instruments/{id}/responses': [
        { turnstileToken: TOKEN, answers: { q1: 'a', q2: ['x', 'y'], q3: '很好' } },
        { token, answers: ballotAnswers('fair', { 'unit-a.problems': ['p1'] }) },
      ],
      'POST /api/v1/instruments/{id}/tokens': [
        { code: ballotCode, turnstileToken: TOKEN, blindedMsg: randomBlinded() },
      ],
      'POST /api/v1/receipts/check': [{ receipt }, { receipt: receipt.toLowerCase().replace(/-/g, '') }],
      'POST /api/v1/forum/threads': [
        {
          appraisal: 'test-2026',
          unit: 'unit-a',
          title: '关于窗口服务',
          body: '建议延长午间服务时间。',
          displayName: '居民',
          turnstileToken: TOKEN,
        },
        {
          appraisal: 'open-2026',
          title: '关于窗口服务',
          body: '建议延长午间服务时间。',
          displayName: '居民',
          turnstileToken: TOKEN,
          code: forumCode,
        },
      ],
      'POST /api/v1/forum/threads/{id}/posts': [
        { body: '赞同, 也遇到过。', displayName: '居民乙', turnstileToken: TOKEN },
      ],
      'POST /api/v1/forum/posts/{id}/reports': [{ turnstileToken: TOKEN }],
      'POST /api/v1/messages': [
        { appraisal: 'test-2026', body: '反映窗口办事拖沓的问题。', turnstileToken: TOKEN },
        {
          appraisal: 'test-2026',
          subject: { kind: 'official', id: 'off-a1' },
          body: '反映有关情况, 请核实。',
          contact: { name: '王', phone: '0571-1234567', email: 'a@example.org' },
          turnstileToken: TOKEN,
        },
      ],
      'POST /api/v1/messages/track': [{ tracking: sent.tracking }],
      'POST /api/v1/forum/posts/track': [{ tracking: b.tracking }, { tracking: b.tracking.toLowerCase() }],
      'POST /api/v1/observe/login': [{ username: 'fuzz-login-target', password: 'not the password at all' }],
      'POST /api/v1/observe/logout': [{}],
      'POST /api/v1/observe/posts/{id}/approve': [{}],
      'POST /api/v1/observe/posts/{id}/hide': [{ reason: '含有人身攻击' }],
      'POST /api/v1/observe/messages/{id}/status': [{ status: 'verifying' }],
      'POST /api/v1/observe/messages/{id}/notes': [{ text: '已电话联系核实。' }],
      'POST /api/v1/observe/messages/{id}/reply': [{ text: '已转交有关部门办理。' }],
      'POST /api/v1/observe/messages/{id}/assign': [{ observer: other.id }],
      'POST /api/v1/observe/instruments/{id}/state': [{ state: 'paused' }],
      'POST /api/v1/messages/rate': [{ tracking: answered.tracking, rating: 'satisfied', turnstileToken: TOKEN }],
      'POST /api/v1/messages/reopen': [{ tracking: answered.tracking, reason: '仍未解决。', turnstileToken: TOKEN }],
      'POST /api/v1/objections': [objectionSeed],
      'POST /api/v1/objections/track': [{ tracking: filed.tracking }],
      'POST /api/v1/observe/messages/{id}/contact': [{}],
      'POST /api/v1/observe/messages/{id}/publish': [{ published: true }],
      'POST /api/v1/observe/objections/{id}/contact': [{}],
      'POST /api/v1/observe/objections/{id}/accept': [{}],
      'POST /api/v1/observe/objections/{id}/refuse': [{ reason: '不属于考核结果范围, 不予受理。' }],
      'POST /api/v1/observe/objections/{id}/assign': [{ observer: other.id }],
      'POST /api/v1/observe/objections/{id}/notes': [{ text: '已调取材料。' }],
      'POST /api/v1/observe/objections/{id}/decide': [{ decision: 'rejected', reasons: '考核程序符合规定。' }],
      'POST /api/v1/observe/objections/{id}/answer': [{ text: '经复核, 维持原结果。' }],
      'POST /api/v1/observe/objections/{id}/publish': [{ public: true }],
      'POST /api/v1/observe/meetings': [meetingSeed],
      'PATCH /api/v1/observe/meetings/{id}': [{ returned: 39 }, { spoilt: 2 }],
      'POST /api/v1/observe/meetings/{id}/keyings': [
        { serial: formatSerial(1), raterCategory: 'party_deputy', answers: ballotAnswers('good') },
        {
          serial: formatSerial(2),
          raterCategory: 'npc_deputy',
          answers: ballotAnswers('fair', { 'unit-a.problems': ['p1'] }),
        },
      ],
      'POST /api/v1/observe/rectification': [ledgerSeed],
      'POST /api/v1/observe/rectification/{id}': [{ version: item.version, measure: '实行午间轮岗和周末服务。' }],
    },
    session,
    feedSecret: await feedKeySecret(env.FEED_KEY_SECRET as string, 'k1'),
  };
});

describe('the fuzz covers the whole API', () => {
  it('lists every operation of the OpenAPI document, and every operation with a body has a valid seed', () => {
    expect(OPS.length).toBeGreaterThanOrEqual(39);
    const withBody = OPS.filter((o) => o.bodyProperties !== undefined).map((o) => o.key);
    // A new route with a body needs a valid example in `seeds`, so the fuzz reaches past schema validation.
    expect(withBody.filter((k) => !fx.seeds[k])).toEqual([]);
  });
});

describe.each(OPS.map((o) => [o.key, o] as const))('%s', (_key, op) => {
  it(
    `answers ${FUZZ_RUNS} arbitrary requests without a 5xx, in the error shape, storing nothing when refused`,
    async ({ task }) => {
      const statuses: Record<string, number> = {};
      // The state after the previous case: a refused request must leave it as it was.
      let last = await stateFingerprint();
      await fc.assert(
        fc.asyncProperty(fuzzCase(op), async (c) => {
          const before = last;
          const r = await send(op, c);
          const text = await r.text();
          last = await stateFingerprint();
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          expect(r.status, text.slice(0, 300)).toBeLessThan(500);
          expect(Object.prototype).not.toHaveProperty(POLLUTION);
          if (r.status >= 400) {
            expect(r.headers.get('content-type') ?? '').toContain('application/json');
            const body = apiError.parse(JSON.parse(text));
            expect(`${body.error.code} ${body.error.message}`).not.toMatch(INTERNALS);
            expect(last).toEqual(before);
          } else if (op.method === 'GET') {
            // Reading stores nothing; an export is itself logged (audit), by design.
            expect({ ...last, audit: op.path.includes('/exports/') ? before.audit : last.audit }).toEqual(before);
          }
          if (op.key === 'POST /api/v1/observe/logout' && r.status === 200) {
            fx.session = await signInFresh(lead.username);
            last = await stateFingerprint();
          }
        }),
        { numRuns: FUZZ_RUNS },
      );
      task.meta.fuzz = { operation: op.key, runs: FUZZ_RUNS, statuses };
    },
    60_000 + FUZZ_RUNS * 200,
  );
});

declare module 'vitest' {
  interface TaskMeta {
    fuzz?: { operation: string; runs: number; statuses: Record<string, number> };
  }
}
