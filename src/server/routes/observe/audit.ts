// The audit log, read-only (no route changes it; the database refuses to),
// and the CSV exports for the department's report. Every export is itself
// an audited action.
import { createRoute, z } from '@hono/zod-openapi';
import { instrumentStatus } from '../../../domain/instrument';
import { auditPage } from '../../../domain/schemas/audit';
import { id } from '../../../domain/schemas/common';
import { pageQuery } from '../../../domain/schemas/forum';
import { talliesReleased } from '../../../domain/tally';
import { t } from '../../../i18n';
import { changeLine, describeAudit, namedIds } from '../../audit-text';
import { AUDIT_PAGE, allAudit, auditNames, listAudit, type RawAuditEntry } from '../../db/audit';
import { allMessages } from '../../db/messages';
import { recordAudit } from '../../db/observers';
import { readOverrides, readTally } from '../../db/tallies';
import { ApiError } from '../../middleware/errors';
import { errorResponses, json } from '../_helpers';
import { subjectName } from './live';
import { auditOf, csvResponse, type ObserverContext, observerApp } from './shared';

export const auditRoutes = observerApp();

/** Entries with names and readable changes (one batch to look the names up). */
async function inWords(c: ObserverContext, raw: RawAuditEntry[]) {
  const names = await auditNames(c.get('db'), namedIds(raw));
  return raw.map((e) => describeAudit(e, names, c.get('catalog')));
}

auditRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/observe/audit',
    tags: ['observe'],
    summary: '操作日志 (只增不改, 哈希链), 最新的在前: 操作人与对象的名称、逐项的中文变更, 以及链头哈希',
    request: {
      query: z.object({
        page: pageQuery,
        targetKind: z.string().max(20).optional(),
        targetId: z.string().max(100).optional(),
      }),
    },
    responses: { 200: json(auditPage, 'Entries'), ...errorResponses(400, 401) },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const target = q.targetKind && q.targetId ? { kind: q.targetKind, id: q.targetId } : undefined;
    const { entries, total, head } = await listAudit(c.get('db'), { page: q.page, target });
    return c.json(
      {
        entries: await inWords(c, entries),
        page: q.page,
        pages: Math.ceil(total / AUDIT_PAGE),
        total,
        chain: { head },
      },
      200,
    );
  },
);

const csv = (description: string) => ({
  200: { description, content: { 'text/csv': { schema: z.string() } } },
  ...errorResponses(400, 401, 404),
});
const appraisalQuery = z.object({ appraisal: id });

auditRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/observe/exports/messages.csv',
    tags: ['observe'],
    summary: '导出民意调查箱意见 (CSV, 不含联系方式)',
    request: { query: appraisalQuery },
    responses: csv('Messages'),
  }),
  async (c) => {
    const { appraisal } = c.req.valid('query');
    const rows = await allMessages(c.get('db'), appraisal);
    await recordAudit(
      c.get('db'),
      auditOf(c, 'export.messages', { kind: 'appraisal', id: appraisal }, null, { rows: rows.length }),
    );
    const columns = [
      'id',
      'appraisal',
      'subjectKind',
      'subjectId',
      'unit',
      'status',
      'receivedAt',
      'updatedAt',
      'assignee',
      'hasContact',
      'notes',
      'body',
      'reply',
      'repliedAt',
    ] as const;
    return csvResponse(
      c,
      `messages-${appraisal}.csv`,
      [...columns],
      rows.map((r) =>
        columns.map((k) => (k === 'assignee' ? r.assigneeName : k === 'hasContact' ? (r.hasContact ? 1 : 0) : r[k])),
      ),
    );
  },
);

auditRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/observe/exports/tallies.csv',
    tags: ['observe'],
    summary: '导出各测评统计 (CSV: 测评、题目、选项、评议主体类别、计数; 另附加权得分)',
    request: { query: appraisalQuery },
    responses: csv('Tallies'),
  }),
  async (c) => {
    const { appraisal } = c.req.valid('query');
    const catalog = c.get('catalog');
    if (!catalog.appraisals.some((a) => a.id === appraisal)) throw new ApiError(404, 'not_found');
    const rows: unknown[][] = [];
    const overrides = await readOverrides(c.get('db'));
    const now = c.get('now')();
    // Closed instruments only: an export before and after one ballot would otherwise hold that ballot as a diff.
    const closed = catalog.instruments.filter(
      (i) => i.appraisal === appraisal && talliesReleased(instrumentStatus(i, now, overrides.get(i.id))),
    );
    for (const inst of closed) {
      const { counts } = await readTally(c.get('db'), inst.id);
      const questions = new Map(inst.questions.map((q) => [q.id, q]));
      for (const x of counts) {
        const q = questions.get(x.question);
        const option = q && q.type !== 'text' ? q.options.find((o) => o.id === x.option)?.label : undefined;
        const subject = q?.subject ? subjectName(catalog, q.subject) : '';
        rows.push([
          inst.id,
          inst.title,
          subject,
          x.question,
          q?.label ?? '',
          x.option,
          option ?? '',
          x.raterCategory,
          x.count,
        ]);
      }
    }
    await recordAudit(
      c.get('db'),
      auditOf(c, 'export.tallies', { kind: 'appraisal', id: appraisal }, null, { rows: rows.length }),
    );
    return csvResponse(
      c,
      `tallies-${appraisal}.csv`,
      [
        'instrument',
        'instrumentTitle',
        'subject',
        'question',
        'questionLabel',
        'option',
        'optionLabel',
        'raterCategory',
        'count',
      ],
      rows,
    );
  },
);

auditRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/observe/exports/audit.csv',
    tags: ['observe'],
    summary: '导出操作日志 (CSV)',
    responses: csv('Audit log'),
  }),
  async (c) => {
    // The export is logged first, so the file includes its own entry.
    await recordAudit(c.get('db'), auditOf(c, 'export.audit', { kind: 'audit', id: 'all' }));
    const raw = await allAudit(c.get('db'));
    const entries = await inWords(c, raw);
    return csvResponse(
      c,
      'audit.csv',
      [
        'id',
        'at',
        'observerId',
        'observer',
        'action',
        'actionName',
        'targetKind',
        'targetId',
        'target',
        'change',
        'before',
        'after',
        'requestId',
        'prevHash',
        'hash',
      ],
      // Every field the hash covers is here, so anyone with the file can check the chain (docs/observers.md).
      entries.map((e, i) => [
        e.id,
        e.at,
        e.observer?.id,
        e.observer?.displayName,
        e.action,
        t.observe.actions[e.action],
        e.targetKind,
        e.targetId,
        e.targetName,
        changeLine(e.changes),
        e.before,
        e.after,
        raw[i]?.requestId,
        raw[i]?.prevHash,
        e.hash,
      ]),
    );
  },
);
