// The forum's public side: posting (pre- and post-moderation, codes that are
// checked but never consumed or stored), reading with paging, reporting.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { generateCode, hashCode, normaliseCrockford } from '../../src/domain/code';
import { apiError } from '../../src/domain/schemas/api';
import { forumSettingsBody, postCreated, threadList, threadPage, trackedPost } from '../../src/domain/schemas/forum';
import { LIMITS } from '../../src/server/guards/rate-limit';
import { client } from '../support/api-client';
import { codeWithPrefix, issue } from '../support/api-fixtures';
import { api, catalog, count, makeObserver, NOW, signIn, startThread, TOKEN } from '../support/observe-fixtures';

const ip = (n: number | string) => ({ 'cf-connecting-ip': `198.51.100.${n}` });
const MAX = LIMITS.codeFailures.max;
const reply = (
  thread: string,
  body: string,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
) =>
  api.json(
    `/api/v1/forum/threads/${thread}/posts`,
    { body, displayName: '回帖人', turnstileToken: TOKEN, ...extra },
    { headers },
  );
const list = async (appraisal = 'test-2026', query = '') =>
  threadList.parse(await (await api.request(`/api/v1/forum/threads?appraisal=${appraisal}${query}`)).json());

async function expectError(r: Response, status: number, code: string) {
  expect(r.status).toBe(status);
  const body = apiError.parse(await r.json());
  expect(body.error.code).toBe(code);
  return body;
}

describe('forum settings', () => {
  it('tell the island how the forum of an appraisal works and whether it is open', async () => {
    const s = forumSettingsBody.parse(await (await api.request('/api/v1/forum/settings/open-2026')).json());
    expect(s).toMatchObject({ moderation: 'post', requireCode: true, reportThreshold: 2, open: true });
    const old = forumSettingsBody.parse(await (await api.request('/api/v1/forum/settings/old-2025')).json());
    expect(old.open).toBe(false);
    expect((await api.request('/api/v1/forum/settings/nope')).status).toBe(404);
  });
});

describe('posting under pre-moderation', () => {
  it('stores a new thread as pending: not listed, not readable, nothing identifying kept', async () => {
    const r = await startThread({ unit: 'unit-a' }, { ...ip(1), 'user-agent': 'Mozilla/5.0 forum-agent' });
    expect(r.status).toBe(201);
    const created = postCreated.parse(await r.json());
    expect(created.status).toBe('pending');
    expect((await list()).threads.map((t) => t.id)).not.toContain(created.thread);
    expect((await api.request(`/api/v1/forum/threads/${created.thread}`)).status).toBe(404);
    // Replies to a thread nobody can see yet are refused.
    expect((await reply(created.thread, '我也遇到过同样的问题。', ip(1))).status).toBe(404);

    const dump = JSON.stringify([
      ...(await env.DB.prepare('SELECT * FROM forum_threads').all()).results,
      ...(await env.DB.prepare('SELECT * FROM forum_posts').all()).results,
    ]);
    for (const secret of ['198.51.100.1', 'forum-agent']) expect(dump).not.toContain(secret);
    const cols = (
      await env.DB.prepare("SELECT name FROM pragma_table_info('forum_posts')").all<{ name: string }>()
    ).results
      .map((c) => c.name)
      .sort();
    expect(cols).toEqual(
      [
        'appraisal',
        'body',
        'created_at',
        'display_name',
        'hidden_reason',
        'id',
        'moderated_at',
        'moderated_by',
        'opening',
        'reports',
        'reviewed_reports',
        'status',
        'thread',
        // The keyed hash of the author's tracking number: follows the post, names nobody.
        'tracking_hash',
        'unit',
      ].sort(),
    );
  });

  it('keeps text as typed, cleaned: line breaks normalised, control and bidi characters dropped', async () => {
    const r = await startThread(
      { body: 'Line one\r\nLine\u202e two\u0007\r\n\r\n\r\n\r\n\r\nend  ', title: '  多余的   空格  ' },
      ip(2),
    );
    const { post } = postCreated.parse(await r.json());
    const row = await env.DB.prepare(
      'SELECT p.body, t.title FROM forum_posts p JOIN forum_threads t ON t.id = p.thread WHERE p.id = ?1',
    )
      .bind(post)
      .first<{ body: string; title: string }>();
    expect(row).toEqual({ body: 'Line one\nLine two\n\n\nend', title: '多余的 空格' });
  });

  it('refuses, storing nothing: bad fields (400), failed Turnstile (403), closed phase (423), unknown unit (400)', async () => {
    const before = await count('forum_posts');
    const short = await expectError(await startThread({ title: '短' }, ip(3)), 400, 'validation_failed');
    expect(short.error.issues?.map((i) => i.path.join('.'))).toContain('title');
    await expectError(await startThread({ body: 'x'.repeat(2001) }, ip(3)), 400, 'validation_failed');
    await expectError(await startThread({ displayName: '   ' }, ip(3)), 400, 'validation_failed');
    await expectError(await startThread({ unit: 'no-such-unit' }, ip(3)), 400, 'validation_failed');
    const forged = await api.json(
      '/api/v1/forum/threads',
      {
        appraisal: 'test-2026',
        title: '标题四个字',
        body: '五个字以上的内容',
        displayName: '某人',
        turnstileToken: 'forged',
      },
      { headers: ip(3) },
    );
    await expectError(forged, 403, 'turnstile_failed');
    await expectError(await startThread({ appraisal: 'old-2025' }, ip(3)), 423, 'collection_closed');
    expect(await count('forum_posts')).toBe(before);
  });
});

