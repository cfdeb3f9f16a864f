// The opinion box, observers' side: the queue with filters and counts, one
// message with its contact details (decrypted here only, and audited) and
// internal notes; status, notes, the public reply and assignment.
import { createRoute, z } from '@hono/zod-openapi';
import { id } from '../../../domain/schemas/common';
import { pageQuery } from '../../../domain/schemas/forum';
import {
  type MessageStatus,
  messageAssignRequest,
  messageDetail,
  messageNoteRequest,
  messageReplyRequest,
  messageStatus,
  messageStatusChange,
  messageStatuses,
  type ObserverMessage,
} from '../../../domain/schemas/message';
import { messageQueue, observerList, scopeFilter } from '../../../domain/schemas/observer-account';
import { decryptContact } from '../../auth/contact';
import {
  addMessageNote,
  assignMessage,
  MESSAGE_PAGE,
  type MessageRow,
  messageById,
  messageNotes,
  messageQueue as readQueue,
  replyToMessage,
  setMessageStatus,
} from '../../db/messages';
import { listObservers, recordAudit } from '../../db/observers';
import { ApiError } from '../../middleware/errors';
import { body, errorResponses, json } from '../_helpers';
import { auditOf, conflict, forbidden, type ObserverContext, observerApp, viewer } from './shared';

export const observerMessageRoutes = observerApp();

const toMessage = (r: MessageRow): ObserverMessage => ({
  id: r.id,
  appraisal: r.appraisal,
  subject: r.subjectKind && r.subjectId ? { kind: r.subjectKind, id: r.subjectId } : null,
  unit: r.unit,
  body: r.body,
  status: r.status,
  receivedAt: r.receivedAt,
  updatedAt: r.updatedAt,
  assignee: r.assignee ? { id: r.assignee, displayName: r.assigneeName ?? r.assignee } : null,
  reply: r.reply,
  repliedAt: r.repliedAt,
  hasContact: r.contact !== null,
  inScope: r.inScope === 1,
});

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
      { items: r.rows.map(toMessage), counts, page: q.page, pages: Math.ceil(r.total / MESSAGE_PAGE), total: r.total },
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

observerMessageRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/observe/messages/{id}',
    tags: ['observe'],
    summary: '一条意见: 内容、联系方式 (仅本人负责范围内, 查看留痕)、内部备注',
    request: { params },
    responses: { 200: json(messageDetail, 'The message'), ...errorResponses(400, 401, 404, 503) },
  }),
  async (c) => {
    const m = await found(c, c.req.valid('param').id);
    let contact = null;
    if (m.contact !== null && m.inScope === 1) {
      contact = await decryptContact(c.env.CONTACT_KEY, m.contact).catch((e: Error) => {
        console.error(`[${c.get('requestId')}] contact: ${e.message}`);
        throw new ApiError(503, 'service_unavailable');
      });
      // Reading personal data is an action too: who saw whose contact, and when.
      await recordAudit(c.get('db'), auditOf(c, 'message.view_contact', { kind: 'message', id: m.id }));
    }
    const notes = (await messageNotes(c.get('db'), m.id)).map((n) => ({
      at: n.at,
      observer: n.observerId ? { id: n.observerId, displayName: n.observerName ?? n.observerId } : null,
      text: n.text,
    }));
    return c.json({ ...toMessage(m), contact, notes }, 200);
  },
);

const changed = z.object({ id: z.uuid(), status: messageStatus, updatedAt: z.string() });

async function after(c: ObserverContext, messageId: string) {
  const m = await found(c, messageId);
  return c.json({ id: m.id, status: m.status, updatedAt: m.updatedAt }, 200);
}

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
