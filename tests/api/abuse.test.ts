// Abuse: what an attacker of a portal that decides careers would try.
// Every route (from the app's own route table and the OpenAPI document)
// answers with the security headers, right method or wrong; no error body
// shows internals, even when D1 itself fails; guessing codes from one client
// is cut off after the failure limit, however many are sent, one after the
// other or all at once; refused requests count against the limits; Turnstile failures and replayed tokens are refused on every
// route that takes a token; user text comes back as inert JSON data.
// GUESS_COUNT sets the number of wrong codes (300 in npm test, thousands
// under `npm run reliability`).
import { env } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateCode } from '../../src/domain/code';
import { generateCredential } from '../../src/domain/objection';
import { apiError } from '../../src/domain/schemas/api';
import { LIMITS } from '../../src/server/guards/rate-limit';
import { TEST_SECRETS } from '../../src/server/guards/turnstile';
import { client, randomBlinded, spend, takeToken } from '../support/api-client';
import { ballotAnswers, ensureTokenKeys, issue } from '../support/api-fixtures';
import {
  answeredMessage,
  api,
  catalog,
  makeObserver,
  NOW,
  ORIGIN,
  objectionCredential,
  signIn,
  startThread,
  TOKEN,
} from '../support/observe-fixtures';
import { GUESS_COUNT, INTERNALS, type Operation, operations, stateFingerprint } from '../support/reliability';

const OPS = operations(api);
// Keys for the code instruments, so a right code is refused for its guessing, not for a missing key.
beforeAll(ensureTokenKeys);
const UUID = '3f1c1f8e-2a4b-4c1d-9e7f-0123456789ab';

/** An OpenAPI path with plausible values in its parameters. */
/** A valid objection to test-2026 (its window is open at NOW) with this credential. */
const objectionBody = (credential: string) => ({
  appraisal: 'test-2026',
  credential,
  kind: 'appeal',
  matter: '对评议结果有异议',
  grounds: '评议样本未覆盖主要业务窗口, 得分不能反映实际情况, 请求复核。',
  contact: { name: '王科长', phone: '0799-8600001' },
  turnstileToken: TOKEN,
});

function concrete(path: string): string {
  return (
    path
      .replace('{receipt}', 'AAAA-AAAA-AAAA-AAAA')
      .replace('{appraisal}', 'test-2026')
      .replace('{file}', 'rectification.json')
      .replace(/\/(feed\/appraisals)\/\{id\}/, '/$1/test-2026')
      .replace('/observe/instruments/{id}', '/observe/instruments/future-t')
      // Token routes exist for code instruments only.
      .replace(/\/instruments\/\{id\}\/(token|tokens)/, '/instruments/ballot-t/$1')
      .replace('/instruments/{id}', '/instruments/q-public')
      .replace('{id}', UUID)
  );
}

/** Hono's route table in OpenAPI form: every route the app serves, documented or not. */
const served = () => [
  ...new Set(
    api.app.routes
      .filter((r) => r.method !== 'ALL' && !r.path.includes('*'))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
  ),
];

