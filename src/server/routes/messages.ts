// The opinion box (民意调查箱), sender's side: drop a message, get a tracking
// number once, look up its status and the public reply with that number.
// The number travels in POST bodies only, never in a URL.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import { hmacHex, normaliseCrockford } from '../../domain/code';
import { dayInChina } from '../../domain/schemas/common';
import {
  messageCreated,
  newMessageRequest,
  newTrackingNumber,
  rateRequest,
  reopenRequest,
  trackedMessage,
  trackRequest,
} from '../../domain/schemas/message';
import { addWorkingDays, isOverdue } from '../../domain/workdays';
import { ContactKeyMissing, encryptContact } from '../auth/contact';
import { rateReply, reopenMessage } from '../db/message-follow-up';
import { insertMessage, trackMessage } from '../db/messages';
import type { AppEnv } from '../env';
import { clientBucket, LIMITS } from '../guards/rate-limit';
import { checkTurnstile } from '../guards/turnstile';
import { purgeLive } from '../live/data';
import { ApiError } from '../middleware/errors';
import {
  appraisalOr,
  assertOpinionOpen,
  body,
  calendarOf,
  errorResponses,
  invalid,
  json,
  subjectUnit,
  todayOf,
  tooMany,
  trackingSecret,
} from './_helpers';

/** The reply deadline: the appraisal's working days from the given day. */
function replyDue(c: Context<AppEnv>, appraisal: string, from: string): string {
  const days = c.get('catalog').appraisals.find((a) => a.id === appraisal)?.messages.replyWorkingDays ?? 15;
  return addWorkingDays(from, days, calendarOf(c));
}

const trackingHashOf = async (c: Context<AppEnv>, tracking: string) =>
  hmacHex(trackingSecret(c), normaliseCrockford(tracking));

export const messageRoutes = new OpenAPIHono<AppEnv>();

messageRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/messages',
    tags: ['messages'],
    summary: '向考核组反映意见 (默认匿名; 联系方式加密保存, 仅观察员可见), 返回查询号',
    request: { body: body(newMessageRequest) },
    responses: {
      201: json(messageCreated, 'Received; the tracking number is shown this once'),
      ...errorResponses(400, 403, 413, 415, 423, 429, 503),
    },
  }),
  async (c) => {
    const req = c.req.valid('json');
    const a = appraisalOr(c, req.appraisal, () => invalid(['appraisal'], '未知的考核'));
    const unit = req.subject ? subjectUnit(c, req.subject.kind, req.subject.id, ['subject', 'id']) : null;
    assertOpinionOpen(c, a);
    await checkTurnstile(c, req.turnstileToken);
    let contact: string | null = null;
    if (req.contact) {
      try {
        contact = await encryptContact(c.env.CONTACT_KEY, req.contact);
      } catch (e) {
        if (!(e instanceof ContactKeyMissing)) throw e;
        // Never store contact details in the clear: refuse instead.
        console.error(`[${c.get('requestId')}] ${e.message}`);
        throw new ApiError(503, 'service_unavailable');
      }
    }
    const now = c.get('now')();
    const receivedOn = dayInChina(now);
    const dueOn = replyDue(c, a.id, receivedOn);
    const tracking = newTrackingNumber();
    const bucket = await clientBucket(c, LIMITS.message);
    const outcome = await insertMessage(
      c.get('db'),
      {
        id: crypto.randomUUID(),
        trackingHash: await trackingHashOf(c, tracking),
        appraisal: a.id,
        subjectKind: req.subject?.kind ?? null,
        subjectId: req.subject?.id ?? null,
        unit,
        topic: req.topic,
        body: req.body,
        contact,
        receivedAt: now.toISOString(),
        dueOn,
        publishConsent: req.publishConsent,
      },
      bucket,
    );
    if (outcome === 'rate_limited') throw tooMany(bucket);
    await purgeLive(a.id);
    return c.json({ tracking, receivedOn, replyDue: dueOn }, 201);
  },
);

messageRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/messages/track',
    tags: ['messages'],
    summary: '凭查询号查看意见的办理状态和公开答复',
    request: { body: body(trackRequest) },
    responses: { 200: json(trackedMessage, 'The message'), ...errorResponses(400, 404, 413, 415, 429, 503) },
  }),
  async (c) => {
    const { tracking } = c.req.valid('json');
    const bucket = await clientBucket(c, LIMITS.track);
    const found = await trackMessage(c.get('db'), await trackingHashOf(c, tracking), bucket);
    if (found.hits > bucket.limit.max) throw tooMany(bucket);
    const m = found.message;
    if (!m) throw new ApiError(404, 'not_found');
    const receivedOn = dayInChina(new Date(m.receivedAt));
    const dueOn = m.dueOn ?? replyDue(c, m.appraisal, receivedOn);
    const answered = m.status === 'answered' || m.status === 'closed';
    return c.json(
      {
        appraisal: m.appraisal,
        subject: m.subjectKind && m.subjectId ? { kind: m.subjectKind, id: m.subjectId } : null,
        topic: m.topic,
        body: m.body,
        status: m.status,
        receivedOn,
        updatedOn: dayInChina(new Date(m.updatedAt)),
        replyDue: dueOn,
        overdue: isOverdue(dueOn, todayOf(c), answered),
        reply: m.reply && m.repliedAt ? { text: m.reply, on: dayInChina(new Date(m.repliedAt)) } : null,
        history: found.history.map((h) => ({
          on: dayInChina(new Date(h.at)),
          kind: h.kind,
          status: h.status,
          text: h.text,
        })),
        rating: m.rating,
        mayRate: answered && m.reply !== null && m.rating === null,
        mayReopen: answered && m.reopenedAt === null,
        publishConsent: m.publishConsent,
        published: m.published,
      },
      200,
    );
  },
);

const followUpResponses = {
  200: json(z.object({ status: z.string() }), 'Done'),
  ...errorResponses(400, 403, 404, 409, 413, 415, 429, 503),
};

/** Rate or reopen: Turnstile, then one batch that counts the request and changes the message only if it may. */
async function writerStep(
  c: Context<AppEnv>,
  req: { tracking: string; turnstileToken: string },
  step: (hash: string, at: Date, bucket: Awaited<ReturnType<typeof clientBucket>>) => ReturnType<typeof rateReply>,
) {
  await checkTurnstile(c, req.turnstileToken);
  const bucket = await clientBucket(c, LIMITS.followUp);
  const r = await step(await trackingHashOf(c, req.tracking), c.get('now')(), bucket);
  if (r.hits > bucket.limit.max) throw tooMany(bucket);
  if (!r.found) throw new ApiError(404, 'not_found');
  // Found but unchanged: not answered yet, already rated, or already reopened once.
  if (!r.changed) throw new ApiError(409, 'conflict');
  // The message's appraisal is not known here (only its number): drop every appraisal's figures, they are few.
  for (const a of c.get('catalog').appraisals) await purgeLive(a.id);
  return c.json({ status: 'ok' }, 200);
}

messageRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/messages/rate',
    tags: ['messages'],
    summary: '反映人凭查询号评价答复 (满意 / 不满意), 每次答复评价一次',
    request: { body: body(rateRequest) },
    responses: followUpResponses,
  }),
  async (c) => {
    const req = c.req.valid('json');
    return writerStep(c, req, (hash, at, bucket) => rateReply(c.get('db'), hash, req.rating, at.toISOString(), bucket));
  },
);

messageRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/messages/reopen',
    tags: ['messages'],
    summary: '反映人对答复不满意时凭查询号要求重新办理 (每条意见一次), 重新计算答复期限',
    request: { body: body(reopenRequest) },
    responses: followUpResponses,
  }),
  async (c) => {
    const req = c.req.valid('json');
    return writerStep(c, req, (hash, at, bucket) => {
      // The new deadline of whichever appraisal the message belongs to: the statement picks it.
      const dueBy = Object.fromEntries(
        c.get('catalog').appraisals.map((a) => [a.id, replyDue(c, a.id, dayInChina(at))]),
      );
      return reopenMessage(c.get('db'), hash, req.reason, dueBy, at.toISOString(), bucket);
    });
  },
);
