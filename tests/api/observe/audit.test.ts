// The audit log: every observer action writes exactly one entry (who, what,
// when, before/after) in the batch of the change; refused actions write
// none; nothing can alter an entry, through the API or in the database; and
// the entries form one hash chain, even under concurrent actions, so an edit
// made with direct database access shows.
import { env } from 'cloudflare:test';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS, auditEntryHash, type StoredEntry, verifyAuditChain } from '../../../src/domain/audit-chain';
import { auditPage } from '../../../src/domain/schemas/audit';
import { postCreated } from '../../../src/domain/schemas/forum';
import {
  api,
  count,
  makeObserver,
  type Session,
  sendMessage,
  signIn,
  startThread,
} from '../../support/observe-fixtures';

async function entries(of: Session, query = '') {
  return auditPage.parse(await (await of.get(`/api/v1/observe/audit${query}`)).json());
}

describe('the audit log', () => {
  it('records every observer action once, with who, what, when, before and after', async () => {
    const obs = await makeObserver('observer', ['unit-a']);
    const lead = await signIn(await makeObserver('lead'));
    const from = { 'cf-connecting-ip': '10.9.0.1' };
    const t = postCreated.parse(await (await startThread({ title: '日志测试主题' }, from)).json());
    expect((await sendMessage({ contact: { phone: '0799-2222222' }, publishConsent: true }, from)).status).toBe(201);
    const id = (await env.DB.prepare('SELECT id FROM messages ORDER BY rowid DESC LIMIT 1').first<{ id: string }>())
      ?.id as string;
    const start = await count('audit_log');

    const steps: [string, () => Response | Promise<Response>][] = [
      ['post.approve', () => lead.post(`/api/v1/observe/posts/${t.post}/approve`)],
      ['post.hide', () => lead.post(`/api/v1/observe/posts/${t.post}/hide`, { reason: '重复内容' })],
      // Only the assignee reveals a contact: the lead takes the message first.
      [
        'message.assign',
        () => lead.post(`/api/v1/observe/messages/${id}/assign`, { observer: lead.session.observer.id }),
      ],
      ['message.view_contact', () => lead.post(`/api/v1/observe/messages/${id}/contact`)],
      ['message.status', () => lead.post(`/api/v1/observe/messages/${id}/status`, { status: 'verifying' })],
      ['message.note', () => lead.post(`/api/v1/observe/messages/${id}/notes`, { text: '已转相关单位' })],
      ['message.reply', () => lead.post(`/api/v1/observe/messages/${id}/reply`, { text: '已核实并答复反映人。' })],
      ['message.publish', () => lead.post(`/api/v1/observe/messages/${id}/publish`, { published: true })],
      ['message.assign', () => lead.post(`/api/v1/observe/messages/${id}/assign`, { observer: obs.id })],
      ['instrument.state', () => lead.post('/api/v1/observe/instruments/q-public/state', { state: 'closed' })],
      ['export.messages', () => lead.get('/api/v1/observe/exports/messages.csv?appraisal=test-2026')],
      ['export.tallies', () => lead.get('/api/v1/observe/exports/tallies.csv?appraisal=test-2026')],
      ['export.audit', () => lead.get('/api/v1/observe/exports/audit.csv')],
      ['session.logout', () => lead.post('/api/v1/observe/logout')],
    ];
    for (const [action, step] of steps) {
      const r = await step();
      expect([action, r.status]).toEqual([action, 200]);
      const last = await env.DB.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT 1').first<
        Record<string, string>
      >();
      expect(last?.action).toBe(action);
      expect(last?.observer).toBe(lead.session.observer.id);
      expect(last?.at).toBe('2026-11-23T02:00:00.000Z');
      expect(last?.request_id).toBeTruthy();
    }
    expect(await count('audit_log')).toBe(start + steps.length);

    const viewer = await signIn(obs);
    const hide = (await entries(viewer, `?targetKind=post&targetId=${t.post}`)).entries;
    expect(hide.map((e) => e.action)).toEqual(['post.hide', 'post.approve']);
    expect(JSON.parse(hide[0]?.before ?? '{}')).toEqual({ status: 'visible', hiddenReason: null, openReports: 0 });
    expect(JSON.parse(hide[0]?.after ?? '{}')).toEqual({ status: 'hidden', hiddenReason: '重复内容', openReports: 0 });
    expect(hide[0]?.observer?.displayName).toBe(lead.session.observer.displayName);
    const state = (await entries(viewer, '?targetKind=instrument&targetId=q-public')).entries[0];
    expect([state?.before, state?.after]).toEqual(['{"state":"open"}', '{"state":"closed"}']);
    // In words for the console: names, not ids; each changed field in Chinese; unchanged ones left out.
    expect(hide[0]?.targetName).toBe('主帖 (主题《日志测试主题》)');
    expect(hide[0]?.changes).toEqual([
      { field: '状态', before: '已公开', after: '已隐藏' },
      { field: '隐藏理由', before: null, after: '重复内容' },
    ]);
    expect(state?.targetName).toBe('测评《公开问卷》');
    expect(state?.changes).toEqual([{ field: '测评状态', before: '开放中', after: '已截止' }]);
    const assign = (await entries(viewer, `?targetKind=message&targetId=${id}`)).entries.find(
      (e) => e.action === 'message.assign',
    );
    expect(assign?.targetName).toBe('民意调查箱意见 (考核工作)');
    const obsName = await env.DB.prepare('SELECT display_name AS n FROM observers WHERE id = ?1')
      .bind(obs.id)
      .first<{ n: string }>();
    // A message about a unit arrives routed to that unit's observer: the change names both.
    expect(assign?.changes).toEqual([{ field: '承办人', before: expect.any(String), after: obsName?.n }]);
    expect(assign?.changes?.[0]?.before).not.toBe('未分配');
    const login = (await entries(viewer, `?targetKind=observer&targetId=${lead.session.observer.id}`)).entries;
    expect(login.map((e) => e.targetName)).toContain(`观察员 ${lead.session.observer.displayName}`);
    // Contact details and passwords never go into the log.
    const dump = JSON.stringify((await env.DB.prepare('SELECT * FROM audit_log').all()).results);
    expect(dump).not.toContain('2222222');
    expect(dump).not.toContain('correct horse');
  });

  it('writes nothing for a refused or stale action', async () => {
    const observer = await signIn(await makeObserver('observer', ['unit-c']));
    const lead = await signIn(await makeObserver('lead'));
    const t = postCreated.parse(
      await (await startThread({ unit: 'unit-b', title: '越权测试主题' }, { 'cf-connecting-ip': '10.9.0.2' })).json(),
    );
    const start = await count('audit_log');
    expect((await observer.post(`/api/v1/observe/posts/${t.post}/approve`)).status).toBe(403);
    expect((await observer.post('/api/v1/observe/instruments/ballot-t/state', { state: 'closed' })).status).toBe(403);
    expect((await lead.post(`/api/v1/observe/posts/${t.post}/hide`, { reason: '' })).status).toBe(400);
    expect((await lead.post(`/api/v1/observe/posts/${t.post}/approve`)).status).toBe(200);
    expect((await lead.post(`/api/v1/observe/posts/${t.post}/approve`)).status).toBe(409);
    expect(await count('audit_log')).toBe(start + 1);
  });

  it('a change that finds its row changed meanwhile writes neither the change nor an entry (one batch)', async () => {
    const { moderatePost, postState } = await import('../../../src/server/db/moderation');
    const { drizzle } = await import('drizzle-orm/d1');
    const schema = await import('../../../src/server/db/schema/index');
    const db = drizzle(env.DB, { schema });
    const t = postCreated.parse(
      await (await startThread({ title: '并发审核测试' }, { 'cf-connecting-ip': '10.9.0.3' })).json(),
    );
    const read = await postState(db, t.post);
    if (!read) throw new Error('fixture');
    const lead = await signIn(await makeObserver('lead'));
    // Another observer approves first…
    expect((await lead.post(`/api/v1/observe/posts/${t.post}/approve`)).status).toBe(200);
    const start = await count('audit_log');
    // …then a hide based on the stale read arrives.
    const ok = await moderatePost(db, {
      before: read,
      status: 'hidden',
      reason: '过时的操作',
      by: lead.session.observer.id,
      at: '2026-11-23T02:00:00.000Z',
      audit: {
        at: '2026-11-23T02:00:00.000Z',
        observer: lead.session.observer.id,
        action: 'post.hide',
        targetKind: 'post',
        targetId: t.post,
      },
    });
    expect(ok).toBe(false);
    expect(await count('audit_log')).toBe(start);
    expect((await postState(db, t.post))?.status).toBe('visible');
  });

  it('cannot be altered through the API: no route writes it, other methods answer 405', async () => {
    const lead = await signIn(await makeObserver('lead'));
    const before = JSON.stringify((await env.DB.prepare('SELECT * FROM audit_log ORDER BY id').all()).results);
    const writers = api.app.routes.filter(
      (r) => r.path.includes('/observe/audit') && r.method !== 'GET' && r.method !== 'ALL',
    );
    expect(writers).toEqual([]);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = await api.request('/api/v1/observe/audit', {
        method,
        headers: { ...lead.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 1, action: 'post.approve' }),
      });
      expect([method, r.status]).toEqual([method, 405]);
      expect(r.headers.get('allow')).toContain('GET');
    }
    const after = JSON.stringify((await env.DB.prepare('SELECT * FROM audit_log ORDER BY id').all()).results);
    expect(after).toBe(before);
  });

  it('cannot be altered in the database either: UPDATE and DELETE abort', async () => {
    await signIn(await makeObserver('lead'));
    const n = await count('audit_log');
    expect(n).toBeGreaterThan(0);
    await expect(env.DB.prepare("UPDATE audit_log SET action = 'forged'").run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare('DELETE FROM audit_log').run()).rejects.toThrow(/append-only/);
    expect(await count('audit_log')).toBe(n);
    expect(await count('audit_log', "action = 'forged'")).toBe(0);
  });
});

