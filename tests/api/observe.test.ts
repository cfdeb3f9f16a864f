// The observers' console API: sessions, CSRF, lock-out, roles, and the work
// queues. Every observer route is found from the app's own route table, so a
// route added later is covered by the 401/403 checks without editing them.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { apiError } from '../../src/domain/schemas/api';
import { postCreated } from '../../src/domain/schemas/forum';
import { messageCreated, messageDetail } from '../../src/domain/schemas/message';
import { liveView, messageQueue, moderationQueue, sessionBody } from '../../src/domain/schemas/observer-account';
import { sha256Hex } from '../../src/server/auth/bytes';
import { ballotAnswers, issue } from './fixtures';
import { client, submit } from './helpers';
import {
  api,
  catalog,
  count,
  login,
  makeObserver,
  NOW,
  ORIGIN,
  PASSWORD,
  sendMessage,
  signIn,
  startThread,
} from './observe-fixtures';

const at = (minutes: number) => client({ catalog, now: () => new Date(NOW.getTime() + minutes * 60_000) });
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

  it('locks a name for 15 minutes after 5 failures, even with the right password, known or not', async () => {
    const who = await makeObserver('observer');
    const from = { 'cf-connecting-ip': '192.0.2.12' };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(who.username, `wrong-${i}-password`, from)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const locked = await login(who.username, PASSWORD, from);
    expect(locked.status).toBe(429);
    expect(await code(locked)).toBe('login_locked');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    // From another address too: the lock is on the name.
    expect((await login(who.username, PASSWORD, { 'cf-connecting-ip': '192.0.2.13' })).status).toBe(429);
    // An unknown name locks the same way, so the lock says nothing about which names exist.
    const ghost: number[] = [];
    for (let i = 0; i < 6; i++) ghost.push((await login('ghost-user', `wrong-${i}-password`, from)).status);
    expect(ghost).toEqual([401, 401, 401, 401, 429, 429]);
    // Sixteen minutes later the right password works and clears the count.
    const later = at(16);
    const attempts = await count('login_attempts');
    expect((await login(who.username, PASSWORD, from, later)).status).toBe(200);
    expect(await count('login_attempts')).toBe(attempts - 1);
  });

  it('limits login attempts per address as well (429)', async () => {
    const from = { 'cf-connecting-ip': '192.0.2.14' };
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await login(`name-${i}`, 'wrong password!!', from)).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
  });
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