function expectSecurityHeaders(r: Response, what: string) {
  const h = (name: string) => r.headers.get(name) ?? '';
  const csp = h('content-security-policy');
  expect(csp, what).toContain("default-src 'none'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  const maxAge = Number(/max-age=(\d+)/.exec(h('strict-transport-security'))?.[1] ?? 0);
  expect(maxAge, what).toBeGreaterThanOrEqual(31_536_000);
  expect(h('x-content-type-options'), what).toBe('nosniff');
  expect(h('x-frame-options'), what).toBe('DENY');
  expect(h('referrer-policy'), what).toBe('no-referrer');
  expect(h('x-request-id'), what).not.toBe('');
  expect(h('cache-control'), what).not.toBe('');
}

describe('every route, right method or wrong, carries the security headers', () => {
  it('the app serves no route the OpenAPI document leaves out (but the spec itself)', () => {
    const documented = new Set(OPS.map((o) => o.key));
    const undocumented = served().filter((k) => !documented.has(k));
    expect(undocumented.sort()).toEqual(['GET /api/v1/openapi.json']);
  });

  it('GET (or the documented method with an empty body) and two wrong methods, on every route', async () => {
    // Observer routes answer 401 before anything else without a session: send one, so the method is what is wrong.
    const observer = await signIn(await makeObserver('observer'));
    // Logging out ends the session: last.
    const paths = [...new Set(served().map((k) => k.split(' ')[1] as string))].sort(
      (a, b) => Number(a.endsWith('/logout')) - Number(b.endsWith('/logout')),
    );
    let checked = 0;
    for (const path of paths) {
      const url = concrete(path);
      const methods = served()
        .filter((k) => k.endsWith(` ${path}`))
        .map((k) => k.split(' ')[0]);
      for (const method of ['DELETE', 'PATCH', ...methods]) {
        const r = await api.request(url, {
          method,
          headers: { 'content-type': 'application/json', ...(path.includes('/observe/') ? observer.headers : {}) },
          body: method === 'GET' ? undefined : '{}',
        });
        const what = `${method} ${url} → ${r.status}`;
        expectSecurityHeaders(r, what);
        const text = await r.text();
        if (r.status >= 400) {
          apiError.parse(JSON.parse(text));
          expect(text, what).not.toMatch(INTERNALS);
        }
        if (!methods.includes(method)) {
          expect(r.status, what).toBe(405);
          expect(r.headers.get('allow'), what).toBeTruthy();
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(3 * 38);
  });

  it('an unknown path, a malformed JSON body, a wrong content type and an oversized body, all in the shape with the headers', async () => {
    const cases = [
      await api.request('/api/v1/nope'),
      await api.request('/api/v1/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"appraisal":',
      }),
      await api.request('/api/v1/messages', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }),
      await api.json('/api/v1/messages', { body: 'x'.repeat(70_000) }),
    ];
    expect(cases.map((r) => r.status)).toEqual([404, 400, 415, 413]);
    for (const r of cases) {
      expectSecurityHeaders(r, String(r.status));
      const text = await r.text();
      apiError.parse(JSON.parse(text));
      expect(text).not.toMatch(INTERNALS);
    }
  });
});

// ---- D1 failures -----------------------------------------------------------

/** A D1 binding whose every call fails with an error full of internals (SQL, a path, a stack frame). */
function brokenD1(message: string): D1Database {
  const fail = async () => {
    const e = new Error(message);
    e.stack = `Error: ${message}\n    at D1Database.batch (/work/main/src/server/db/responses.ts:121:5)`;
    throw e;
  };
  const statement: Record<string, unknown> = { first: fail, all: fail, run: fail, raw: fail };
  statement.bind = () => statement;
  return { prepare: () => statement, batch: fail, exec: fail, dump: fail } as unknown as D1Database;
}

/** A request that passes validation, so it reaches the database. */
function reaching(op: Operation, code: string): RequestInit & { url: string } {
  const bodies: Record<string, unknown> = {
    'POST /api/v1/codes/verify': { code, turnstileToken: TOKEN },
    'POST /api/v1/instruments/{id}/tokens': { code, turnstileToken: TOKEN, blindedMsg: randomBlinded() },
    'POST /api/v1/instruments/{id}/responses': { turnstileToken: TOKEN, answers: { q1: 'a', q2: ['x'] } },
    'POST /api/v1/receipts/check': { receipt: 'AAAA-AAAA-AAAA-AAAA' },
    'POST /api/v1/forum/threads': {
      appraisal: 'test-2026',
      title: '关于窗口服务',
      body: '建议延长午间服务。',
      displayName: '居民',
      turnstileToken: TOKEN,
    },
    'POST /api/v1/forum/threads/{id}/posts': { body: '赞同, 也遇到过。', displayName: '居民乙', turnstileToken: TOKEN },
    'POST /api/v1/forum/posts/{id}/reports': { turnstileToken: TOKEN },
    'POST /api/v1/messages': { appraisal: 'test-2026', body: `反映窗口办事拖沓 ${code}`, turnstileToken: TOKEN },
    'POST /api/v1/messages/track': { tracking: 'ABCDE-FGHJK-MNPQ0' },
    'POST /api/v1/forum/posts/track': { tracking: 'ABCDE-FGHJK-MNPQ0' },
    'POST /api/v1/messages/rate': { tracking: 'ABCDE-FGHJK-MNPQ0', rating: 'satisfied', turnstileToken: TOKEN },
    'POST /api/v1/messages/reopen': { tracking: 'ABCDE-FGHJK-MNPQ0', reason: '问题仍未解决。', turnstileToken: TOKEN },
    'POST /api/v1/objections': objectionBody(generateCredential()),
    'POST /api/v1/objections/track': { tracking: 'ABCDE-FGHJK-MNPQ0' },
    'POST /api/v1/observe/login': { username: 'someone', password: 'a long enough password' },
  };
  const query: Record<string, string> = {
    'GET /api/v1/forum/threads': '?appraisal=test-2026',
    'GET /api/v1/forum/search': '?q=%E7%AA%97%E5%8F%A3',
    'GET /api/v1/observe/live': '?appraisal=test-2026',
    'GET /api/v1/observe/exports/messages.csv': '?appraisal=test-2026',
    'GET /api/v1/observe/exports/tallies.csv': '?appraisal=test-2026',
  };
  return {
    url: concrete(op.path) + (query[op.key] ?? ''),
    method: op.method,
    headers: {
      'content-type': 'application/json',
      origin: ORIGIN,
      cookie: '__Host-kaoping_session=some-session-token',
      'cf-connecting-ip': '198.51.100.99',
    },
    body: op.method === 'GET' ? undefined : JSON.stringify(bodies[op.key] ?? {}),
  };
}

describe('when D1 fails, no route shows internals', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a failing database: 500 (or 503) in the error shape, nothing internal in any body, no code or address in the logs', async ({
    task,
  }) => {
    const logged: string[] = [];
    for (const m of ['error', 'warn', 'log'] as const)
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    const code = generateCode();
    const broken = { ...env, DB: brokenD1('D1_ERROR: no such table: responses: SQLITE_ERROR') };
    const reached: string[] = [];
    for (const op of OPS) {
      const { url, ...init } = reaching(op, code);
      const r = await api.app.request(url, init, broken);
      const text = await r.text();
      expect(text, op.key).not.toMatch(INTERNALS);
      expect(text, op.key).not.toContain('no such table');
      expectSecurityHeaders(r, op.key);
      if (r.status >= 500) {
        reached.push(op.key);
        if (op.key === 'GET /api/v1/health') expect(JSON.parse(text)).toEqual({ status: 'error', db: 'error' });
        else expect(apiError.parse(JSON.parse(text)).error.code).toBe('internal_error');
      }
    }
    // Everything but the routes that never touch D1 (config, the feed without a signature, the meetings of an
    // instrument that takes no paper, …) reached the failure; the live open data and the turnout may answer from
    // their one-minute cache (filled by the tests above).
    expect(reached.length).toBeGreaterThanOrEqual(OPS.length - 7);
    const log = logged.join('\n');
    expect(log).not.toContain(code);
    expect(log).not.toContain('198.51.100.99');
    expect(log).not.toContain('some-session-token');
    task.meta.d1Failure = { routes: OPS.length, reachedDatabase: reached.length };
  });

  it('an overloaded database: 503 with Retry-After, never 500', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = { ...env, DB: brokenD1('D1_ERROR: Database is overloaded. Requests queued for too long.') };
    for (const key of [
      'POST /api/v1/instruments/{id}/responses',
      'POST /api/v1/codes/verify',
      'POST /api/v1/messages',
      // One statement rather than a batch: the database's error arrives wrapped by drizzle.
      'POST /api/v1/receipts/check',
      'POST /api/v1/observe/login',
    ]) {
      const op = OPS.find((o) => o.key === key) as Operation;
      const { url, ...init } = reaching(op, generateCode());
      const r = await api.app.request(url, init, broken);
      expect(r.status, key).toBe(503);
      expect(Number(r.headers.get('retry-after')), key).toBeGreaterThan(0);
      expect(apiError.parse(await r.json()).error.code).toBe('service_unavailable');
    }
  });
});

