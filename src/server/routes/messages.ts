// The opinion box (民意调查箱), sender's side: drop a message, get a tracking
// number once, look up its status and the public reply with that number.
// The number travels in POST bodies only, never in a URL.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { hmacHex, normaliseCrockford } from '../../domain/code';
import { dayInChina } from '../../domain/schemas/common';
import {
  messageCreated,
  newMessageRequest,
  newTrackingNumber,
  trackedMessage,
  trackRequest,
} from '../../domain/schemas/message';
import { ContactKeyMissing, encryptContact } from '../auth/contact';
import { insertMessage, trackMessage } from '../db/messages';
import type { AppEnv } from '../env';
import { clientBucket, LIMITS } from '../guards/rate-limit';
import { checkTurnstile } from '../guards/turnstile';
import { ApiError } from '../middleware/errors';
import {
  appraisalOr,
  assertOpinionOpen,
  body,
  errorResponses,
  invalid,
  json,
  subjectUnit,
  tooMany,
  trackingSecret,
} from './_helpers';

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
    const tracking = newTrackingNumber();
    const bucket = await clientBucket(c, LIMITS.message);
    const outcome = await insertMessage(
      c.get('db'),
      {
        id: crypto.randomUUID(),
        trackingHash: await hmacHex(trackingSecret(c), normaliseCrockford(tracking)),
        appraisal: a.id,
        subjectKind: req.subject?.kind ?? null,
        subjectId: req.subject?.id ?? null,
        unit,
        body: req.body,
        contact,
        receivedAt: now.toISOString(),
      },
      bucket,
    );
    if (outcome === 'rate_limited') throw tooMany(bucket);
    return c.json({ tracking, receivedOn: dayInChina(now) }, 201);
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
    const found = await trackMessage(
      c.get('db'),
      await hmacHex(trackingSecret(c), normaliseCrockford(tracking)),
      bucket,
    );
    if (found.hits > bucket.limit.max) throw tooMany(bucket);
    const m = found.message;
    if (!m) throw new ApiError(404, 'not_found');
    return c.json(
      {
        appraisal: m.appraisal,
        subject: m.subjectKind && m.subjectId ? { kind: m.subjectKind, id: m.subjectId } : null,
        body: m.body,
        status: m.status,
        receivedOn: dayInChina(new Date(m.receivedAt)),
        updatedOn: dayInChina(new Date(m.updatedAt)),
        reply: m.reply && m.repliedAt ? { text: m.reply, on: dayInChina(new Date(m.repliedAt)) } : null,
      },
      200,
    );
  },
);
