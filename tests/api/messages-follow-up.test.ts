// The opinion box after the reply: the deadline every message shows (working
// days), routing to the unit's observer, the writer's history, rating and one
// reopening, publication only with the writer's consent, and the units'
// public figures (satisfaction only from five ratings on).
import { env } from 'cloudflare:test';
import readXlsxFile from 'read-excel-file/universal';
import { describe, expect, it } from 'vitest';
import { messageCreated, trackedMessage } from '../../src/domain/schemas/message';
import { messageQueue } from '../../src/domain/schemas/observer-account';
import { XLSX_TYPE } from '../../src/lib/open-data/xlsx';
import { client } from '../support/api-client';
import {
  answeredMessage,
  api,
  catalog,
  count,
  makeObserver,
  sendMessage,
  signIn,
  TOKEN,
} from '../support/observe-fixtures';

let n = 0;
const from = () => ({ 'cf-connecting-ip': `198.19.${Math.floor(n / 200)}.${(n++ % 200) + 1}` });
const track = async (tracking: string, via = api) =>
  trackedMessage.parse(await (await via.json('/api/v1/messages/track', { tracking }, { headers: from() })).json());
const rate = (tracking: string, rating: string, extra: Record<string, unknown> = {}, via = api) =>
  via.json('/api/v1/messages/rate', { tracking, rating, turnstileToken: TOKEN, ...extra }, { headers: from() });
const reopen = (tracking: string, reason = '答复没有解决问题, 窗口仍然排长队。', via = api) =>
  via.json('/api/v1/messages/reopen', { tracking, reason, turnstileToken: TOKEN }, { headers: from() });

describe('deadlines and routing', () => {
  it('shows a reply deadline of 15 working days, to the writer and in the queue, flagged once missed', async () => {
    const r = await sendMessage({ subject: { kind: 'unit', id: 'unit-c' }, topic: 'efficiency' }, from());
    const created = messageCreated.parse(await r.json());
    // Received Monday 2026-11-23: due three weeks later.
    expect(created).toMatchObject({ receivedOn: '2026-11-23', replyDue: '2026-12-14' });
    expect(await track(created.tracking)).toMatchObject({
      replyDue: '2026-12-14',
      overdue: false,
      topic: 'efficiency',
    });
    const late = client({ catalog, now: () => new Date('2026-12-15T02:00:00Z') });
    expect(await track(created.tracking, late)).toMatchObject({ overdue: true });
    const lead = await signIn(await makeObserver('lead'), late);
    const q = messageQueue.parse(await (await lead.get('/api/v1/observe/messages?unit=unit-c')).json());
    expect(q.items[0]).toMatchObject({ replyDue: '2026-12-14', overdue: true, topic: 'efficiency' });
  });

  it('routes a message about a unit to its observer, an official’s to the official’s unit’s, others to nobody', async () => {
    const first = await makeObserver('observer', ['unit-b']);
    await makeObserver('lead', ['unit-b']); // observers come before leads
    await makeObserver('observer', ['unit-b'], { disabled: true }); // never to a disabled account
    const viewer = await signIn(await makeObserver('lead'));
    await sendMessage({ subject: { kind: 'unit', id: 'unit-b' }, body: '路由测试: 关于乙局的意见。' }, from());
    await sendMessage({ body: '路由测试: 关于考核工作本身。' }, from());
    const q = messageQueue.parse(await (await viewer.get('/api/v1/observe/messages?appraisal=test-2026')).json());
    const byBody = (s: string) => q.items.find((m) => m.body.startsWith(s));
    expect(byBody('路由测试: 关于乙局')?.assignee?.id).toBe(first.id);
    expect(byBody('路由测试: 关于考核工作')?.assignee).toBeNull();
  });
});