// ---- guessing codes -------------------------------------------------------------

const guessRoutes = {
  verify: (code: string, ip: string) =>
    api.json('/api/v1/codes/verify', { code, turnstileToken: TOKEN }, { headers: { 'cf-connecting-ip': ip } }),
  token: (code: string, ip: string) =>
    api.json(
      '/api/v1/instruments/ballot-t/tokens',
      { code, turnstileToken: TOKEN, blindedMsg: randomBlinded() },
      { headers: { 'cf-connecting-ip': ip } },
    ),
  forum: (code: string, ip: string) =>
    api.json(
      '/api/v1/forum/threads',
      {
        appraisal: 'open-2026',
        title: '关于窗口服务',
        body: '建议延长午间服务时间。',
        displayName: '居民',
        turnstileToken: TOKEN,
        code,
      },
      { headers: { 'cf-connecting-ip': ip } },
    ),
};
const MAX_FAILURES = LIMITS.codeFailures.max;
/** A burst past the failure limit with twenty right codes near its end. */
const BURST = MAX_FAILURES + 140;

describe('guessing codes', () => {
  it(`${GUESS_COUNT} wrong codes from one client, one after the other, across every route that checks a code: ${MAX_FAILURES} answered 401, the rest 429, then even a right code is refused`, async ({
    task,
  }) => {
    const ip = '192.0.2.200';
    const routes = Object.values(guessRoutes);
    const seen: Record<number, number> = {};
    const before = await stateFingerprint();
    const started = performance.now();
    for (let i = 0; i < GUESS_COUNT; i++) {
      const r = await (routes[i % routes.length] as (c: string, ip: string) => Promise<Response>)(generateCode(), ip);
      seen[r.status] = (seen[r.status] ?? 0) + 1;
      if (r.status === 429) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      await r.body?.cancel();
    }
    const ms = Math.round(performance.now() - started);
    expect(seen).toEqual({ 401: MAX_FAILURES, 429: GUESS_COUNT - MAX_FAILURES });
    const [right] = await issue('npc_deputy');
    const [rightForum] = await issue('npc_deputy', 1, { appraisal: 'open-2026' });
    expect((await guessRoutes.verify(right as string, ip)).status).toBe(429);
    expect((await guessRoutes.token(right as string, ip)).status).toBe(429);
    expect((await guessRoutes.forum(rightForum as string, ip)).status).toBe(429);
    expect(await stateFingerprint()).toEqual({ ...before, codes: Number(before.codes) + 2 });
    // Another client is not affected.
    expect((await guessRoutes.verify(right as string, '192.0.2.201')).status).toBe(200);
    task.meta.guessing = { guesses: GUESS_COUNT, answered401: seen[401] ?? 0, limited429: seen[429] ?? 0, ms };
  }, 120_000);

  // Guessing in parallel: when the failure was counted in a second round trip after the lookup, every code of a
  // burst was looked up before any failure counted (found by this test; now counted in the lookup's own batch).
  describe.each(Object.entries(guessRoutes))(`a burst of ${BURST} codes at once from one client (%s)`, (name, send) => {
    it(`checks no more codes than the limit allows: right codes from the ${MAX_FAILURES + 60}th on are all refused`, async () => {
      const appraisal = name === 'forum' ? 'open-2026' : 'test-2026';
      // Twenty right codes at #MAX+60, +64, …: far past the first MAX, so any likely order of arrival puts them over.
      const right = await issue('npc_deputy', 20, { appraisal });
      const ip = `192.0.2.${name.charCodeAt(0)}`;
      const first = MAX_FAILURES + 60;
      const codes = Array.from({ length: BURST }, (_, i) =>
        i >= first && (i - first) % 4 === 0 ? (right[(i - first) / 4] as string) : generateCode(),
      );
      const answers = await Promise.all(codes.map((c) => send(c, ip)));
      const accepted = answers.filter((r) => r.status < 300).length;
      expect({ route: name, rightCodesAccepted: accepted }).toEqual({ route: name, rightCodesAccepted: 0 });
    }, 60_000);
  });
});

