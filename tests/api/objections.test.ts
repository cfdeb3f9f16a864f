// Objections (申诉 / 质询): filed with a per-subject credential inside the
// result's window (423 with the dates outside it), tracked by number, and
// taken through 受理 → 复核 → 结论 → 答复 in the console, every step audited in
// the same batch; public decisions appear in the open data.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { RuntimeCatalog } from '../../src/domain/catalog';
import { hmacHex, normaliseCrockford } from '../../src/domain/code';
import { generateCredential } from '../../src/domain/objection';
import { apiError } from '../../src/domain/schemas/api';
import {
  objectionCreated,
  objectionDetail,
  objectionQueue,
  trackedObjection,
} from '../../src/domain/schemas/objection';
import { decryptContact } from '../../src/server/auth/contact';
import { client } from '../support/api-client';
import { issue } from '../support/api-fixtures';
import {
  catalog as base,
  count,
  makeObserver,
  NOW,
  objectionCredential,
  signIn,
  TOKEN,
} from '../support/observe-fixtures';

const appraisal = (id: string, resultsOn: string | null) => ({
  ...(base.appraisals[0] as RuntimeCatalog['appraisals'][number]),
  id,
  title: id,
  resultsOn,
});
// At NOW (2026-11-23 in China): open from 11-20 to 11-30, ended on 11-11, not yet open, nothing published.
const catalog: RuntimeCatalog = {
  ...base,
  appraisals: [
    ...base.appraisals,
    appraisal('res-open', '2026-11-20'),
    appraisal('res-ended', '2026-11-01'),
    appraisal('res-upcoming', '2026-11-25'),
    appraisal('res-none', null),
  ],
};
const api = client({ catalog, now: () => NOW });
const later = (iso: string) => client({ catalog, now: () => new Date(iso) });

const credentialFor = objectionCredential;

let ip = 0;
const fresh = () => ({ 'cf-connecting-ip': `198.51.100.${++ip}` });
const CONTACT = { name: '王科长', phone: '0799-8600001' };
const file = (fields: Record<string, unknown>, headers: Record<string, string> = fresh(), via = api) =>
  via.json(
    '/api/v1/objections',
    {
      appraisal: 'res-open',
      kind: 'appeal',
      matter: '对满意度评议结果有异议',
      grounds: '本局服务对象抽样未覆盖主要业务窗口, 满意度得分不能反映实际情况, 请求复核。',
      contact: CONTACT,
      turnstileToken: TOKEN,
      ...fields,
    },
    { headers },
  );
const track = (tracking: string, via = api) => via.json('/api/v1/objections/track', { tracking }, { headers: fresh() });
const code = async (r: Response) => apiError.parse(await r.json()).error;

