// The opinion box, observers' side: the queue with filters, counts and
// deadlines; one message with its history and internal notes; its contact
// revealed only to its assignee, on a click, each reveal audited once; status,
// notes, the public reply, publication (with the writer's consent) and
// assignment.
import { createRoute, z } from '@hono/zod-openapi';
import { dayInChina, id } from '../../../domain/schemas/common';
import { pageQuery } from '../../../domain/schemas/forum';
import {
  type MessageStatus,
  messageAssignRequest,
  messageDetail,
  messageNoteRequest,
  messagePublishRequest,
  messageReplyRequest,
  messageStatus,
  messageStatusChange,
  messageStatuses,
  type ObserverMessage,
  revealedContact,
} from '../../../domain/schemas/message';
import { messageQueue, observerList, scopeFilter } from '../../../domain/schemas/observer-account';
import { isOverdue } from '../../../domain/workdays';
import { decryptContact } from '../../auth/contact';
import {
  addMessageNote,
  assignMessage,
  MESSAGE_PAGE,
  type MessageRow,
  messageById,
  messageContact,
  messageNotes,
  messageSteps,
  publishMessage,
  messageQueue as readQueue,
  replyToMessage,
  setMessageStatus,
} from '../../db/messages';
import { listObservers, recordAudit } from '../../db/observers';
import { purgeLive } from '../../live/data';
import { ApiError } from '../../middleware/errors';
import { body, errorResponses, json, todayOf } from '../_helpers';
import { auditOf, conflict, forbidden, type ObserverContext, observerApp, viewer } from './shared';

export const observerMessageRoutes = observerApp();

/** A message as the console lists it; `today` (China) flags a missed reply deadline. */
const toMessage = (r: MessageRow, today: string): ObserverMessage => {
  const replyDue = r.dueOn ?? dayInChina(new Date(r.receivedAt));
  return {
    id: r.id,
    appraisal: r.appraisal,
    subject: r.subjectKind && r.subjectId ? { kind: r.subjectKind, id: r.subjectId } : null,
    unit: r.unit,
    topic: r.topic,
    body: r.body,
    status: r.status,
    receivedAt: r.receivedAt,
    updatedAt: r.updatedAt,
    replyDue,
    overdue: isOverdue(replyDue, today, r.status === 'answered' || r.status === 'closed'),
    assignee: r.assignee ? { id: r.assignee, displayName: r.assigneeName ?? r.assignee } : null,
    reply: r.reply,
    repliedAt: r.repliedAt,
    rating: r.rating,
    publishConsent: r.publishConsent,
    published: r.published,
    hasContact: r.hasContact === 1,
    inScope: r.inScope === 1,
  };
};

observerMessageRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/observe/messages',
    tags: ['observe'],
    summary: '民意调查箱队列 (按状态筛选, 含各状态数量), 本人负责的在前',
    request: {
      query: z.object({
        status: messageStatus.optional(),
        scope: scopeFilter,
        appraisal: id.optional(),
        unit: id.optional(),
        page: pageQuery,
      }),
    },
    responses: { 200: json(messageQueue, 'Queue'), ...errorResponses(400, 401) },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const r = await readQueue(c.get('db'), { ...q, viewer: viewer(c), mine: q.scope === 'mine' });
    const counts = Object.fromEntries(messageStatuses.map((s) => [s, r.counts[s] ?? 0])) as Record<
      MessageStatus,
      number
    >;
    return c.json(
      {
        items: r.rows.map((m) => toMessage(m, todayOf(c))),
        counts,
        page: q.page,
        pages: Math.ceil(r.total / MESSAGE_PAGE),
        total: r.total,
      },
      200,
    );
  },
);

const params = z.object({ id: z.uuid() });

async function found(c: ObserverContext, messageId: string): Promise<MessageRow> {
  const m = await messageById(c.get('db'), messageId, viewer(c));
  if (!m) throw new ApiError(404, 'not_found');
  return m;
}

/** The message as read, if this observer may act on it (its scope, or a lead). */
async function actionable(c: ObserverContext, messageId: string): Promise<MessageRow> {
  const m = await found(c, messageId);
  if (m.inScope !== 1) throw forbidden();
  return m;
}

const changed = z.object({ id: z.uuid(), status: messageStatus, updatedAt: z.string() });

async function after(c: ObserverContext, messageId: string) {
  const m = await found(c, messageId);
  // Published answers and the units' figures change with a reply, a status or a publication.
  await purgeLive(m.appraisal);
  return c.json({ id: m.id, status: m.status, updatedAt: m.updatedAt }, 200);
}

observerMessageRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/observe/messages/{id}',
    tags: ['observe'],
    summary: '一条意见: 内容、办理过程、内部备注 (联系方式须由承办人另行点击查看)',
    request: { params },
    responses: { 200: json(messageDetail, 'The message'), ...errorResponses(400, 401, 404) },
  }),
  async (c) => {
    const m = await found(c, c.req.valid('param').id);
    const [notes, history] = await Promise.all([messageNotes(c.get('db'), m.id), messageSteps(c.get('db'), m.id)]);
    return c.json(
      {
        ...toMessage(m, todayOf(c)),
        mayRevealContact: m.hasContact === 1 && m.assignee === c.get('observer').id,
        notes: notes.map((n) => ({
          at: n.at,
          observer: n.observerId ? { id: n.observerId, displayName: n.observerName ?? n.observerId } : null,
          text: n.text,
        })),
        history: history.map((h) => ({ on: dayInChina(new Date(h.at)), kind: h.kind, status: h.status, text: h.text })),
      },
      200,
    );
  },
);