// ---- refused requests count ---------------------------------------------------------

// The issue report (before blind tokens): a duplicate submission rolled back its own rate-limit bump, so 150
// resubmissions of a used code in a minute gave 150 × 409 and no 429. Every refusal now counts where a limit
// applies; the spend of a spent token writes no row by design and is answered from memory instead.
describe('refused requests count against the limits', () => {
  const DUPLICATES = LIMITS.duplicates.max;
  const tally = (statuses: number[]) =>
    statuses.reduce<Record<number, number>>((m, s) => {
      m[s] = (m[s] ?? 0) + 1;
      return m;
    }, {});

  it(`150 token requests with an already used code in a minute: ${DUPLICATES} × 409, then 429`, async () => {
    const [code] = await issue('npc_deputy');
    const ip = '192.0.2.150';
    expect((await guessRoutes.token(code as string, '192.0.2.151')).status).toBe(201);
    const before = await stateFingerprint();
    const statuses: number[] = [];
    for (let i = 0; i < 150; i++) statuses.push((await guessRoutes.token(code as string, ip)).status);
    expect(tally(statuses)).toEqual({ 409: DUPLICATES, 429: 150 - DUPLICATES });
    const last = await guessRoutes.token(code as string, ip);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await stateFingerprint()).toEqual(before);
    // The same address still takes tokens with fresh codes: the hall behind it is not locked out.
    const [fresh] = await issue('npc_deputy');
    expect((await guessRoutes.token(fresh as string, ip)).status).toBe(201);
  });

  it('150 checks of a code that has answered: every one counted against the client', async () => {
    const [code] = await issue('npc_deputy');
    expect((await guessRoutes.token(code as string, '192.0.2.151')).status).toBe(201);
    const requests = async () =>
      (
        await env.DB.prepare("SELECT coalesce(sum(hits), 0) AS n FROM rate_limits WHERE key LIKE 'p:%'").first<{
          n: number;
        }>()
      )?.n ?? 0;
    const before = await requests();
    for (let i = 0; i < 150; i++) expect((await guessRoutes.verify(code as string, '192.0.2.152')).status).toBe(200);
    expect((await requests()) - before).toBe(150);
  });

  it('150 replays of a spent token: 409 each, from memory after the first (no D1 statement, no rate-limit row)', async () => {
    const [code] = await issue('npc_deputy');
    const taken = await takeToken(api, 'ballot-t', code as string);
    if (!taken.token) throw new Error('no token');
    expect((await spend(api, 'ballot-t', taken.token, ballotAnswers())).status).toBe(201);
    // A D1 binding that counts what reaches the database.
    let statements = 0;
    const counting = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === 'prepare' || prop === 'batch' || prop === 'exec') statements++;
        const v = Reflect.get(target, prop);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const replaying = client({ catalog, now: () => NOW }, { DB: counting as unknown as string });
    const before = await stateFingerprint();
    const limits = await env.DB.prepare('SELECT count(*) AS n FROM rate_limits').first<{ n: number }>();
    const statuses: number[] = [];
    for (let i = 0; i < 150; i++)
      statuses.push(
        (await spend(replaying, 'ballot-t', taken.token, ballotAnswers(), { 'cf-connecting-ip': '192.0.2.153' }))
          .status,
      );
    expect(tally(statuses)).toEqual({ 409: 150 });
    // The spend above remembered its token: no replay reached the database at all.
    expect(statements).toBe(0);
    expect(await stateFingerprint()).toEqual(before);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM rate_limits').first<{ n: number }>()).toEqual(limits);
  });
});