describe('roles and scopes', () => {
  it('only a lead pauses, closes or reopens an instrument (audited); an observer gets 403', async () => {
    const observer = await signIn(await makeObserver('observer', ['unit-a']));
    const lead = await signIn(await makeObserver('lead'));
    const r = await observer.post('/api/v1/observe/instruments/ballot-t/state', { state: 'closed' });
    expect(r.status).toBe(403);
    expect(await count('instrument_states')).toBe(0);

    expect((await lead.post('/api/v1/observe/instruments/ballot-t/state', { state: 'paused' })).status).toBe(200);
    expect((await api.request('/api/v1/instruments/ballot-t')).status).toBe(200);
    const paused = (await (await api.request('/api/v1/instruments/ballot-t')).json()) as { status: string };
    expect(paused.status).toBe('not_open');
    // A paused instrument refuses answers.
    const [c] = await issue('npc_deputy');
    expect((await submit(api, 'ballot-t', { code: c, answers: ballotAnswers() })).status).toBe(423);
    expect((await lead.post('/api/v1/observe/instruments/ballot-t/state', { state: 'paused' })).status).toBe(409);
    expect((await lead.post('/api/v1/observe/instruments/ballot-t/state', { state: 'open' })).status).toBe(200);
    expect((await submit(api, 'ballot-t', { code: c, answers: ballotAnswers() })).status).toBe(201);
    expect((await lead.post('/api/v1/observe/instruments/nope/state', { state: 'open' })).status).toBe(404);
    expect(await count('audit_log', "action = 'instrument.state'")).toBe(2);
    // An early close releases the tallies: it is final, or a second close would publish the ballots in between.
    expect((await lead.post('/api/v1/observe/instruments/rating-t/state', { state: 'closed' })).status).toBe(200);
    for (const state of ['open', 'paused'] as const) {
      const again = await lead.post('/api/v1/observe/instruments/rating-t/state', { state });
      expect(again.status).toBe(409);
      expect(JSON.stringify(await again.json())).toContain('不能重新开放');
    }
    expect(await count('audit_log', "action = 'instrument.state'")).toBe(3);
  });

  it('an observer moderates posts about its units and about no unit, not about others', async () => {
    const observer = await signIn(await makeObserver('observer', ['unit-a']));
    const mine = postCreated.parse(
      await (await startThread({ unit: 'unit-a' }, { 'cf-connecting-ip': '10.1.0.1' })).json(),
    );
    const general = postCreated.parse(await (await startThread({}, { 'cf-connecting-ip': '10.1.0.1' })).json());
    const other = postCreated.parse(
      await (await startThread({ unit: 'unit-b' }, { 'cf-connecting-ip': '10.1.0.1' })).json(),
    );
    expect((await observer.post(`/api/v1/observe/posts/${other.post}/approve`)).status).toBe(403);
    expect((await observer.post(`/api/v1/observe/posts/${other.post}/hide`, { reason: '无关内容' })).status).toBe(403);
    expect((await observer.post(`/api/v1/observe/posts/${mine.post}/approve`)).status).toBe(200);
    expect((await observer.post(`/api/v1/observe/posts/${general.post}/approve`)).status).toBe(200);
    // Its scope first, all visible in the queue.
    const q = moderationQueue.parse(await (await observer.get('/api/v1/observe/posts?queue=pending')).json());
    const ours = q.items.filter((i) => [mine.post, general.post, other.post].includes(i.id));
    expect(ours.map((i) => [i.id, i.inScope])).toEqual([[other.post, false]]);
    const lead = await signIn(await makeObserver('lead'));
    expect((await lead.post(`/api/v1/observe/posts/${other.post}/approve`)).status).toBe(200);
  });

  it('an observer handles messages in its scope only; a lead assigns across scopes', async () => {
    const obs = await makeObserver('observer', ['unit-a']);
    const observer = await signIn(obs);
    const lead = await signIn(await makeObserver('lead'));
    const from = { 'cf-connecting-ip': '10.2.0.1' };
    const send = async (subject: { kind: string; id: string }) => {
      const r = await sendMessage({ subject, contact: { phone: '0799-1234567' } }, from);
      expect(r.status).toBe(201);
      return messageCreated.parse(await r.json());
    };
    await send({ kind: 'official', id: 'off-a1' });
    await send({ kind: 'unit', id: 'unit-b' });
    const queue = messageQueue.parse(await (await observer.get('/api/v1/observe/messages?appraisal=test-2026')).json());
    const aboutA = queue.items.find((m) => m.subject?.id === 'off-a1');
    const aboutB = queue.items.find((m) => m.subject?.id === 'unit-b');
    expect(aboutA).toMatchObject({ unit: 'unit-a', inScope: true, hasContact: true });
    expect(aboutB).toMatchObject({ unit: 'unit-b', inScope: false });
    if (!aboutA || !aboutB) throw new Error('fixture');

    // Contact details: decrypted in scope only.
    const a = messageDetail.parse(await (await observer.get(`/api/v1/observe/messages/${aboutA.id}`)).json());
    expect(a.contact).toEqual({ phone: '0799-1234567' });
    const b = messageDetail.parse(await (await observer.get(`/api/v1/observe/messages/${aboutB.id}`)).json());
    expect(b.contact).toBeNull();
    for (const [path, payload] of [
      ['status', { status: 'verifying' }],
      ['notes', { text: '越权备注' }],
      ['reply', { text: '越权的公开答复内容' }],
      ['assign', { observer: obs.id }],
    ] as const) {
      expect((await observer.post(`/api/v1/observe/messages/${aboutB.id}/${path}`, payload)).status).toBe(403);
    }
    // The lead hands it to the observer, who may then act on it.
    expect((await lead.post(`/api/v1/observe/messages/${aboutB.id}/assign`, { observer: obs.id })).status).toBe(200);
    expect((await observer.post(`/api/v1/observe/messages/${aboutB.id}/status`, { status: 'verifying' })).status).toBe(
      200,
    );
    // Assigning to someone who is not an active observer is refused.
    expect(
      (await lead.post(`/api/v1/observe/messages/${aboutA.id}/assign`, { observer: crypto.randomUUID() })).status,
    ).toBe(409);
    const mine = messageQueue.parse(
      await (await observer.get('/api/v1/observe/messages?scope=mine&appraisal=test-2026')).json(),
    );
    expect(mine.items.map((m) => m.id).sort()).toEqual([aboutA.id, aboutB.id].sort());
    expect(mine.counts).toMatchObject({ received: 1, verifying: 1 });
  });
});

