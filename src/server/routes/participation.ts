// Giving an opinion: check a code, submit a response, check a receipt.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { codeProblem, hashCode } from '../../domain/code';
import { answersSchema, instrumentStatus } from '../../domain/instrument';
import { makeReceipt, normaliseReceipt } from '../../domain/receipt';
import { dayInChina, id } from '../../domain/schemas/common';
import {
  receiptStatus,
  submitRequest,
  submitResponse as submitResponseBody,
  verifyCodeRequest,
  verifyCodeResponse,
} from '../../domain/schemas/participation';
import type { CodeCategory } from '../../domain/schemas/rater-category';
import { canonicalAnswers, tallyPairs } from '../../domain/tally';
import { findInstrument } from '../catalog';
import { codeRefusal, countFailure, lookUpCode } from '../db/codes';
import { findReceipt, submitResponse } from '../db/responses';
import { readOverrides } from '../db/tallies';
import type { AppEnv } from '../env';
import { ApiError, zodIssues } from '../middleware/errors';
import { type Bucket, clientBucket, LIMITS } from '../middleware/rate-limit';
import { checkTurnstile } from '../middleware/turnstile';
import { errorResponses } from './openapi';

export const participationRoutes = new OpenAPIHono<AppEnv>();

const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

function pepper(c: Context<AppEnv>): string {
  if (!c.env.CODE_PEPPER) {
    console.error('CODE_PEPPER is not set');
    throw new ApiError(503, 'service_unavailable');
  }
  return c.env.CODE_PEPPER;
}

const tooMany = (b: Bucket) => new ApiError(429, 'rate_limited', undefined, { 'Retry-After': String(b.retryAfter) });

/** Count a wrong code; answer 401, or 429 once the client has failed too often. */
async function wrongCode(c: Context<AppEnv>, failures: Bucket): Promise<never> {
  throw (await countFailure(c.env.DB, failures)) ? tooMany(failures) : new ApiError(401, 'unauthorized');
}

participationRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/codes/verify',
    tags: ['participation'],
    summary: '核验参与码 (不消耗), 列出可参与的测评',
    request: { body: body(verifyCodeRequest) },
    responses: {
      200: json(verifyCodeResponse, 'The code is valid'),
      ...errorResponses(400, 401, 403, 413, 415, 429, 503),
    },
  }),
  async (c) => {
    const { code, turnstileToken } = c.req.valid('json');
    const requests = await clientBucket(c, LIMITS.participate);
    const failures = await clientBucket(c, LIMITS.codeFailures);
    // A malformed code never reaches D1, but still counts as a failed try.
    if (codeProblem(code) !== null) await wrongCode(c, failures);
    await checkTurnstile(c, turnstileToken);
    const found = await lookUpCode(c.env.DB, await hashCode(pepper(c), code), requests, failures);
    if (found.requests > requests.limit.max) throw tooMany(requests);
    // Unknown and revoked codes get the same answer as a wrong one (no existence oracle); the
    // batch has already counted the failure.
    if (!found.code || found.code.revokedOn !== null) {
      throw found.failures > failures.limit.max ? tooMany(failures) : new ApiError(401, 'unauthorized');
    }
    if (found.failures >= failures.limit.max) throw tooMany(failures);
    const { appraisal, raterCategory } = found.code;
    const overrides = await readOverrides(c.env.DB);
    const now = c.get('now')();
    const instruments = c
      .get('catalog')
      .instruments.filter(
        (i) =>
          i.appraisal === appraisal && i.access === 'code' && i.raterCategories.includes(raterCategory as CodeCategory),
      )
      .map((i) => ({
        id: i.id,
        title: i.title,
        kind: i.kind,
        status: found.answered.has(i.id) ? ('done' as const) : instrumentStatus(i, now, overrides.get(i.id)),
        opensAt: i.opensAt,
        closesAt: i.closesAt,
      }));
    return c.json({ appraisal, raterCategory: raterCategory as CodeCategory, instruments }, 200);
  },
);

participationRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/instruments/{id}/responses',
    tags: ['participation'],
    summary: '提交一份意见 (凭码或公开), 返回回执号',
    request: { params: z.object({ id }), body: body(submitRequest) },
    responses: {
      201: json(submitResponseBody, 'Stored and counted'),
      ...errorResponses(400, 401, 403, 404, 409, 413, 415, 423, 429, 503),
    },
  }),
  async (c) => {
    const inst = findInstrument(c.get('catalog'), c.req.valid('param').id);
    if (!inst) throw new ApiError(404, 'not_found');
    const req = c.req.valid('json');
    const now = c.get('now')();
    const status = instrumentStatus(inst, now);
    if (status !== 'open') throw new ApiError(423, status === 'closed' ? 'closed' : 'not_open');
    const parsed = answersSchema(inst).safeParse(req.answers);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error).map((i) => ({ ...i, path: ['answers', ...i.path] }));
      throw new ApiError(400, 'validation_failed', issues);
    }
    const failures = await clientBucket(c, LIMITS.codeFailures);
    let codeHash: string | null = null;
    if (inst.access === 'code') {
      if (!req.code) throw new ApiError(400, 'validation_failed', [{ path: ['code'], message: '请输入参与码' }]);
      if (codeProblem(req.code) !== null) await wrongCode(c, failures);
      codeHash = await hashCode(pepper(c), req.code);
    }
    await checkTurnstile(c, req.turnstileToken);

    const canonical = canonicalAnswers(parsed.data);
    const bucket = await clientBucket(c, LIMITS.participate);
    const recordedOn = dayInChina(now);
    const receipt = await makeReceipt(inst.id, canonical, crypto.getRandomValues(new Uint8Array(16)));
    const outcome = await submitResponse(c.env.DB, {
      instrument: inst.id,
      appraisal: inst.appraisal,
      categories: inst.raterCategories,
      codeHash,
      responseId: crypto.randomUUID(),
      recordedOn,
      answers: canonical,
      receipt,
      pairs: tallyPairs(inst, parsed.data),
      bucket,
      failures,
    });
    if (outcome.kind === 'stored') return c.json({ receipt, instrument: inst.id, recordedOn }, 201);
    if (outcome.kind === 'duplicate') throw new ApiError(409, 'already_answered');
    if (outcome.kind === 'rate_limited') throw tooMany(bucket);
    if (outcome.kind === 'too_many_failures') throw tooMany(failures);
    if (outcome.kind === 'wrong_code') {
      throw outcome.failures > failures.limit.max ? tooMany(failures) : new ApiError(401, 'unauthorized');
    }
    // Refused by a guard: find out which, on this (rare) error path.
    const override = (await readOverrides(c.env.DB)).get(inst.id);
    if (override) throw new ApiError(423, override === 'closed' ? 'closed' : 'not_open');
    if (codeHash) {
      const why = await codeRefusal(c.env.DB, codeHash, inst.appraisal, inst.raterCategories);
      if (why === 'category') throw new ApiError(403, 'category_not_allowed');
      // The code was valid when the batch ran (else: wrong_code); it was revoked since. Say it as for a wrong one.
      throw new ApiError(401, 'unauthorized');
    }
    throw new ApiError(503, 'service_unavailable');
  },
);

participationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/receipts/{receipt}',
    tags: ['participation'],
    summary: '核对回执: 是否已计入 (只返回测评与日期)',
    request: { params: z.object({ receipt: z.string().min(4).max(40) }) },
    responses: { 200: json(receiptStatus, 'Counted'), ...errorResponses(400, 404) },
  }),
  async (c) => {
    const found = await findReceipt(c.env.DB, normaliseReceipt(c.req.valid('param').receipt));
    if (!found) throw new ApiError(404, 'not_found');
    return c.json(found, 200);
  },
);