// ---- Turnstile ------------------------------------------------------------------

describe('Turnstile on every route that takes a token', () => {
  let requests: Record<string, () => { url: string; body: Record<string, unknown> }>;
  beforeAll(async () => {
    const lead = await makeObserver('lead');
    const console_ = await signIn(lead);
    const a = (await (await startThread({}, { 'cf-connecting-ip': '192.0.2.50' })).json()) as {
      thread: string;
      post: string;
    };
    expect((await console_.post(`/api/v1/observe/posts/${a.post}/approve`)).status).toBe(200);
    requests = {
      'POST /api/v1/codes/verify': () => ({ url: '/api/v1/codes/verify', body: { code: fresh.shift() } }),
      'POST /api/v1/instruments/{id}/tokens': () => ({
        url: '/api/v1/instruments/ballot-t/tokens',
        body: { code: fresh.shift(), blindedMsg: randomBlinded() },
      }),
      'POST /api/v1/instruments/{id}/responses': () => ({
        url: '/api/v1/instruments/q-public/responses',
        body: { answers: { q1: 'a', q2: ['x'] } },
      }),
      'POST /api/v1/forum/threads': () => ({
        url: '/api/v1/forum/threads',
        body: { appraisal: 'test-2026', title: '关于窗口服务', body: '建议延长午间服务时间。', displayName: '居民' },
      }),
      'POST /api/v1/forum/threads/{id}/posts': () => ({
        url: `/api/v1/forum/threads/${a.thread}/posts`,
        body: { body: '赞同, 也遇到过。', displayName: '居民乙' },
      }),
      'POST /api/v1/forum/posts/{id}/reports': () => ({ url: `/api/v1/forum/posts/${a.post}/reports`, body: {} }),
      'POST /api/v1/messages': () => ({
        url: '/api/v1/messages',
        body: { appraisal: 'test-2026', body: '反映窗口办事拖沓的问题。' },
      }),
      'POST /api/v1/messages/rate': () => ({
        url: '/api/v1/messages/rate',
        body: { tracking: rated, rating: 'satisfied' },
      }),
      'POST /api/v1/messages/reopen': () => ({
        url: '/api/v1/messages/reopen',
        body: { tracking: reopened, reason: '答复没有解决问题。' },
      }),
      'POST /api/v1/objections': () => {
        const { turnstileToken: _, ...body } = objectionBody(credential);
        return { url: '/api/v1/objections', body };
      },
    };
    const rated = (await answeredMessage({}, { 'cf-connecting-ip': '192.0.2.51' })).tracking;
    const reopened = (await answeredMessage({}, { 'cf-connecting-ip': '192.0.2.52' })).tracking;
    const credential = await objectionCredential('test-2026', 'unit', 'unit-a');
  });
  let fresh: string[] = [];
  let ipSeq = 0;
  const send = (key: string, token: string, bindings = {}) => {
    const { url, body } = (requests[key] as () => { url: string; body: Record<string, unknown> })();
    return api.app.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': `198.18.0.${ipSeq++ % 250}` },
        body: JSON.stringify({ ...body, turnstileToken: token }),
      },
      { ...env, ...bindings },
    );
  };
  const tokenRoutes = () => OPS.filter((o) => o.bodyProperties?.includes('turnstileToken')).map((o) => o.key);
  afterEach(() => vi.restoreAllMocks());

  it('the list of token routes comes from the OpenAPI document', () => {
    expect(tokenRoutes().sort()).toEqual(Object.keys(requests).sort());
  });

  it('a failed and an already-spent token (Cloudflare test secrets): 403, nothing stored', async () => {
    fresh = await issue('npc_deputy', 10);
    for (const key of tokenRoutes()) {
      for (const secret of [TEST_SECRETS.fail, TEST_SECRETS.spent]) {
        const before = await stateFingerprint();
        const r = await send(key, TOKEN, { TURNSTILE_SECRET_KEY: secret });
        expect([key, r.status]).toEqual([key, 403]);
        expect(apiError.parse(await r.json()).error.code).toBe('turnstile_failed');
        expect(await stateFingerprint()).toEqual(before);
      }
    }
  });

  it('live mode: a token is good once; its replay is refused with 403 and stores nothing', async () => {
    fresh = await issue('npc_deputy', 10);
    const used = new Set<string>();
    // Cloudflare's siteverify as documented: each token verifies once, then answers timeout-or-duplicate.
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (_url, init) => {
      const token = String((init?.body as FormData | undefined)?.get('response'));
      const first = !used.has(token);
      used.add(token);
      return Response.json(
        first
          ? { success: true, 'error-codes': [], hostname: 'kaoping.example.org' }
          : { success: false, 'error-codes': ['timeout-or-duplicate'] },
      );
    });
    const live = {
      TURNSTILE_MODE: 'live',
      TURNSTILE_SECRET_KEY: 'live-secret',
      PUBLIC_ORIGIN: 'https://kaoping.example.org',
    };
    for (const key of tokenRoutes()) {
      const token = `tok-${key}`;
      const first = await send(key, token, live);
      const ok = key.includes('verify') || key.includes('/messages/r') ? 200 : key.includes('reports') ? 202 : 201;
      expect([key, first.status]).toEqual([key, ok]);
      const before = await stateFingerprint();
      const replay = await send(key, token, live);
      expect([key, replay.status]).toEqual([key, 403]);
      expect(await stateFingerprint()).toEqual(before);
    }
  });
});

