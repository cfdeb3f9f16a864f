import { describe, expect, it } from 'vitest';
import { postCreated } from '../../../src/domain/schemas/forum';
import { moderationQueue } from '../../../src/domain/schemas/observer-account';
import { issue } from '../../support/api-fixtures';
import { api, makeObserver, signIn, startThread, TOKEN } from '../../support/observe-fixtures';

describe('roles and scopes', () => {
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
});

// The issue report: three reports from three addresses hid any post, again right after an observer approved it.
describe('reports', () => {
  const report = (post: string, from: string) =>
    api.json(
      `/api/v1/forum/posts/${post}/reports`,
      { turnstileToken: TOKEN },
      { headers: { 'cf-connecting-ip': from } },
    );

  it('a post an observer approved stays up whatever the reports, and waits in the reported queue', async () => {
    const lead = await signIn(await makeObserver('lead'));
    // Pre-moderated: every visible post has been approved by an observer.
    const t = postCreated.parse(
      await (await startThread({ title: '被举报的已审帖子' }, { 'cf-connecting-ip': '10.4.0.1' })).json(),
    );
    expect((await lead.post(`/api/v1/observe/posts/${t.post}/approve`)).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await report(t.post, `10.4.1.${i}`)).status).toBe(202);
    expect((await api.request(`/api/v1/forum/threads/${t.thread}`)).status).toBe(200);
    const q = moderationQueue.parse(await (await lead.get('/api/v1/observe/posts?queue=reported')).json());
    expect(q.items.find((i) => i.id === t.post)).toMatchObject({ status: 'visible', openReports: 10 });
    // The observer decides: hiding it works as ever.
    expect((await lead.post(`/api/v1/observe/posts/${t.post}/hide`, { reason: '人身攻击' })).status).toBe(200);
    expect((await api.request(`/api/v1/forum/threads/${t.thread}`)).status).toBe(404);
  });

  it('a post nobody reviewed yet (post-moderation) is hidden at the threshold, and stays up once approved', async () => {
    const lead = await signIn(await makeObserver('lead'));
    const [code] = await issue('npc_deputy', 1, { appraisal: 'open-2026' });
    const t = postCreated.parse(
      await (
        await startThread({ appraisal: 'open-2026', code, title: '先发后审的帖子' }, { 'cf-connecting-ip': '10.4.0.2' })
      ).json(),
    );
    expect(t.status).toBe('visible');
    // open-2026's threshold is 2.
    for (const i of [1, 2]) expect((await report(t.post, `10.4.2.${i}`)).status).toBe(202);
    expect((await api.request(`/api/v1/forum/threads/${t.thread}`)).status).toBe(404);
    expect((await lead.post(`/api/v1/observe/posts/${t.post}/approve`)).status).toBe(200);
    for (const i of [3, 4, 5]) expect((await report(t.post, `10.4.2.${i}`)).status).toBe(202);
    expect((await api.request(`/api/v1/forum/threads/${t.thread}`)).status).toBe(200);
  });
});