describe('posting under post-moderation with a required code', () => {
  it('needs a valid code, which is checked but neither consumed nor stored', async () => {
    const [code] = await issue('npc_deputy', 1, { appraisal: 'open-2026' });
    const before = await count('forum_posts');
    const missing = await expectError(await startThread({ appraisal: 'open-2026' }, ip(10)), 400, 'validation_failed');
    expect(missing.error.issues?.[0]?.path).toEqual(['code']);
    await expectError(
      await startThread({ appraisal: 'open-2026', code: '0000-0000-0000-0' }, ip(10)),
      401,
      'unauthorized',
    );
    // A code of another appraisal does not open this forum.
    const [other] = await issue('npc_deputy', 1, { appraisal: 'test-2026' });
    await expectError(await startThread({ appraisal: 'open-2026', code: other }, ip(10)), 401, 'unauthorized');
    expect(await count('forum_posts')).toBe(before);

    const r = await startThread({ appraisal: 'open-2026', code }, ip(10));
    expect(r.status).toBe(201);
    const created = postCreated.parse(await r.json());
    expect(created.status).toBe('visible');
    expect((await list('open-2026')).threads[0]?.id).toBe(created.thread);
    // Used again: still valid (not consumed), and nothing links the post to it.
    expect((await startThread({ appraisal: 'open-2026', code, title: '第二个主题' }, ip(10))).status).toBe(201);
    expect(await count('redemptions')).toBe(0);
    const dump = JSON.stringify((await env.DB.prepare('SELECT * FROM forum_posts').all()).results);
    expect(dump).not.toContain(code as string);
    expect(dump).not.toContain(await hashCode(env.CODE_PEPPER as string, code as string));
  });

  it('cuts a burst of guesses off in the database: a right code sent amid 60 wrong ones with its prefix at once is refused', async () => {
    const [right] = await issue('npc_deputy', 1, { appraisal: 'open-2026' });
    const prefix = (right as string).slice(0, 4);
    const codes = Array.from({ length: 60 }, (_, i) => (i === 45 ? (right as string) : codeWithPrefix(prefix)));
    const answers = await Promise.all(codes.map((code, i) => startThread({ appraisal: 'open-2026', code }, ip(i))));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(LIMITS.prefixFailures.max);
    expect(statuses.filter((s) => s === 429)).toHaveLength(60 - LIMITS.prefixFailures.max);
  });

  it(`counts a right code as no failure: ${MAX - 1} wrong, 3 right, then the ${MAX}th wrong is still a 401`, async () => {
    const [right] = await issue('npc_deputy', 1, { appraisal: 'open-2026' });
    const from = ip(79);
    for (let i = 0; i < MAX - 1; i++)
      expect((await startThread({ appraisal: 'open-2026', code: generateCode() }, from)).status).toBe(401);
    for (let i = 0; i < 3; i++) {
      expect((await startThread({ appraisal: 'open-2026', code: right, title: `第 ${i} 次发帖` }, from)).status).toBe(
        201,
      );
    }
    expect((await startThread({ appraisal: 'open-2026', code: generateCode() }, from)).status).toBe(401);
    expect((await startThread({ appraisal: 'open-2026', code: right }, from)).status).toBe(429);
  }, 60_000);

  it('lists visible threads newest activity first and pages replies by 20', async () => {
    const [code] = await issue('npc_deputy', 1, { appraisal: 'open-2026' });
    const { thread } = postCreated.parse(
      await (await startThread({ appraisal: 'open-2026', code, title: '分页测试主题' }, ip(20))).json(),
    );
    for (let i = 0; i < 24; i++) {
      const r = await reply(thread, `第 ${i + 1} 条回复内容`, ip(`21${i % 9}`), { code });
      expect(r.status).toBe(201);
    }
    const p1 = threadPage.parse(await (await api.request(`/api/v1/forum/threads/${thread}`)).json());
    expect(p1).toMatchObject({ page: 1, pages: 2, total: 25 });
    expect(p1.posts).toHaveLength(20);
    expect(p1.posts[0]).toMatchObject({ opening: true });
    expect(p1.thread.replies).toBe(24);
    const p2 = threadPage.parse(await (await api.request(`/api/v1/forum/threads/${thread}?page=2`)).json());
    expect(p2.posts).toHaveLength(5);
    expect(p2.posts.map((p) => p.body).at(-1)).toBe('第 24 条回复内容');
    expect((await list('open-2026')).threads[0]?.id).toBe(thread);
    expect((await api.request(`/api/v1/forum/threads/${thread}?page=0`)).status).toBe(400);
  });

  it('hides a post once enough different people report it; the same reporter counts once', async () => {
    const [code] = await issue('npc_deputy', 1, { appraisal: 'open-2026' });
    const { thread, post } = postCreated.parse(
      await (await startThread({ appraisal: 'open-2026', code, title: '将被举报的主题' }, ip(30))).json(),
    );
    const report = (from: string) =>
      api.json(
        `/api/v1/forum/posts/${post}/reports`,
        { turnstileToken: TOKEN },
        { headers: { 'cf-connecting-ip': from } },
      );
    expect((await report('203.0.113.1')).status).toBe(202);
    expect((await report('203.0.113.1')).status).toBe(202);
    expect((await api.request(`/api/v1/forum/threads/${thread}`)).status).toBe(200);
    expect(await count('forum_reports', `post = '${post}'`)).toBe(1);
    expect((await report('203.0.113.2')).status).toBe(202);
    // Threshold 2 reached: hidden pending review.
    expect((await api.request(`/api/v1/forum/threads/${thread}`)).status).toBe(404);
    const row = await env.DB.prepare('SELECT status, reports FROM forum_posts WHERE id = ?1').bind(post).first();
    expect(row).toEqual({ status: 'pending', reports: 2 });
    // A hidden post cannot be reported; unknown posts are 404.
    expect((await report('203.0.113.3')).status).toBe(404);
    expect(
      (await api.json(`/api/v1/forum/posts/${crypto.randomUUID()}/reports`, { turnstileToken: TOKEN })).status,
    ).toBe(404);
    // The reporter is kept as a daily keyed hash, never as the address.
    const dump = JSON.stringify((await env.DB.prepare('SELECT * FROM forum_reports').all()).results);
    expect(dump).not.toContain('203.0.113');
  });

  it('limits anonymous posting per address (429 with Retry-After), storing nothing past it', async () => {
    const from = ip(99);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await startThread({ title: `限流测试 ${i}` }, from)).status);
    expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const r = await startThread({ title: '限流测试 again' }, from);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await count('forum_threads', "title LIKE '限流测试%'")).toBe(10);
  });
});