describe('filing an objection', () => {
  it('with the subject’s credential: a tracking number, the subject from the credential, deadlines in working days', async () => {
    const credential = await credentialFor('res-open', 'unit', 'unit-a');
    const r = await file({ credential, attachments: '1. 抽样名单 (1份)' });
    expect(r.status).toBe(201);
    const created = objectionCreated.parse(await r.json());
    expect(created.subject).toEqual({ kind: 'unit', id: 'unit-a' });
    // Filed Monday 2026-11-23: 5 working days to accept, 15 to answer.
    expect(created).toMatchObject({ filedOn: '2026-11-23', acceptDue: '2026-11-30', answerDue: '2026-12-14' });
    const row = await env.DB.prepare('SELECT * FROM objections WHERE subject_id = ?1')
      .bind('unit-a')
      .first<Record<string, unknown>>();
    expect(row).toMatchObject({ status: 'filed', unit: 'unit-a', kind: 'appeal', appraisal: 'res-open' });
    // Not anonymous, but the contact is stored only encrypted, and neither number is stored in the clear.
    const dump = JSON.stringify(row);
    for (const secret of ['王科长', '8600001', created.tracking, normaliseCrockford(created.tracking), credential]) {
      expect(dump).not.toContain(secret);
    }
    expect(await decryptContact(env.CONTACT_KEY, row?.contact as string)).toEqual(CONTACT);
    expect(row?.tracking_hash).toBe(
      await hmacHex(`objection-tracking:${env.CODE_PEPPER}`, normaliseCrockford(created.tracking)),
    );
    // The objector follows it by number: filed, with its deadlines; no decision yet.
    const t = trackedObjection.parse(await (await track(created.tracking.toLowerCase())).json());
    expect(t).toMatchObject({
      status: 'filed',
      subject: { kind: 'unit', id: 'unit-a' },
      attachments: '1. 抽样名单 (1份)',
      overdue: false,
      answer: null,
      refusal: null,
      public: false,
    });
    expect(t.history).toEqual([{ on: '2026-11-23', status: 'filed' }]);
    expect(JSON.stringify(t)).not.toContain('8600001');
  });

  it('only inside the window: 423 with the dates, nothing stored, no counter moved', async () => {
    const hits = async () =>
      (await env.DB.prepare('SELECT coalesce(sum(hits), 0) AS n FROM rate_limits').first<{ n: number }>())?.n ?? 0;
    const before = { o: await count('objections'), hits: await hits() };
    for (const [id, dates] of [
      ['res-ended', /2026-11-01 至 2026-11-11.*已经截止/],
      ['res-upcoming', /2026-11-25 至 2026-12-05.*尚未开始/],
      ['res-none', /尚未公布/],
    ] as const) {
      const credential = await credentialFor(id, 'unit', 'unit-b');
      const r = await file({ appraisal: id, credential });
      expect(r.status).toBe(423);
      const e = await code(r);
      expect(e.code).toBe('objection_closed');
      expect(e.message).toMatch(dates);
    }
    expect(await count('objections')).toBe(before.o);
    expect(await hits()).toBe(before.hits);
    // The last day is inside; the day after is not.
    const credential = await credentialFor('res-open', 'unit', 'unit-b');
    expect((await file({ credential }, fresh(), later('2026-11-30T15:59:00Z'))).status).toBe(201);
    const late = await file({ credential }, fresh(), later('2026-11-30T16:00:00Z'));
    expect(late.status).toBe(423);
    expect((await code(late)).message).toContain('2026-11-20 至 2026-11-30');
    expect(await count('objections')).toBe(before.o + 1);
  });

  it('refuses a wrong, revoked or other appraisal’s credential (401), and cuts off guessing at five', async () => {
    const before = await count('objections');
    const from = fresh();
    const other = await credentialFor('res-ended', 'unit', 'unit-c');
    const replaced = await credentialFor('res-open', 'unit', 'unit-c');
    const current = await credentialFor('res-open', 'unit', 'unit-c'); // re-issue: the one before is revoked
    for (const c of [generateCredential(), other, replaced]) {
      const r = await file({ credential: c }, from);
      expect(r.status).toBe(401);
      expect((await code(r)).code).toBe('credential_invalid');
    }
    for (let i = 0; i < 2; i++) expect((await file({ credential: generateCredential() }, from)).status).toBe(401);
    // A sixth try in ten minutes: even the right credential is refused from this client now.
    const cut = await file({ credential: current }, from);
    expect(cut.status).toBe(429);
    expect(cut.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await count('objections')).toBe(before);
    expect((await file({ credential: current })).status).toBe(201);
  });

  it('never takes a participation code, and a credential is never a participation code', async () => {
    const [participation] = await issue('npc_deputy');
    const r = await file({ credential: participation });
    expect(r.status).toBe(400);
    expect((await code(r)).code).toBe('validation_failed');
    const credential = await credentialFor('test-2026', 'unit', 'unit-a');
    const v = await api.json('/api/v1/codes/verify', { code: credential, turnstileToken: TOKEN }, { headers: fresh() });
    expect(v.status).toBe(401);
  });

  it('refuses, storing nothing: bad fields, Turnstile, no contact key, too many from one client', async () => {
    const credential = await credentialFor('res-open', 'group', 'unit-b');
    const before = await count('objections');
    const bad = async (fields: Record<string, unknown>, status: number, errorCode: string) => {
      const r = await file({ credential, ...fields });
      expect(r.status).toBe(status);
      expect((await code(r)).code).toBe(errorCode);
    };
    await bad({ grounds: '太短' }, 400, 'validation_failed');
    await bad({ contact: { name: '王' } }, 400, 'validation_failed');
    await bad({ kind: 'complaint' }, 400, 'validation_failed');
    await bad({ appraisal: 'nope' }, 400, 'validation_failed');
    await bad({ turnstileToken: 'forged' }, 403, 'turnstile_failed');
    const noKey = client({ catalog, now: () => NOW }, { CONTACT_KEY: '' });
    expect((await file({ credential }, fresh(), noKey)).status).toBe(503);
    expect(await count('objections')).toBe(before);
    const from = fresh();
    for (let i = 0; i < 5; i++) expect((await file({ credential }, from)).status).toBe(201);
    expect((await file({ credential }, from)).status).toBe(429);
    expect(await count('objections')).toBe(before + 5);
  });

  it('an unknown tracking number is 404', async () => {
    expect((await track('ABCDE-FGHJK-MNPQR')).status).toBe(404);
  });
});

