// The observers' console API, signing in (routes/observe/auth.ts): every observer
// route refuses without a session or CSRF token (found from the app's own route
// table, so a route added later is covered), login, lock-out, sessions.
import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { apiError } from '../../../src/domain/schemas/api';
import { sessionBody } from '../../../src/domain/schemas/observer-account';
import { sha256Hex } from '../../../src/server/auth/bytes';
import { LOGIN_THROTTLE } from '../../../src/server/auth/session';
import { client } from '../../support/api-client';
import {
  api,
  catalog,
  count,
  login,
  makeObserver,
  NOW,
  ORIGIN,
  PASSWORD,
  signIn,
} from '../../support/observe-fixtures';

const at = (minutes: number) => client({ catalog, now: () => new Date(NOW.getTime() + minutes * 60_000) });
const atSeconds = (seconds: number) => client({ catalog, now: () => new Date(NOW.getTime() + seconds * 1000) });
const code = async (r: Response) => apiError.parse(await r.json()).error.code;

/** Every observer route but login, with its path parameters filled in. */
function observerRoutes() {
  const seen = new Set<string>();
  return api.app.routes
    .filter((r) => r.path.startsWith('/api/v1/observe/') && r.method !== 'ALL' && !r.path.endsWith('/login'))
    .map((r) => ({
      method: r.method,
      path: r.path.replace(':id', r.path.includes('/instruments/') ? 'ballot-t' : crypto.randomUUID()),
    }))
    .filter((r) => {
      const k = `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, ':id')}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}

describe('every observer route', () => {
  it('refuses without a session: 401 in the error shape', async () => {
    const routes = observerRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(15);
    for (const r of routes) {
      const res =
        r.method === 'GET'
          ? await api.request(r.path, { headers: { origin: ORIGIN } })
          : await api.json(r.path, {}, { method: r.method, headers: { origin: ORIGIN } });
      expect([r.path, res.status]).toEqual([r.path, 401]);
      expect(await code(res)).toBe('session_required');
    }
    // A forged or expired cookie is no better.
    const forged = await api.request('/api/v1/observe/session', {
      headers: { cookie: '__Host-kaoping_session=forged-token' },
    });
    expect(forged.status).toBe(401);
  });

  it('refuses every state change without our Origin and the session CSRF token: 403, nothing changed', async () => {
    const lead = await signIn(await makeObserver('lead'));
    const posts = observerRoutes().filter((r) => r.method !== 'GET');
    expect(posts.length).toBeGreaterThanOrEqual(8);
    const audit = await count('audit_log');
    const { cookie, session } = lead;
    const attempts: Record<string, string>[] = [
      { cookie, origin: ORIGIN },
      { cookie, origin: ORIGIN, 'x-csrf-token': 'wrong' },
      { cookie, origin: 'https://evil.example', 'x-csrf-token': session.csrfToken },
      { cookie, 'x-csrf-token': session.csrfToken },
    ];
    for (const r of posts) {
      for (const headers of attempts) {
        const res = await api.json(r.path, { state: 'paused', status: 'closed', reason: 'x', text: 'x' }, { headers });
        expect([r.path, res.status]).toEqual([r.path, 403]);
        expect(await code(res)).toBe('csrf_failed');
      }
    }
    expect(await count('audit_log')).toBe(audit);
    expect(await count('instrument_states')).toBe(0);
    // The same session with the token and our Origin goes through.
    expect((await lead.post('/api/v1/observe/logout')).status).toBe(200);
  });

  it('refuses a login from another origin (login CSRF) with 403', async () => {
    const who = await makeObserver('observer');
    const sessions = await count('observer_sessions');
    const r = await login(who.username, PASSWORD, { origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(await count('observer_sessions')).toBe(sessions);
  });
});

describe('logging in', () => {
  it('sets a __Host- cookie (HttpOnly, Secure, SameSite=Strict, Path=/) and stores only the token hash', async () => {
    const who = await makeObserver('observer', ['unit-a']);
    const r = await login(who.username, PASSWORD, { 'cf-connecting-ip': '192.0.2.10' });
    expect(r.status).toBe(200);
    const setCookie = r.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^__Host-kaoping_session=[A-Za-z0-9_-]{43};/);
    for (const attr of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/']) expect(setCookie).toContain(attr);
    expect(setCookie).not.toMatch(/Domain=/i);
    const body = sessionBody.parse(await r.json());
    expect(body.observer).toMatchObject({ username: who.username, role: 'observer', units: ['unit-a'] });
    expect(body.idleExpiresAt).toBe(new Date(NOW.getTime() + 30 * 60_000).toISOString());
    expect(body.expiresAt).toBe(new Date(NOW.getTime() + 8 * 3600_000).toISOString());
    const token = setCookie.split(';')[0]?.split('=')[1] as string;
    const rows = (await env.DB.prepare('SELECT * FROM observer_sessions WHERE observer = ?1').bind(who.id).all())
      .results;
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]?.token_hash).toBe(await sha256Hex(token));
    // The password is stored as a salted PBKDF2 hash.
    const hash = await env.DB.prepare('SELECT password_hash AS h FROM observers WHERE id = ?1')
      .bind(who.id)
      .first<{ h: string }>();
    expect(hash?.h).toMatch(/^pbkdf2\$100000\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
  });

  it('answers a wrong password, an unknown name and a disabled account alike (401)', async () => {
    const who = await makeObserver('observer');
    const off = await makeObserver('observer', [], { disabled: true });
    const bodies = new Set<string>();
    for (const [name, pw] of [
      [who.username, 'wrong password!!'],
      ['nobody-here', PASSWORD],
      [off.username, PASSWORD],
    ] as const) {
      const r = await login(name, pw, { 'cf-connecting-ip': '192.0.2.11' });
      expect(r.status).toBe(401);
      bodies.add(JSON.stringify(await r.json()));
    }
    expect(bodies.size).toBe(1);
  });

  // The issue report: 40 concurrent wrong passwords got 8 checked against a limit of 5 (counted after hashing).
  it('counts an attempt before hashing: 40 wrong passwords at once from one address, exactly 3 checked', async () => {
    const who = await makeObserver('observer');
    const from = { 'cf-connecting-ip': '192.0.2.12' };
    const hashes = vi.spyOn(crypto.subtle, 'deriveBits');
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(who.username, `wrong-${i}-password`, from)),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_THROTTLE.pair.free);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - LOGIN_THROTTLE.pair.free);
    expect(hashes).toHaveBeenCalledTimes(LOGIN_THROTTLE.pair.free);
    hashes.mockRestore();
    const refused = answers.find((r) => r.status === 429) as Response;
    expect(await code(refused)).toBe('login_locked');
    expect(Number(refused.headers.get('retry-after'))).toBe(1);
  });

  it('makes a name and address wait longer after each wrong try (1 s, 2 s, 4 s …), the right password too', async () => {
    const who = await makeObserver('observer');
    const from = { 'cf-connecting-ip': '192.0.2.13' };
    let t = 0;
    const wrong = () => login(who.username, `wrong-${t}-password`, from, atSeconds(t));
    for (let i = 0; i < LOGIN_THROTTLE.pair.free; i++) expect((await wrong()).status).toBe(401);
    const waits: number[] = [];
    for (const step of [1, 2, 4, 8]) {
      const early = await wrong();
      expect(early.status).toBe(429);
      waits.push(Number(early.headers.get('retry-after')));
      t += step;
      expect((await wrong()).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8]);
    // While it waits, even the right password is refused from here …
    expect((await login(who.username, PASSWORD, from, atSeconds(t))).status).toBe(429);
    // … and once the wait is over it works, and clears the count.
    t += 16;
    expect((await login(who.username, PASSWORD, from, atSeconds(t))).status).toBe(200);
    expect((await wrong()).status).toBe(401);
  });

  // The issue report: anyone who knew a login name could lock it for 15 minutes with 5 wrong tries from 5 addresses.
  it('never locks the owner out: 5 wrong tries from each of 5 addresses, then the owner logs in at once', async () => {
    const who = await makeObserver('observer');
    for (let a = 0; a < 5; a++) {
      for (let i = 0; i < 5; i++)
        await login(who.username, `wrong-${i}-password`, { 'cf-connecting-ip': `198.18.3.${a}` });
    }
    expect((await login(who.username, PASSWORD, { 'cf-connecting-ip': '192.0.2.40' })).status).toBe(200);
  });

  it('slows a run spread over many addresses down per name, late and briefly; an unknown name the same way', async () => {
    const who = await makeObserver('observer');
    const free = LOGIN_THROTTLE.name.free;
    for (const name of [who.username, 'ghost-user']) {
      const statuses: number[] = [];
      for (let a = 0; a < free + 5; a++)
        statuses.push((await login(name, 'wrong password!!', { 'cf-connecting-ip': `198.18.4.${a}` })).status);
      expect([name, statuses]).toEqual([name, [...Array(free).fill(401), ...Array(5).fill(429)]]);
    }
    // The owner waits a second at most, never fifteen minutes.
    const owner = { 'cf-connecting-ip': '192.0.2.41' };
    const now = await login(who.username, PASSWORD, owner);
    expect(now.status).toBe(429);
    expect(Number(now.headers.get('retry-after'))).toBe(1);
    expect((await login(who.username, PASSWORD, owner, atSeconds(1))).status).toBe(200);
    // Twenty-odd real password hashes in a row: more than the default 5 s on a loaded machine.
  }, 30_000);

  it('limits login attempts per address as well (429)', async () => {
    const from = { 'cf-connecting-ip': '192.0.2.14' };
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await login(`name-${i}`, 'wrong password!!', from)).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
  }, 30_000);
});

describe('sessions', () => {
  it('end after 30 idle minutes; activity keeps them alive until 8 hours', async () => {
    const s = await signIn(await makeObserver('observer'));
    const get = (minutes: number) => at(minutes).request('/api/v1/observe/session', { headers: { cookie: s.cookie } });
    expect((await get(29)).status).toBe(200);
    expect((await get(55)).status).toBe(200); // 26 minutes after the last request
    expect((await get(100)).status).toBe(401); // 45 idle minutes
    expect(
      await count('observer_sessions', `token_hash = '${await sha256Hex(s.cookie.split('=')[1] as string)}'`),
    ).toBe(0);

    const t = await signIn(await makeObserver('observer'));
    for (let m = 25; m < 8 * 60; m += 25) {
      expect((await at(m).request('/api/v1/observe/session', { headers: { cookie: t.cookie } })).status).toBe(200);
    }
    expect((await at(8 * 60 + 1).request('/api/v1/observe/session', { headers: { cookie: t.cookie } })).status).toBe(
      401,
    );
  });

  it('end at logout: the cookie is cleared and the token no longer works', async () => {
    const s = await signIn(await makeObserver('observer'));
    const r = await s.post('/api/v1/observe/logout');
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toMatch(/__Host-kaoping_session=;.*Max-Age=0/);
    expect((await s.get('/api/v1/observe/session')).status).toBe(401);
  });
});
