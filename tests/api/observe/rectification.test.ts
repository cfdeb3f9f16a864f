// The rectification ledger in the console: leads add and edit items, each
// change audited in its batch; the status (整改中 / 已完成 / 逾期) comes from
// the deadline and today, never from storage; the public sees it at once.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { apiError } from '../../../src/domain/schemas/api';
import { rectificationItem, rectificationList } from '../../../src/domain/schemas/rectification';
import { client } from '../../support/api-client';
import { api, catalog, count, makeObserver, objectionCredential, signIn, TOKEN } from '../../support/observe-fixtures';

const item = (fields: Record<string, unknown> = {}) => ({
  appraisal: 'test-2026',
  unit: 'unit-a',
  source: 'checklist',
  sourceNote: '反测评: 服务意识不强 (12 票)',
  problem: '窗口工作人员服务意识不强。',
  measure: '开展窗口作风专项整治, 每周服务规范培训。',
  responsible: '分管副局长、政务服务科',
  deadline: '2026-12-31',
  ...fields,
});

describe('the ledger in the console', () => {
  it('a lead adds and edits items; the status follows the deadline and today; every change is audited', async () => {
    const lead = await signIn(await makeObserver('lead'));
    const audit = await count('audit_log');
    const created = await lead.post('/api/v1/observe/rectification', item({ deadline: '2026-11-30' }));
    expect(created.status).toBe(201);
    const a = rectificationItem.parse(await created.json());
    expect(a).toMatchObject({ status: 'in_progress', completedOn: null, source: 'checklist' });
    expect(await count('audit_log')).toBe(audit + 1);

    // The same row, read a week later: overdue, though nothing in storage changed.
    const later = client({ catalog, now: () => new Date('2026-12-01T02:00:00Z') });
    const lateLead = await signIn(await makeObserver('lead'), later);
    const seen = rectificationList.parse(
      await (await lateLead.get('/api/v1/observe/rectification?appraisal=test-2026&unit=unit-a')).json(),
    );
    expect(seen.items.find((i) => i.id === a.id)?.status).toBe('overdue');
    const stored = await env.DB.prepare('SELECT * FROM rectification_items WHERE id = ?1').bind(a.id).first();
    expect(JSON.stringify(stored)).not.toMatch(/overdue|in_progress|逾期/);

    // 销号: dated by the server's today; a stale edit is refused and leaves no trace.
    const done = await lead.post(`/api/v1/observe/rectification/${a.id}`, {
      version: a.version,
      done: true,
      evidence: '完成培训 12 场, 差评率下降。',
    });
    expect(done.status).toBe(200);
    const b = rectificationItem.parse(await done.json());
    expect(b).toMatchObject({ status: 'done', completedOn: '2026-11-23', evidence: '完成培训 12 场, 差评率下降。' });
    const before = await count('audit_log');
    expect(
      (await lead.post(`/api/v1/observe/rectification/${a.id}`, { version: a.version, measure: '旧的改动内容' }))
        .status,
    ).toBe(409);
    expect((await lead.post(`/api/v1/observe/rectification/${a.id}`, { version: b.version })).status).toBe(409);
    expect(await count('audit_log')).toBe(before);
    const entry = await env.DB.prepare(
      "SELECT before, after FROM audit_log WHERE action = 'rectification.update' AND target_id = ?1",
    )
      .bind(a.id)
      .first<{ before: string; after: string }>();
    expect(JSON.parse(entry?.before ?? '{}')).toEqual({ completedOn: null, evidence: null });
    expect(JSON.parse(entry?.after ?? '{}')).toEqual({
      completedOn: '2026-11-23',
      evidence: '完成培训 12 场, 差评率下降。',
    });

    // The public sees the change at once (the live sets of the appraisal are dropped on every change).
    const rows = (await (
      await api.request('/api/v1/open-data/rectification.json?appraisal=test-2026')
    ).json()) as Record<string, unknown>[];
    expect(rows.find((r) => r.id === a.id)).toMatchObject({
      status: 'done',
      completed_on: '2026-11-23',
      unit: 'unit-a',
    });
    const undone = await lead.post(`/api/v1/observe/rectification/${a.id}`, { version: b.version, done: false });
    expect(rectificationItem.parse(await undone.json())).toMatchObject({ status: 'in_progress', completedOn: null });
    const again = (await (
      await api.request('/api/v1/open-data/rectification.json?appraisal=test-2026')
    ).json()) as Record<string, unknown>[];
    expect(again.find((r) => r.id === a.id)).toMatchObject({ status: 'in_progress', completed_on: null });
  });

  it('only leads change it; bad input and an objection of another unit are refused, storing nothing', async () => {
    const observer = await signIn(await makeObserver('observer', ['unit-a']));
    const lead = await signIn(await makeObserver('lead'));
    const before = { items: await count('rectification_items'), audit: await count('audit_log') };
    expect((await observer.post('/api/v1/observe/rectification', item())).status).toBe(403);
    const bad = async (fields: Record<string, unknown>) => {
      const r = await lead.post('/api/v1/observe/rectification', item(fields));
      expect(r.status).toBe(400);
      return apiError.parse(await r.json()).error;
    };
    await bad({ unit: 'nope' });
    await bad({ appraisal: 'nope' });
    await bad({ deadline: '2026-13-45' });
    await bad({ problem: '短' });
    await bad({ source: 'rumour' });
    expect((await bad({ source: 'objection' })).issues?.[0]?.path).toEqual(['objection']);
    // An objection of unit-b cannot be cited for unit-a.
    const credential = await objectionCredential('test-2026', 'unit', 'unit-b');
    expect(
      (
        await api.json(
          '/api/v1/objections',
          {
            appraisal: 'test-2026',
            credential,
            kind: 'appeal',
            matter: '对评议结果有异议',
            grounds: '评议样本未覆盖主要业务窗口, 得分不能反映实际情况, 请求复核。',
            contact: { name: '王科长', phone: '0799-8600001' },
            turnstileToken: TOKEN,
          },
          { headers: { 'cf-connecting-ip': '198.18.7.1' } },
        )
      ).status,
    ).toBe(201);
    const objection = await env.DB.prepare("SELECT id FROM objections WHERE unit = 'unit-b'").first<{ id: string }>();
    const wrong = await bad({ source: 'objection', objection: objection?.id });
    expect(wrong.issues?.[0]?.path).toEqual(['objection']);
    expect(await count('rectification_items')).toBe(before.items);
    expect(await count('audit_log')).toBe(before.audit);
    // Cited for its own unit, it is accepted.
    const ok = await lead.post(
      '/api/v1/observe/rectification',
      item({ unit: 'unit-b', source: 'objection', objection: objection?.id }),
    );
    expect(ok.status).toBe(201);
  });
});
