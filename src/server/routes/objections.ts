// Objections to a published result (申诉 / 质询), the objector's side: file one
// with the subject's credential during the window, get a tracking number once,
// follow it. The window and the credential are checked by the server; the
// contact is stored only encrypted.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { hmacHex, normaliseCrockford } from '../../domain/code';
import { hashCredential, objectionDeadlines, objectionOverdue, objectionWindowOf } from '../../domain/objection';
import { rangeStatus } from '../../domain/phase';
import { dayInChina } from '../../domain/schemas/common';
import { newTrackingNumber, trackRequest } from '../../domain/schemas/message';
import { newObjectionRequest, objectionCreated, trackedObjection } from '../../domain/schemas/objection';
import { t } from '../../i18n';
import { ContactKeyMissing, encryptContact } from '../auth/contact';
import { fileObjection, trackObjection } from '../db/objections';
import type { AppEnv } from '../env';
import { clientBucket, LIMITS } from '../guards/rate-limit';
import { checkTurnstile } from '../guards/turnstile';
import { ApiError } from '../middleware/errors';
import {
  appraisalOr,
  body,
  type CatalogAppraisal,
  calendarOf,
  codePepper,
  errorResponses,
  invalid,
  json,
  objectionTrackingSecret,
  todayOf,
  tooMany,
} from './_helpers';

export const objectionRoutes = new OpenAPIHono<AppEnv>();

/** 423 with the window's dates unless today is inside it. */
function assertWindowOpen(c: Context<AppEnv>, a: CatalogAppraisal) {
  const w = objectionWindowOf(a);
  const say = t.followUp.objections.window;
  if (!w) throw new ApiError(423, 'objection_closed', undefined, undefined, say.notPublished);
  const status = rangeStatus(w, todayOf(c));
  if (status === 'open') return;
  throw new ApiError(
    423,
    'objection_closed',
    undefined,
    undefined,
    status === 'upcoming' ? say.upcoming(w.start, w.end) : say.ended(w.start, w.end),
  );
}

/** Never store contact details in the clear: without the key, refuse. */
async function sealContact(c: Context<AppEnv>, contact: unknown) {
  try {
    return await encryptContact(c.env.CONTACT_KEY, contact as Parameters<typeof encryptContact>[1]);
  } catch (e) {
    if (!(e instanceof ContactKeyMissing)) throw e;
    console.error(`[${c.get('requestId')}] ${e.message}`);
    throw new ApiError(503, 'service_unavailable');
  }
}

objectionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/objections',
    tags: ['objections'],
    summary: '被考核单位或领导干部在申诉期内凭申诉凭证提出申诉或质询, 返回查询号',
    request: { body: body(newObjectionRequest) },
    responses: {
      201: json(objectionCreated, 'Filed; the tracking number is shown this once'),
      ...errorResponses(400, 401, 403, 413, 415, 423, 429, 503),
    },
  }),
  async (c) => {
    const req = c.req.valid('json');
    const a = appraisalOr(c, req.appraisal, () => invalid(['appraisal'], '未知的考核'));
    assertWindowOpen(c, a);
    await checkTurnstile(c, req.turnstileToken);
    const contact = await sealContact(c, req.contact);
    const now = c.get('now')();
    const filedOn = dayInChina(now);
    const due = objectionDeadlines(filedOn, a.objection, calendarOf(c));
    const tracking = newTrackingNumber();
    // Five filings a client per ten minutes, right or wrong: with 80-bit credentials and Turnstile, guessing gets nowhere.
    const requests = await clientBucket(c, LIMITS.objection);
    const outcome = await fileObjection(
      c.get('db'),
      {
        id: crypto.randomUUID(),
        trackingHash: await hmacHex(objectionTrackingSecret(c), normaliseCrockford(tracking)),
        appraisal: a.id,
        credentialHash: await hashCredential(codePepper(c), req.credential),
        kind: req.kind,
        matter: req.matter,
        grounds: req.grounds,
        attachments: req.attachments || null,
        contact,
        filedAt: now.toISOString(),
        ...due,
      },
      requests,
    );
    if (outcome.requests > requests.limit.max) throw tooMany(requests);
    if (!outcome.subject) throw new ApiError(401, 'credential_invalid');
    return c.json({ tracking, subject: outcome.subject, filedOn, ...due }, 201);
  },
);

objectionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/objections/track',
    tags: ['objections'],
    summary: '凭查询号查看申诉的办理过程、期限和复核答复',
    request: { body: body(trackRequest) },
    responses: { 200: json(trackedObjection, 'The objection'), ...errorResponses(400, 404, 413, 415, 429, 503) },
  }),
  async (c) => {
    const { tracking } = c.req.valid('json');
    const bucket = await clientBucket(c, LIMITS.track);
    const found = await trackObjection(
      c.get('db'),
      await hmacHex(objectionTrackingSecret(c), normaliseCrockford(tracking)),
      bucket,
    );
    if (found.hits > bucket.limit.max) throw tooMany(bucket);
    const o = found.objection;
    if (!o) throw new ApiError(404, 'not_found');
    const answered = o.status === 'answered' && o.decision && o.reasons && o.reply && o.answeredAt;
    return c.json(
      {
        appraisal: o.appraisal,
        subject: { kind: o.subjectKind, id: o.subjectId },
        kind: o.kind,
        matter: o.matter,
        grounds: o.grounds,
        attachments: o.attachments,
        status: o.status,
        filedOn: dayInChina(new Date(o.filedAt)),
        acceptDue: o.acceptDue,
        answerDue: o.answerDue,
        overdue: objectionOverdue(o, todayOf(c)),
        history: found.steps.map((s) => ({ on: dayInChina(new Date(s.at)), status: s.status })),
        refusal: o.status === 'refused' ? o.refusal : null,
        answer: answered
          ? {
              decision: o.decision!,
              reasons: o.reasons!,
              text: o.reply!,
              on: dayInChina(new Date(o.answeredAt!)),
            }
          : null,
        public: o.public,
      },
      200,
    );
  },
);