describe('following a post, and posting it twice', () => {
  const track = (tracking: string, headers: Record<string, string> = {}) =>
    api.json('/api/v1/forum/posts/track', { tracking }, { headers });

  it('gives the author a tracking number that follows a pre-moderated post through review', async () => {
    const lead = await signIn(await makeObserver('lead'));
    const created = postCreated.parse(await (await startThread({ title: '查询号跟踪测试' }, ip(120))).json());
    expect(created.status).toBe('pending');
    expect(created.tracking).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    const pending = trackedPost.parse(await (await track(created.tracking)).json());
    expect(pending).toMatchObject({
      thread: created.thread,
      threadTitle: '查询号跟踪测试',
      opening: true,
      status: 'pending',
      hiddenReason: null,
      postedOn: '2026-11-23',
      moderatedOn: null,
    });
    // Typed in lower case with spaces: the same number.
    const typed = created.tracking.toLowerCase().replace(/-/g, ' ');
    expect((await track(typed)).status).toBe(200);
    expect((await lead.post(`/api/v1/observe/posts/${created.post}/approve`)).status).toBe(200);
    expect(trackedPost.parse(await (await track(created.tracking)).json())).toMatchObject({
      status: 'visible',
      moderatedOn: '2026-11-23',
    });
    expect((await lead.post(`/api/v1/observe/posts/${created.post}/hide`, { reason: '含个人隐私信息' })).status).toBe(
      200,
    );
    expect(trackedPost.parse(await (await track(created.tracking)).json())).toMatchObject({
      status: 'hidden',
      hiddenReason: '含个人隐私信息',
    });
    // A reply gets one too; the number is stored only as a keyed hash.
    const [code] = await issue('npc_deputy', 1, { appraisal: 'open-2026' });
    const open = postCreated.parse(
      await (await startThread({ appraisal: 'open-2026', code, title: '可回复的主题' }, ip(121))).json(),
    );
    const replied = postCreated.parse(
      await (await reply(open.thread, '一条带查询号的回复。', ip(122), { code })).json(),
    );
    expect(trackedPost.parse(await (await track(replied.tracking)).json())).toMatchObject({
      opening: false,
      status: 'visible',
    });
    const dump = JSON.stringify((await env.DB.prepare('SELECT * FROM forum_posts').all()).results);
    for (const t of [created.tracking, replied.tracking]) {
      expect(dump).not.toContain(t);
      expect(dump).not.toContain(normaliseCrockford(t));
    }
  });

  it('answers an unknown number 404 and a malformed one 400, and limits lookups per address', async () => {
    await expectError(await track('ABCDE-FGHJK-MNPQR', ip(123)), 404, 'not_found');
    await expectError(await track('ABC', ip(123)), 400, 'validation_failed');
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.track.max + 2; i++) statuses.push((await track('ABCDE-FGHJK-MNPQR', ip(124))).status);
    expect(statuses.slice(0, LIMITS.track.max).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(LIMITS.track.max)).toEqual([429, 429]);
  });

  // The issue report: an identical post was accepted twice.
  it('refuses the same reply in the same thread within a day, from anyone, storing nothing', async () => {
    const [code] = await issue('npc_deputy', 1, { appraisal: 'open-2026' });
    const { thread } = postCreated.parse(
      await (await startThread({ appraisal: 'open-2026', code, title: '重复回复测试' }, ip(125))).json(),
    );
    const text = '同意楼上的意见, 建议尽快整改。';
    expect((await reply(thread, text, ip(126), { code })).status).toBe(201);
    const posts = await count('forum_posts', `thread = '${thread}'`);
    await expectError(await reply(thread, text, ip(126), { code }), 409, 'duplicate_post');
    // From another address, and padded differently: cleaning makes it the same text.
    await expectError(await reply(thread, `  ${text}\n`, ip(127), { code }), 409, 'duplicate_post');
    expect(await count('forum_posts', `thread = '${thread}'`)).toBe(posts);
    // Another text, or the same text in another thread, is a new post.
    expect((await reply(thread, `${text}补充一句。`, ip(126), { code })).status).toBe(201);
    const other = postCreated.parse(
      await (await startThread({ appraisal: 'open-2026', code, title: '另一个主题' }, ip(125))).json(),
    );
    expect((await reply(other.thread, text, ip(126), { code })).status).toBe(201);
    // A day later the same text may be posted again.
    const tomorrow = client({ catalog, now: () => new Date(NOW.getTime() + 24 * 3600_000 + 60_000) });
    const again = await tomorrow.json(
      `/api/v1/forum/threads/${thread}/posts`,
      { body: text, displayName: '回帖人', turnstileToken: TOKEN, code },
      { headers: ip(126) },
    );
    expect(again.status).toBe(201);
  });

  it('refuses the same new thread (title and text) within a day; the attempt still counts against the limit', async () => {
    const fields = { title: '重复主题测试', body: '请问办事大厅周六是否开放?' };
    expect((await startThread(fields, ip(128))).status).toBe(201);
    const limits = await env.DB.prepare('SELECT coalesce(sum(hits), 0) AS n FROM rate_limits').first<{ n: number }>();
    await expectError(await startThread(fields, ip(128)), 409, 'duplicate_post');
    await expectError(await startThread(fields, ip(129)), 409, 'duplicate_post');
    expect(await count('forum_threads', "title = '重复主题测试'")).toBe(1);
    const after = await env.DB.prepare('SELECT coalesce(sum(hits), 0) AS n FROM rate_limits').first<{ n: number }>();
    expect((after?.n ?? 0) - (limits?.n ?? 0)).toBe(2);
    expect((await startThread({ ...fields, title: '重复主题测试之二' }, ip(128))).status).toBe(201);
  });

  it('refuses a display name that poses as an official', async () => {
    const r = await startThread({ displayName: '县委组织部考核组' }, ip(130));
    const body = await expectError(r, 400, 'validation_failed');
    expect(body.error.issues?.[0]?.path).toEqual(['displayName']);
    await expectError(await startThread({ displayName: '\u3164\u3164' }, ip(130)), 400, 'validation_failed');
  });
});