describe('work queues', () => {
  it('moderation: approve makes a pending post public; hide needs a reason; stale actions are 409', async () => {
    const lead = await signIn(await makeObserver('lead'));
    const t = postCreated.parse(
      await (await startThread({ title: '审核流程测试' }, { 'cf-connecting-ip': '10.3.0.1' })).json(),
    );
    expect((await api.request(`/api/v1/forum/threads/${t.thread}`)).status).toBe(404);
    const before = moderationQueue.parse(await (await lead.get('/api/v1/observe/posts?queue=pending')).json());
    expect(before.items.map((i) => i.id)).toContain(t.post);
    expect((await lead.post(`/api/v1/observe/posts/${t.post}/approve`)).status).toBe(200);
    expect((await api.request(`/api/v1/forum/threads/${t.thread}`)).status).toBe(200);
    expect((await lead.post(`/api/v1/observe/posts/${t.post}/approve`)).status).toBe(409);
    const after = moderationQueue.parse(await (await lead.get('/api/v1/observe/posts?queue=pending')).json());
    expect(after.counts.pending).toBe(before.counts.pending - 1);

    expect((await lead.post(`/api/v1/observe/posts/${t.post}/hide`, { reason: '' })).status).toBe(400);
    expect((await lead.post(`/api/v1/observe/posts/${t.post}/hide`, { reason: '含个人隐私信息' })).status).toBe(200);
    expect((await api.request(`/api/v1/forum/threads/${t.thread}`)).status).toBe(404);
    const hidden = moderationQueue.parse(await (await lead.get('/api/v1/observe/posts?queue=hidden')).json());
    expect(hidden.items.find((i) => i.id === t.post)?.hiddenReason).toBe('含个人隐私信息');
    expect((await lead.post(`/api/v1/observe/posts/${crypto.randomUUID()}/approve`)).status).toBe(404);
  });

  it('the live view shows turnout only while open, and tallies not yet public once closed, to observers only', async () => {
    const who = await makeObserver('observer');
    const observer = await signIn(who);
    const [c] = await issue('party_deputy');
    expect((await submit(api, 'ballot-t', { code: c, answers: ballotAnswers('good') })).status).toBe(201);
    expect((await api.request('/api/v1/instruments/ballot-t/tally')).status).toBe(403);
    const live = liveView.parse(await (await observer.get('/api/v1/observe/live?appraisal=test-2026')).json());
    const ballot = live.instruments.find((i) => i.id === 'ballot-t');
    // Exact turnout for observers, but no counts or scores before the close: two reads would show one ballot.
    expect(ballot?.turnout.find((x) => x.raterCategory === 'party_deputy')?.responses).toBeGreaterThanOrEqual(1);
    expect(ballot?.talliesReleased).toBe(false);
    expect(ballot?.subjects).toEqual([]);
    expect(live.instruments.find((i) => i.id === 'q-public')?.questions).toEqual([]);
    const csv = await (await observer.get('/api/v1/observe/exports/tallies.csv?appraisal=test-2026')).text();
    expect(csv).not.toContain('ballot-t');

    // After the close (the ballot's tallyPolicy keeps it from the public until results are published).
    const closed = client({ catalog, now: () => new Date('2026-12-21T00:00:00Z') });
    const later = await signIn(who, closed);
    const after = liveView.parse(await (await later.get('/api/v1/observe/live?appraisal=test-2026')).json());
    const ballotAfter = after.instruments.find((i) => i.id === 'ballot-t');
    expect(ballotAfter?.talliesReleased).toBe(true);
    expect(ballotAfter?.subjects[0]?.score).not.toBeNull();
    expect(after.subjectNames.find((s) => s.subject.id === 'unit-a')?.name).toBe('甲局领导班子');
    expect(after.instruments.find((i) => i.id === 'q-public')?.questions.map((x) => x.id)).toEqual(['q1', 'q2']);
    const csvAfter = await (await later.get('/api/v1/observe/exports/tallies.csv?appraisal=test-2026')).text();
    expect(csvAfter).toContain('ballot-t');
    expect((await observer.get('/api/v1/observe/live?appraisal=nope')).status).toBe(404);
  });

  it('exports messages and tallies as CSV with a BOM, formulas defused, no contact details', async () => {
    const lead = await signIn(await makeObserver('lead'));
    await sendMessage(
      { body: '=HYPERLINK("http://evil.example") 请核实', contact: { email: 'secret@example.org' } },
      {
        'cf-connecting-ip': '10.4.0.1',
      },
    );
    const r = await lead.get('/api/v1/observe/exports/messages.csv?appraisal=test-2026');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    expect(r.headers.get('content-disposition')).toContain('messages-test-2026.csv');
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('"\'=HYPERLINK(""http://evil.example"") 请核实"');
    expect(text).not.toContain('secret@example.org');
    const tallies = await (await lead.get('/api/v1/observe/exports/tallies.csv?appraisal=test-2026')).text();
    expect(tallies.split('\r\n')[0]).toBe(
      'instrument,instrumentTitle,subject,question,questionLabel,option,optionLabel,raterCategory,count',
    );
  });
});