// ---- user text stays data ----------------------------------------------------------

describe('user text comes back as inert data', () => {
  const PAYLOADS = [
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)//' onmouseover='alert(1)",
    '<svg/onload=alert(1)>',
    '=HYPERLINK("http://evil.example","点我")',
  ];

  it('a thread, a reply and a message carrying payloads are read back verbatim, as JSON that no browser renders', async () => {
    const lead = await makeObserver('lead');
    const console_ = await signIn(lead);
    for (const [i, payload] of PAYLOADS.entries()) {
      const text = `反映问题: ${payload}`;
      const r = await startThread(
        { title: `标题 ${payload}`.slice(0, 40), body: text, displayName: payload.slice(0, 20) },
        {
          'cf-connecting-ip': `192.0.2.${60 + i}`,
        },
      );
      expect(r.status).toBe(201);
      const { thread, post } = (await r.json()) as { thread: string; post: string };
      expect((await console_.post(`/api/v1/observe/posts/${post}/approve`)).status).toBe(200);
      const read = await api.request(`/api/v1/forum/threads/${thread}`);
      expect(read.headers.get('content-type')).toContain('application/json');
      expect(read.headers.get('x-content-type-options')).toBe('nosniff');
      expect(read.headers.get('content-security-policy')).toContain("default-src 'none'");
      const page = (await read.json()) as { posts: { body: string }[] };
      expect(page.posts[0]?.body).toBe(text);
    }
    // The observers' CSV export defuses what a spreadsheet would run as a formula.
    const msg = await api.json(
      '/api/v1/messages',
      { appraisal: 'test-2026', body: PAYLOADS[4], turnstileToken: TOKEN },
      { headers: { 'cf-connecting-ip': '192.0.2.70' } },
    );
    expect(msg.status).toBe(201);
    const csv = await (await console_.get('/api/v1/observe/exports/messages.csv?appraisal=test-2026')).text();
    expect(csv).toContain(`'=HYPERLINK`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});

declare module 'vitest' {
  interface TaskMeta {
    d1Failure?: { routes: number; reachedDatabase: number };
    guessing?: { guesses: number; answered401: number; limited429: number; ms: number };
  }
}