/** Decrypt a sealed contact for its assignee; 503 if the key is missing or wrong. */
export async function revealContact(c: ObserverContext, sealed: string) {
  return decryptContact(c.env.CONTACT_KEY, sealed).catch((e: Error) => {
    console.error(`[${c.get('requestId')}] contact: ${e.message}`);
    throw new ApiError(503, 'service_unavailable');
  });
}

observerMessageRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/observe/messages/{id}/contact',
    tags: ['observe'],
    summary: '承办人查看反映人的联系方式 (每次查看记入操作日志)',
    request: { params, body: body(z.object({})) },
    responses: { 200: json(revealedContact, 'The contact'), ...errorResponses(400, 401, 403, 404, 503) },
  }),
  async (c) => {
    const row = await messageContact(c.get('db'), c.req.valid('param').id);
    if (!row?.contact) throw new ApiError(404, 'not_found');
    if (row.assignee !== c.get('observer').id) throw forbidden();
    const contact = await revealContact(c, row.contact);
    // Reading personal data is an action too: who saw whose contact, and when; once per click.
    await recordAudit(
      c.get('db'),
      auditOf(c, 'message.view_contact', { kind: 'message', id: c.req.valid('param').id }),
    );
    return c.json(contact, 200);
  },
);

observerMessageRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/observe/messages/{id}/publish',
    tags: ['observe'],
    summary: '公开 (须反映人同意且已答复) 或撤回公开意见及答复',
    request: { params, body: body(messagePublishRequest) },
    responses: { 200: json(changed, 'Changed'), ...errorResponses(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const m = await actionable(c, c.req.valid('param').id);
    const { published } = c.req.valid('json');
    if (m.published === published) throw conflict();
    const audit = auditOf(
      c,
      'message.publish',
      { kind: 'message', id: m.id },
      { published: m.published },
      { published },
    );
    // Refused without the writer's consent or before an answer: the statement's guard says so.
    if (!(await publishMessage(c.get('db'), m.id, m.updatedAt, published, audit))) throw conflict();
    return after(c, m.id);
  },
);

observerMessageRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/observe/messages/{id}/status',
    tags: ['observe'],
    summary: '更新办理状态 (已收到、核实中、已核实、已答复、已办结)',
    request: { params, body: body(messageStatusChange) },
    responses: { 200: json(changed, 'Changed'), ...errorResponses(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const m = await actionable(c, c.req.valid('param').id);
    const { status } = c.req.valid('json');
    if (m.status === status) throw conflict();
    const audit = auditOf(c, 'message.status', { kind: 'message', id: m.id }, { status: m.status }, { status });
    if (!(await setMessageStatus(c.get('db'), m.id, m.updatedAt, status, audit))) throw conflict();
    return after(c, m.id);
  },
);

observerMessageRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/observe/messages/{id}/notes',
    tags: ['observe'],
    summary: '添加内部备注 (不向反映人公开)',
    request: { params, body: body(messageNoteRequest) },
    responses: { 200: json(changed, 'Added'), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const m = await actionable(c, c.req.valid('param').id);
    const { text } = c.req.valid('json');
    const audit = auditOf(c, 'message.note', { kind: 'message', id: m.id }, null, { note: text });
    if (!(await addMessageNote(c.get('db'), { message: m.id, observer: c.get('observer').id, text, audit }))) {
      throw new ApiError(404, 'not_found');
    }
    return after(c, m.id);
  },
);

observerMessageRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/observe/messages/{id}/reply',
    tags: ['observe'],
    summary: '公开答复 (反映人凭查询号可见), 状态改为已答复',
    request: { params, body: body(messageReplyRequest) },
    responses: { 200: json(changed, 'Replied'), ...errorResponses(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const m = await actionable(c, c.req.valid('param').id);
    const { text } = c.req.valid('json');
    const audit = auditOf(
      c,
      'message.reply',
      { kind: 'message', id: m.id },
      { status: m.status, reply: m.reply },
      { status: 'answered', reply: text },
    );
    if (!(await replyToMessage(c.get('db'), m.id, m.updatedAt, text, audit))) throw conflict();
    return after(c, m.id);
  },
);

observerMessageRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/observe/messages/{id}/assign',
    tags: ['observe'],
    summary: '转交给另一位观察员',
    request: { params, body: body(messageAssignRequest) },
    responses: { 200: json(changed, 'Assigned'), ...errorResponses(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const m = await actionable(c, c.req.valid('param').id);
    const to = c.req.valid('json').observer;
    if (m.assignee === to) throw conflict();
    const audit = auditOf(
      c,
      'message.assign',
      { kind: 'message', id: m.id },
      { assignee: m.assignee },
      { assignee: to },
    );
    if (!(await assignMessage(c.get('db'), m.id, m.updatedAt, to, audit))) {
      // Either the message changed meanwhile or there is no such active observer.
      throw new ApiError(409, 'conflict');
    }
    return after(c, m.id);
  },
);

observerMessageRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/observe/observers',
    tags: ['observe'],
    summary: '观察员名单 (转交用)',
    responses: { 200: json(observerList, 'Observers'), ...errorResponses(401) },
  }),
  async (c) => c.json({ observers: await listObservers(c.get('db')) }, 200),
);