describe('work queues', () => {
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

// The issue report: the log was append-only against the app but not against someone with database access.
describe('the audit log as a hash chain', () => {
  const rows = async () =>
    (
      await env.DB.prepare(
        'SELECT id, at, observer, action, target_kind AS targetKind, target_id AS targetId, before, after, request_id AS requestId, prev_hash AS prevHash, hash FROM audit_log ORDER BY id',
      ).all<StoredEntry>()
    ).results;

  it('links every entry to the one before: consecutive ids, the previous hash, a hash of its own', async () => {
    const lead = await signIn(await makeObserver('lead'));
    await lead.get('/api/v1/observe/exports/audit.csv');
    const all = await rows();
    expect(all.length).toBeGreaterThan(10);
    const report = await verifyAuditChain(all);
    expect(report.problems).toEqual([]);
    expect(report.unchained).toBe(0);
    expect(all[0]?.prevHash).toBe(AUDIT_GENESIS);
    expect(report.head).toEqual({ id: all.at(-1)?.id, at: all.at(-1)?.at, hash: all.at(-1)?.hash });
    // The console shows the head, to be written down.
    const page = await entries(lead);
    expect(page.chain.head).toEqual(report.head);
  });

  it('can be checked from the CSV export alone, by anyone holding it; an edited cell breaks it', async () => {
    const lead = await signIn(await makeObserver('lead'));
    const csv = await (await lead.get('/api/v1/observe/exports/audit.csv')).text();
    const cell = (v: string | undefined) => (v === undefined || v === '' ? null : v);
    const fromCsv = (text: string): StoredEntry[] =>
      (parse(text, { bom: true, columns: true }) as Record<string, string>[]).map((r) => ({
        id: Number(r.id),
        at: r.at as string,
        observer: cell(r.observerId),
        action: r.action as string,
        targetKind: r.targetKind as string,
        targetId: r.targetId as string,
        before: cell(r.before),
        after: cell(r.after),
        requestId: cell(r.requestId),
        prevHash: cell(r.prevHash),
        hash: cell(r.hash),
      }));
    const exported = fromCsv(csv);
    expect(exported.length).toBe(await count('audit_log'));
    const report = await verifyAuditChain(exported);
    expect(report.problems).toEqual([]);
    expect(report.unchained).toBe(0);
    // The login's entry says who logged in; make it someone else's in the file.
    const forged = csv.replace(/session\.login/, 'session.logout');
    expect(forged).not.toBe(csv);
    expect((await verifyAuditChain(fromCsv(forged))).problems[0]?.problem).toContain('本条内容与其哈希不符');
  });

  it('does not fork when observers act at the same moment: 24 actions at once, one straight chain', async () => {
    const lead = await signIn(await makeObserver('lead'));
    const posts = await Promise.all(
      Array.from({ length: 16 }, async (_, i) =>
        postCreated.parse(
          await (await startThread({ title: `并发链测试 ${i}` }, { 'cf-connecting-ip': `10.9.1.${i}` })).json(),
        ),
      ),
    );
    const start = await count('audit_log');
    const answers = await Promise.all([
      ...posts.map((p) => lead.post(`/api/v1/observe/posts/${p.post}/approve`)),
      ...Array.from({ length: 8 }, () => lead.get('/api/v1/observe/exports/tallies.csv?appraisal=test-2026')),
    ]);
    expect(answers.map((r) => r.status)).toEqual(Array(24).fill(200));
    expect(await count('audit_log')).toBe(start + 24);
    const all = await rows();
    expect((await verifyAuditChain(all)).problems).toEqual([]);
    expect(new Set(all.map((r) => r.prevHash)).size).toBe(all.length);
  });

  it('refuses, in the database, an entry that is not the next link after the head', async () => {
    await signIn(await makeObserver('lead'));
    const [head] = (await rows()).slice(-1);
    if (!head?.hash) throw new Error('fixture');
    const insert = (id: number, prev: string | null, hash: string | null) =>
      env.DB.prepare(
        "INSERT INTO audit_log (id, at, observer, action, target_kind, target_id, prev_hash, hash) VALUES (?1, '2026-11-23T02:00:00.000Z', NULL, 'export.audit', 'audit', 'all', ?2, ?3)",
      )
        .bind(id, prev, hash)
        .run();
    const n = await count('audit_log');
    // A second successor of an older entry (a fork), a gap, a row without a hash, a link to nothing.
    await expect(insert(head.id + 1, head.prevHash, 'f'.repeat(64))).rejects.toThrow(/audit_chain_moved/);
    await expect(insert(head.id + 2, head.hash, 'f'.repeat(64))).rejects.toThrow(/audit_chain_moved/);
    await expect(insert(head.id + 1, head.hash, null)).rejects.toThrow(/audit_chain_moved/);
    await expect(insert(head.id + 1, AUDIT_GENESIS, 'f'.repeat(64))).rejects.toThrow(/audit_chain_moved/);
    expect(await count('audit_log')).toBe(n);
  });

  // Last in the file: it drops the guards, as someone with direct database access could.
  it('shows an edit made with direct database access: the entry, and every link after it', async () => {
    await signIn(await makeObserver('lead'));
    const before = await rows();
    const victim = before[Math.floor(before.length / 2)] as StoredEntry;
    await env.DB.prepare('DROP TRIGGER audit_log_no_update').run();
    await env.DB.prepare('DROP TRIGGER audit_log_no_delete').run();
    await env.DB.prepare("UPDATE audit_log SET action = 'export.tallies' WHERE id = ?1").bind(victim.id).run();
    const edited = await verifyAuditChain(await rows());
    expect(edited.problems).toEqual([{ id: victim.id, problem: expect.stringContaining('本条被改动') }]);
    // Rewriting that entry's hash too moves the break to the next entry's link.
    const forged = await auditEntryHash({ ...victim, action: 'export.tallies', prevHash: victim.prevHash as string });
    await env.DB.prepare('UPDATE audit_log SET hash = ?2 WHERE id = ?1').bind(victim.id, forged).run();
    const relinked = await verifyAuditChain(await rows());
    expect(relinked.problems).toEqual([{ id: victim.id + 1, problem: expect.stringContaining('前一条的哈希') }]);
    // Removing an entry leaves a gap and a broken link.
    await env.DB.prepare('DELETE FROM audit_log WHERE id = ?1')
      .bind(victim.id + 3)
      .run();
    const removed = await verifyAuditChain(await rows());
    expect(removed.problems.map((p) => p.id)).toEqual([victim.id + 1, victim.id + 4, victim.id + 4]);
    // Rebuilding every hash after the edit passes the check, but changes the head someone wrote down.
    expect(removed.head?.hash).toBe(before.at(-1)?.hash);
  });
});
