// Objections, observers' side (受理 → 复核 → 结论 → 答复): the queue with its
// deadlines and what is overdue; one objection with its history. Leads accept
// or refuse, assign the reviewer and publish decisions; the reviewer (or a
// lead) adds notes, decides and answers. Only the reviewer may reveal the
// objector's contact, and each reveal is audited.
import { createRoute, z } from '@hono/zod-openapi';
import { objectionOverdue } from '../../../domain/objection';
import { id } from '../../../domain/schemas/common';
import { pageQuery } from '../../../domain/schemas/forum';
import { messageAssignRequest, revealedContact } from '../../../domain/schemas/message';
import {
  type ObjectionStatus,
  type ObserverObjection,
  objectionAnswerRequest,
  objectionDecideRequest,
  objectionDetail,
  objectionNoteRequest,
  objectionPublishRequest,
  objectionQueue,
  objectionRefuseRequest,
  objectionStatus,
  objectionStatuses,
} from '../../../domain/schemas/objection';
import {
  OBJECTION_PAGE,
  type ObjectionRow,
  objectionById,
  objectionContact,
  objectionGuards,
  objectionStep,
  objectionQueue as readQueue,
} from '../../db/objections';
import { recordAudit } from '../../db/observers';
import { purgeLive } from '../../live/data';
import { ApiError } from '../../middleware/errors';
import { body, errorResponses, json, todayOf } from '../_helpers';
import { revealContact } from './messages';
import { auditOf, conflict, forbidden, type ObserverContext, observerApp } from './shared';

export const observerObjectionRoutes = observerApp();

type Listed = Omit<ObjectionRow, 'grounds' | 'attachments' | 'refusal' | 'reasons' | 'reply' | 'answeredAt' | 'steps'>;

const toListed = (r: Listed, today: string): ObserverObjection => ({
  id: r.id,
  appraisal: r.appraisal,
  subject: { kind: r.subjectKind, id: r.subjectId },
  unit: r.unit,
  kind: r.kind,
  matter: r.matter,
  status: r.status,
  filedAt: r.filedAt,
  acceptDue: r.acceptDue,
  answerDue: r.answerDue,
  overdue: objectionOverdue(r, today),
  assignee: r.assignee ? { id: r.assignee, displayName: r.assigneeName ?? r.assignee } : null,
  decision: r.decision,
  public: r.public,
  updatedAt: r.updatedAt,
});

observerObjectionRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/observe/objections',
    tags: ['observe'],
    summary: '申诉队列 (按状态筛选, 含各状态数量和超期数), 待办的按答复期限在前',
    request: {
      query: z.object({
        appraisal: id.optional(),
        status: objectionStatus.optional(),
        overdue: z.enum(['true', 'false']).optional(),
        page: pageQuery,
      }),
    },
    responses: { 200: json(objectionQueue, 'Queue'), ...errorResponses(400, 401) },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const today = todayOf(c);
    const r = await readQueue(c.get('db'), { ...q, overdue: q.overdue === 'true', today });
    const counts = Object.fromEntries(objectionStatuses.map((s) => [s, r.counts[s] ?? 0])) as Record<
      ObjectionStatus,
      number
    >;
    return c.json(
      {
        items: r.rows.map((o) => toListed(o, today)),
        counts,
        overdue: r.overdue,
        page: q.page,
        pages: Math.ceil(r.total / OBJECTION_PAGE),
        total: r.total,
      },
      200,
    );
  },
);

const params = z.object({ id: z.uuid() });
const changed = z.object({ id: z.uuid(), status: objectionStatus, updatedAt: z.string() });

async function found(c: ObserverContext, objectionId: string): Promise<ObjectionRow> {
  const o = await objectionById(c.get('db'), objectionId);
  if (!o) throw new ApiError(404, 'not_found');
  return o;
}

const isLead = (c: ObserverContext) => c.get('observer').role === 'lead';

/** The objection as read, if this observer may take the step: a lead, or (`reviewer`) its reviewer too. */
async function actionable(c: ObserverContext, objectionId: string, who: 'lead' | 'reviewer') {
  const o = await found(c, objectionId);
  if (!isLead(c) && !(who === 'reviewer' && o.assignee === c.get('observer').id)) throw forbidden();
  return o;
}

async function after(c: ObserverContext, o: ObjectionRow) {
  const now = await found(c, o.id);
  // The result's page, the open data and the feed show decisions: let them see this one within the minute.
  await purgeLive(o.appraisal);
  return c.json({ id: now.id, status: now.status, updatedAt: now.updatedAt }, 200);
}

const snapshot = (o: ObjectionRow) => ({
  status: o.status,
  assignee: o.assignee,
  decision: o.decision,
  public: o.public,
});

observerObjectionRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/observe/objections/{id}',
    tags: ['observe'],
    summary: '一件申诉: 事由、材料清单、办理过程 (联系方式须由复核人另行点击查看)',
    request: { params },
    responses: { 200: json(objectionDetail, 'The objection'), ...errorResponses(400, 401, 404) },
  }),
  async (c) => {
    const o = await found(c, c.req.valid('param').id);
    return c.json(
      {
        ...toListed(o, todayOf(c)),
        grounds: o.grounds,
        attachments: o.attachments,
        refusal: o.refusal,
        reasons: o.reasons,
        reply: o.reply,
        hasContact: true,
        mayRevealContact: o.assignee === c.get('observer').id,
        events: o.steps.map((s) => ({
          at: s.at,
          status: s.status,
          observer: s.observerId ? { id: s.observerId, displayName: s.observerName ?? s.observerId } : null,
          text: s.text,
          internal: s.internal,
        })),
      },
      200,
    );
  },
);

observerObjectionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/observe/objections/{id}/contact',
    tags: ['observe'],
    summary: '复核人查看申诉人的联系方式 (每次查看记入操作日志)',
    request: { params, body: body(z.object({})) },
    responses: { 200: json(revealedContact, 'The contact'), ...errorResponses(400, 401, 403, 404, 503) },
  }),
  async (c) => {
    const objectionId = c.req.valid('param').id;
    const row = await objectionContact(c.get('db'), objectionId);
    if (!row) throw new ApiError(404, 'not_found');
    if (row.assignee !== c.get('observer').id) throw forbidden();
    const contact = await revealContact(c, row.contact);
    await recordAudit(c.get('db'), auditOf(c, 'objection.view_contact', { kind: 'objection', id: objectionId }));
    return c.json(contact, 200);
  },
);

const stepRoute = (path: string, summary: string, request: z.ZodType) =>
  createRoute({
    method: 'post',
    path: `/observe/objections/{id}/${path}`,
    tags: ['observe'],
    summary,
    request: { params, body: body(request) },
    responses: { 200: json(changed, 'Done'), ...errorResponses(400, 401, 403, 404, 409) },
  });

/** Take a step from the statuses it may follow; 409 when it may not, or when the objection changed meanwhile. */
async function take(
  c: ObserverContext,
  o: ObjectionRow,
  step: {
    from: ObjectionStatus[];
    to: ObjectionStatus;
    set?: Parameters<typeof objectionStep>[1]['set'];
    text?: string | null;
    internal?: boolean;
    action: Parameters<typeof auditOf>[1];
    after?: Record<string, unknown>;
    guard?: Parameters<typeof objectionStep>[1]['guard'];
  },
) {
  if (!step.from.includes(o.status)) throw conflict();
  const audit = auditOf(c, step.action, { kind: 'objection', id: o.id }, snapshot(o), {
    status: step.to,
    ...step.after,
  });
  const ok = await objectionStep(c.get('db'), {
    id: o.id,
    was: o.updatedAt,
    set: { status: step.to, ...step.set },
    event: { status: step.to, text: step.text ?? null, internal: step.internal, observer: c.get('observer').id },
    audit,
    guard: step.guard,
  });
  if (!ok) throw conflict();
  return after(c, o);
}

/** A step's route: who may take it, and what step the request makes of the objection as read. */
function stepHandler<R extends z.ZodType>(
  path: string,
  summary: string,
  request: R,
  who: 'lead' | 'reviewer',
  step: (c: ObserverContext, o: ObjectionRow, req: z.infer<R>) => Parameters<typeof take>[2],
) {
  observerObjectionRoutes.openapi(stepRoute(path, summary, request), async (c) => {
    const o = await actionable(c, c.req.valid('param').id, who);
    return take(c, o, step(c, o, c.req.valid('json') as z.infer<R>));
  });
}

stepHandler('accept', '受理 (牵头观察员)', z.object({}), 'lead', () => ({
  from: ['filed'],
  to: 'accepted',
  action: 'objection.accept',
}));

stepHandler('refuse', '不予受理, 须写明理由 (牵头观察员)', objectionRefuseRequest, 'lead', (_c, _o, { reason }) => ({
  from: ['filed'],
  to: 'refused',
  set: { refusal: reason },
  text: reason,
  action: 'objection.refuse',
  after: { refusal: reason },
}));

stepHandler('assign', '指定复核人, 进入复核 (牵头观察员)', messageAssignRequest, 'lead', (c, o, { observer: to }) => {
  if (o.assignee === to) throw conflict();
  return {
    from: ['accepted', 'reviewing'],
    to: 'reviewing',
    set: { assignee: to },
    action: 'objection.assign',
    after: { assignee: to },
    // Only to an active observer: read in the same statement.
    guard: objectionGuards.activeObserver(c.get('db'), to),
  };
});

stepHandler('notes', '添加复核备注 (内部, 不告知申诉人)', objectionNoteRequest, 'reviewer', (_c, o, { text }) => ({
  from: [...objectionStatuses],
  to: o.status,
  text,
  internal: true,
  action: 'objection.note',
  after: { note: text },
}));

stepHandler(
  'decide',
  '作出复核结论 (成立 / 部分成立 / 不成立) 并写明理由',
  objectionDecideRequest,
  'reviewer',
  (_c, _o, { decision, reasons }) => ({
    from: ['reviewing'],
    to: 'decided',
    set: { decision, reasons },
    action: 'objection.decide',
    after: { decision, reasons },
  }),
);

stepHandler('answer', '书面答复申诉人 (凭查询号可见)', objectionAnswerRequest, 'reviewer', (c, _o, { text }) => ({
  from: ['decided'],
  to: 'answered',
  set: { reply: text, answeredAt: c.get('now')().toISOString() },
  action: 'objection.answer',
  after: { reply: text },
}));

stepHandler(
  'publish',
  '公开或撤回复核结论 (已答复; 领导干部个人的不公开; 牵头观察员)',
  objectionPublishRequest,
  'lead',
  (_c, o, { public: wanted }) => {
    if (o.public === wanted) throw conflict();
    if (wanted && o.subjectKind === 'official') {
      throw new ApiError(400, 'validation_failed', [{ path: ['public'], message: '领导干部个人的申诉结论不公开' }]);
    }
    return {
      from: ['answered'],
      to: 'answered',
      set: { public: wanted },
      action: 'objection.publish',
      after: { public: wanted },
      internal: true,
      guard: wanted ? objectionGuards.notAPerson() : undefined,
    };
  },
);
