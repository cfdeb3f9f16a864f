// Giving an opinion: check a code (without using it) and check a receipt.
// Taking a token: routes/tokens.ts; submitting: routes/responses.ts.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { codeProblem, hashCode } from '../../domain/code';
import { coversInstrument, instrumentStatus } from '../../domain/instrument';
import { normaliseReceipt } from '../../domain/receipt';
import {
  receiptCheckRequest,
  receiptStatus,
  verifyCodeRequest,
  verifyCodeResponse,
} from '../../domain/schemas/participation';
import { countFailure, lookUpCode, overFailures } from '../db/codes';
import { findReceipt } from '../db/receipts';
import { readOverrides } from '../db/tallies';
import type { AppEnv } from '../env';
import { type Bucket, clientBucket, LIMITS, prefixBucket } from '../guards/rate-limit';
import { checkTurnstile } from '../guards/turnstile';
import { ApiError } from '../middleware/errors';
import { body, errorResponses, json, tooMany } from './_helpers';

export const participationRoutes = new OpenAPIHono<AppEnv>();

function pepper(c: Context<AppEnv>): string {
  if (!c.env.CODE_PEPPER) {
    console.error('CODE_PEPPER is not set');
    throw new ApiError(503, 'service_unavailable');
  }
  return c.env.CODE_PEPPER;
}

/** Count a wrong code; answer 401, or 429 once the client has failed too often. */
async function wrongCode(c: Context<AppEnv>, failures: Bucket): Promise<never> {
  throw (await countFailure(c.get('db'), failures)) ? tooMany(failures) : new ApiError(401, 'unauthorized');
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
    const buckets = { client: failures, prefix: await prefixBucket(c, code) };
    const found = await lookUpCode(c.get('db'), await hashCode(pepper(c), code), requests, buckets);
    if (found.requests > requests.limit.max) throw tooMany(requests);
    // Unknown and revoked codes get the same answer as a wrong one (no existence oracle); the
    // batch has already counted the failure. A right code is refused too once either counter is full.
    const over = overFailures(buckets, found.failures, !found.code);
    if (over) throw tooMany(over);
    if (!found.code) throw new ApiError(401, 'unauthorized');
    const { appraisal, raterCategory, scope } = found.code;
    const overrides = await readOverrides(c.get('db'));
    const now = c.get('now')();
    const instruments = c
      .get('catalog')
      .instruments.filter(
        (i) =>
          i.appraisal === appraisal &&
          i.access === 'code' &&
          i.raterCategories.includes(raterCategory) &&
          coversInstrument(i, scope),
      )
      .map((i) => ({
        id: i.id,
        title: i.title,
        kind: i.kind,
        status: found.answered.has(i.id) ? ('done' as const) : instrumentStatus(i, now, overrides.get(i.id)),
        opensAt: i.opensAt,
        closesAt: i.closesAt,
      }));
    return c.json({ appraisal, raterCategory, scope, instruments }, 200);
  },
);

participationRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/receipts/check',
    tags: ['participation'],
    summary: '核对回执: 是否已计入 (只返回测评与日期; 回执号放在请求体中, 不进入网址和访问日志)',
    request: { body: body(receiptCheckRequest) },
    responses: { 200: json(receiptStatus, 'Counted'), ...errorResponses(400, 404, 413, 415) },
  }),
  async (c) => {
    const found = await findReceipt(c.get('db'), normaliseReceipt(c.req.valid('json').receipt));
    if (!found) throw new ApiError(404, 'not_found');
    return c.json(found, 200);
  },
);