describe('the review in the console', () => {
  const path = (id: string, step = '') => `/api/v1/observe/objections/${id}${step ? `/${step}` : ''}`;
  const audits = async (id: string) =>
    (
      await env.DB.prepare('SELECT action FROM audit_log WHERE target_id = ?1 ORDER BY id')
        .bind(id)
        .all<{ action: string }>()
    ).results.map((r) => r.action);

  it('受理 → 复核 → 结论 → 答复 → 公开, each step audited; the objector sees the answer, the public the decision', async () => {
    const credential = await credentialFor('res-open', 'unit', 'unit-a');
    const { tracking } = objectionCreated.parse(await (await file({ credential, kind: 'query' })).json());
    const lead = await signIn(await makeObserver('lead'), api);
    const reviewerAccount = await makeObserver('observer', ['unit-b']);
    const reviewer = await signIn(reviewerAccount, api);
    const queue = objectionQueue.parse(await (await lead.get('/api/v1/observe/objections?appraisal=res-open')).json());
    const item = queue.items.find((x) => x.matter && x.kind === 'query');
    if (!item) throw new Error('not listed');
    expect(item).toMatchObject({ status: 'filed', acceptDue: '2026-11-30', overdue: false, assignee: null });

    // Steps out of order, or by the wrong person, are refused and leave no trace.
    expect(
      (await lead.post(path(item.id, 'decide'), { decision: 'upheld', reasons: '理由足够长的说明文字。' })).status,
    ).toBe(409);
    expect((await reviewer.post(path(item.id, 'accept'))).status).toBe(403);
    expect(await audits(item.id)).toEqual([]);

    expect((await lead.post(path(item.id, 'accept'))).status).toBe(200);
    expect((await lead.post(path(item.id, 'accept'))).status).toBe(409);
    expect((await lead.post(path(item.id, 'assign'), { observer: reviewerAccount.id })).status).toBe(200);
    // Only the reviewer reveals the contact, and each click is one audit entry.
    expect((await lead.post(path(item.id, 'contact'))).status).toBe(403);
    const detail = objectionDetail.parse(await (await reviewer.get(path(item.id))).json());
    expect(detail).toMatchObject({ status: 'reviewing', mayRevealContact: true });
    expect(JSON.stringify(detail)).not.toContain('8600001');
    expect(await (await reviewer.post(path(item.id, 'contact'))).json()).toEqual(CONTACT);
    expect((await reviewer.post(path(item.id, 'notes'), { text: '已调取抽样名单, 内部核对中。' })).status).toBe(200);
    expect(
      (
        await reviewer.post(path(item.id, 'decide'), {
          decision: 'partly',
          reasons: '抽样未覆盖不动产登记窗口, 部分成立。',
        })
      ).status,
    ).toBe(200);
    // Before the written answer the objector sees the step, not the decision.
    const decided = trackedObjection.parse(await (await track(tracking)).json());
    expect(decided).toMatchObject({ status: 'decided', answer: null });
    expect(
      (await reviewer.post(path(item.id, 'answer'), { text: '经复核, 异议部分成立, 得分已按补充抽样重新计算。' }))
        .status,
    ).toBe(200);
    expect((await reviewer.post(path(item.id, 'publish'), { public: true })).status).toBe(403);
    expect((await lead.post(path(item.id, 'publish'), { public: true })).status).toBe(200);
    expect(await audits(item.id)).toEqual([
      'objection.accept',
      'objection.assign',
      'objection.view_contact',
      'objection.note',
      'objection.decide',
      'objection.answer',
      'objection.publish',
    ]);

    const t = trackedObjection.parse(await (await track(tracking)).json());
    expect(t).toMatchObject({
      status: 'answered',
      public: true,
      answer: {
        decision: 'partly',
        reasons: '抽样未覆盖不动产登记窗口, 部分成立。',
        text: '经复核, 异议部分成立, 得分已按补充抽样重新计算。',
        on: '2026-11-23',
      },
    });
    // The internal note and the publication are not steps the objector sees.
    expect(t.history.map((h) => h.status)).toEqual(['filed', 'accepted', 'reviewing', 'decided', 'answered']);
    expect(JSON.stringify(t)).not.toContain('内部核对');

    const open = await api.request('/api/v1/open-data/objection-decisions.json?appraisal=res-open');
    const rows = (await open.json()) as Record<string, unknown>[];
    expect(rows).toContainEqual(
      expect.objectContaining({
        id: item.id,
        subject: 'unit-a',
        decision: 'partly',
        kind: 'query',
        answered_on: '2026-11-23',
      }),
    );
    expect(JSON.stringify(rows)).not.toMatch(/8600001|王科长|抽样名单/);
    // Withdrawn again: gone from the public list.
    expect((await lead.post(path(item.id, 'publish'), { public: false })).status).toBe(200);
    const after = (await (
      await api.request('/api/v1/open-data/objection-decisions.json?appraisal=res-open')
    ).json()) as {
      id: string;
    }[];
    expect(after.map((r) => r.id)).not.toContain(item.id);
  });

  it('refuses with reasons, which the objector reads; an official’s decision is never published', async () => {
    const lead = await signIn(await makeObserver('lead'), api);
    const a = objectionCreated.parse(
      await (
        await file({ credential: await credentialFor('res-open', 'unit', 'unit-c'), matter: '不予受理测试的事项' })
      ).json(),
    );
    const qa = objectionQueue.parse(await (await lead.get('/api/v1/observe/objections?status=filed')).json());
    const refused = qa.items.find((x) => x.matter === '不予受理测试的事项');
    if (!refused) throw new Error('not listed');
    expect((await lead.post(path(refused.id, 'refuse'), { reason: '短' })).status).toBe(400);
    expect(
      (await lead.post(path(refused.id, 'refuse'), { reason: '所提事项不属于考核结果范围, 不予受理。' })).status,
    ).toBe(200);
    const t = trackedObjection.parse(await (await track(a.tracking)).json());
    expect(t).toMatchObject({ status: 'refused', refusal: '所提事项不属于考核结果范围, 不予受理。', overdue: false });

    const me = await makeObserver('lead');
    const lead2 = await signIn(me, api);
    await file({ credential: await credentialFor('res-open', 'official', 'off-a1', 'unit-a') });
    const qo = objectionQueue.parse(await (await lead2.get('/api/v1/observe/objections?status=filed')).json());
    const official = qo.items.find((x) => x.subject.kind === 'official');
    if (!official) throw new Error('not listed');
    await lead2.post(path(official.id, 'accept'));
    await lead2.post(path(official.id, 'assign'), { observer: me.id });
    await lead2.post(path(official.id, 'decide'), { decision: 'rejected', reasons: '考核程序符合规定, 维持原结果。' });
    await lead2.post(path(official.id, 'answer'), { text: '经复核, 维持原考核结果。' });
    const r = await lead2.post(path(official.id, 'publish'), { public: true });
    expect(r.status).toBe(400);
    expect(await audits(official.id)).not.toContain('objection.publish');
  });

  it('flags what is overdue: not accepted in five working days, not answered in fifteen', async () => {
    const credential = await credentialFor('res-open', 'unit', 'unit-b');
    await file({ credential, matter: '超期测试的异议事项' });
    const lead = await signIn(await makeObserver('lead'), api);
    const onTime = objectionQueue.parse(await (await lead.get('/api/v1/observe/objections?overdue=true')).json());
    expect(onTime.items.some((x) => x.matter === '超期测试的异议事项')).toBe(false);
    const dec1 = client({ catalog, now: () => new Date('2026-12-01T02:00:00Z') });
    const lateLead = await signIn(await makeObserver('lead'), dec1);
    const late = objectionQueue.parse(await (await lateLead.get('/api/v1/observe/objections?overdue=true')).json());
    const item = late.items.find((x) => x.matter === '超期测试的异议事项');
    expect(item).toMatchObject({ overdue: true, status: 'filed' });
    expect(late.overdue).toBeGreaterThan(0);
  });
});