describe('after the reply', () => {
  it('the writer sees every step, rates the reply once, and reopens once with a new deadline', async () => {
    const { tracking, id, lead } = await answeredMessage({ subject: { kind: 'unit', id: 'unit-a' } });
    const t = await track(tracking);
    expect(t).toMatchObject({ status: 'answered', mayRate: true, mayReopen: true, rating: null });
    expect(t.history.map((h) => h.kind)).toEqual(['received', 'replied']);

    expect((await rate(tracking, 'unsatisfied')).status).toBe(200);
    expect((await rate(tracking, 'satisfied')).status).toBe(409);
    expect(await track(tracking)).toMatchObject({ rating: 'unsatisfied', mayRate: false });

    // Reopened two weeks later: back in the queue, due 15 working days from then; the old reply stays until replaced.
    const later = client({ catalog, now: () => new Date('2026-12-07T02:00:00Z') });
    expect((await reopen(tracking, undefined, later)).status).toBe(200);
    const reopened = await track(tracking, later);
    expect(reopened).toMatchObject({
      status: 'reopened',
      replyDue: '2026-12-28',
      mayReopen: false,
      mayRate: false,
      rating: null,
    });
    expect(reopened.history.map((h) => [h.kind, h.on])).toEqual([
      ['received', '2026-11-23'],
      ['replied', '2026-11-23'],
      ['rated', '2026-11-23'],
      ['reopened', '2026-12-07'],
    ]);
    expect(reopened.history.at(-1)?.text).toBe('答复没有解决问题, 窗口仍然排长队。');
    expect((await reopen(tracking)).status).toBe(409);
    // A new reply may be rated again; a second reopening never.
    expect(
      (await lead.post(`/api/v1/observe/messages/${id}/reply`, { text: '已增设两个窗口, 排队已明显缩短。' })).status,
    ).toBe(200);
    expect((await rate(tracking, 'satisfied')).status).toBe(200);
    expect(await track(tracking)).toMatchObject({ rating: 'satisfied', mayReopen: false });
    expect((await reopen(tracking)).status).toBe(409);
  });

  it('refuses, changing nothing: no reply yet, unknown number, Turnstile, bad input, too often', async () => {
    const waiting = messageCreated.parse(await (await sendMessage({}, from())).json());
    const before = { events: await count('message_events'), hits: await count('rate_limits') };
    expect((await rate(waiting.tracking, 'satisfied')).status).toBe(409);
    expect((await reopen(waiting.tracking)).status).toBe(409);
    expect((await rate('ABCDE-FGHJK-MNPQR', 'satisfied')).status).toBe(404);
    expect((await rate(waiting.tracking, 'great')).status).toBe(400);
    expect((await reopen(waiting.tracking, '短')).status).toBe(400);
    expect((await rate(waiting.tracking, 'satisfied', { turnstileToken: 'forged' })).status).toBe(403);
    expect(await count('message_events')).toBe(before.events);
    const { tracking } = await answeredMessage();
    const ip = { 'cf-connecting-ip': '198.19.250.1' };
    for (let i = 0; i < 10; i++) {
      await api.json(
        '/api/v1/messages/rate',
        { tracking: waiting.tracking, rating: 'satisfied', turnstileToken: TOKEN },
        { headers: ip },
      );
    }
    const cut = await api.json(
      '/api/v1/messages/rate',
      { tracking, rating: 'satisfied', turnstileToken: TOKEN },
      { headers: ip },
    );
    expect(cut.status).toBe(429);
    expect((await track(tracking)).rating).toBeNull();
  });
});