describe('searching the forum (the site search covers threads)', () => {
  const search = async (q: string) => api.request(`/api/v1/forum/search?q=${encodeURIComponent(q)}`);
  const found = async (q: string) => threadList.parse(await (await search(q)).json());

  it('finds visible threads by a word of the title or of any visible post, and nothing pending', async () => {
    const [code] = await issue('npc_deputy', 1, { appraisal: 'open-2026' });
    const open = postCreated.parse(
      await (await startThread({ appraisal: 'open-2026', code, title: '城南菜市场停车难' }, ip(40))).json(),
    );
    expect((await reply(open.thread, '周末早上尤其拥堵, 建议错峰开放。', ip(41), { code })).status).toBe(201);
    // Pre-moderated and not yet approved: never found.
    const pending = postCreated.parse(await (await startThread({ title: '城南菜市场的另一个问题' }, ip(42))).json());
    expect(pending.status).toBe('pending');

    expect((await found('菜市场')).threads.map((t) => t.id)).toEqual([open.thread]);
    expect((await found('错峰')).threads.map((t) => t.id)).toEqual([open.thread]);
    expect((await found('错峰')).total).toBe(1);
    expect((await found('不存在的词语')).threads).toEqual([]);
    // The phrase is data, not a pattern: LIKE's wildcards match only themselves.
    expect((await found('%')).threads).toEqual([]);
    expect((await found('_')).threads).toEqual([]);
  });

  it('refuses an empty or overlong phrase in the one error shape', async () => {
    await expectError(await search('  '), 400, 'validation_failed');
    await expectError(await search('长'.repeat(51)), 400, 'validation_failed');
  });
});