describe('in public', () => {
  it('publishes only with the writer’s consent and after the reply, never any contact; withdraws on request', async () => {
    const contact = { name: '赵先生', phone: '0799-3333333' };
    const yes = await answeredMessage({
      subject: { kind: 'unit', id: 'unit-b' },
      contact,
      publishConsent: true,
      topic: 'service',
    });
    const no = await answeredMessage({ subject: { kind: 'unit', id: 'unit-b' }, publishConsent: false });
    const waiting = await sendMessage({ publishConsent: true, body: '尚未答复的意见不能公开。' }, from());
    expect(waiting.status).toBe(201);
    const waitingId = (
      await env.DB.prepare("SELECT id FROM messages WHERE body = '尚未答复的意见不能公开。'").first<{
        id: string;
      }>()
    )?.id;
    expect((await yes.lead.post(`/api/v1/observe/messages/${yes.id}/publish`, { published: true })).status).toBe(200);
    expect((await no.lead.post(`/api/v1/observe/messages/${no.id}/publish`, { published: true })).status).toBe(409);
    expect((await no.lead.post(`/api/v1/observe/messages/${waitingId}/publish`, { published: true })).status).toBe(409);

    const list = (await (
      await api.request('/api/v1/open-data/answered-messages.json?appraisal=test-2026')
    ).json()) as Record<string, unknown>[];
    expect(list.map((r) => r.id)).toEqual([yes.id]);
    expect(list[0]).toMatchObject({ unit: 'unit-b', topic: 'service', reply: '经核实已整改, 特此答复。' });
    const dump = JSON.stringify(list);
    for (const secret of ['赵先生', '3333333', yes.tracking]) expect(dump).not.toContain(secret);
    expect(await track(yes.tracking)).toMatchObject({ published: true, publishConsent: true });

    expect((await yes.lead.post(`/api/v1/observe/messages/${yes.id}/publish`, { published: false })).status).toBe(200);
    const after = (await (
      await api.request('/api/v1/open-data/answered-messages.json?appraisal=test-2026')
    ).json()) as unknown[];
    expect(after).toEqual([]);
  });

  it('gives each unit its 办理率, on-time share and satisfaction, the last only from five ratings', async () => {
    const stats = async () =>
      (
        (await (await api.request('/api/v1/open-data/message-stats.json?appraisal=test-2026')).json()) as Record<
          string,
          unknown
        >[]
      ).find((r) => r.unit === 'unit-c');
    // Four answered and rated (three satisfied), one still waiting.
    for (const rating of ['satisfied', 'satisfied', 'unsatisfied', 'satisfied']) {
      const { tracking } = await answeredMessage({ subject: { kind: 'unit', id: 'unit-c' } });
      expect((await rate(tracking, rating)).status).toBe(200);
    }
    await sendMessage({ subject: { kind: 'unit', id: 'unit-c' } }, from());
    const four = await stats();
    expect(four).toMatchObject({ rated: 4, satisfied: null, satisfaction: null });
    expect(four?.received).toBeGreaterThanOrEqual(5);
    // The fifth rating publishes the share.
    const { tracking } = await answeredMessage({ subject: { kind: 'unit', id: 'unit-c' } });
    expect((await rate(tracking, 'satisfied')).status).toBe(200);
    const five = await stats();
    expect(five).toMatchObject({ rated: 5, satisfied: 4, satisfaction: 80 });
    expect(five?.handled).toBe(Number(five?.on_time));
    expect(five?.handled_rate).toBe(Math.round(((five?.handled as number) / (five?.received as number)) * 1000) / 10);
  });

  it('answers CSV with every formula defused, and 404 for an unknown appraisal', async () => {
    const { id, lead } = await answeredMessage({
      subject: { kind: 'unit', id: 'unit-a' },
      body: '=HYPERLINK("http://evil.example","点我") 反映问题',
      publishConsent: true,
    });
    expect((await lead.post(`/api/v1/observe/messages/${id}/publish`, { published: true })).status).toBe(200);
    const r = await api.request('/api/v1/open-data/answered-messages.csv?appraisal=test-2026');
    expect(r.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith('appraisal,id,unit')).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"") 反映问题"`);
    // The same rows as Excel: text cells stay text (a formula in a message is never a formula there).
    const x = await api.request('/api/v1/open-data/answered-messages.xlsx?appraisal=test-2026');
    expect(x.status).toBe(200);
    expect(x.headers.get('content-type')).toBe(XLSX_TYPE);
    expect(x.headers.get('content-disposition')).toBe('attachment; filename="answered-messages-test-2026.xlsx"');
    const [rows, notes] = await readXlsxFile(await x.arrayBuffer());
    const json = (await (
      await api.request('/api/v1/open-data/answered-messages.json?appraisal=test-2026')
    ).json()) as Record<string, unknown>[];
    const header = rows?.data[0] as string[];
    expect(rows?.data.slice(1)).toEqual(json.map((r) => header.map((k) => r[k])));
    expect(JSON.stringify(rows?.data)).toContain('=HYPERLINK(\\"http://evil.example\\"');
    expect(notes?.sheet).toBe('字段说明');
    expect(notes?.data.map((r) => r[0])).toEqual(expect.arrayContaining(header));
    expect((await api.request('/api/v1/open-data/answered-messages.json?appraisal=nope')).status).toBe(404);
    expect((await api.request('/api/v1/open-data/nope.json')).status).toBe(400);
  });
});
