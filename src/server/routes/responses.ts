// Submitting a response: with a token (code instruments) or with a human
// check (public instruments). The code never comes here: a token bought with
// it does, so nothing this route writes can be matched to the code.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { answersSchema, instrumentStatus } from '../../domain/instrument';
import { makeReceipt } from '../../domain/receipt';
import { dayInChina, id } from '../../domain/schemas/common';
import type { Instrument, OverrideState } from '../../domain/schemas/instrument';
import { submitRequest, submitResponse as submitResponseBody } from '../../domain/schemas/participation';
import type { SpendToken } from '../../domain/schemas/token';
import { canonicalAnswers, tallyPairs } from '../../domain/tally';
import { fromBase64Url, readTokenMessage, sha256Hex, type TokenClaims, toBase64Url } from '../../domain/token';
import { verifyToken } from '../auth/token-keys';
import { findInstrument } from '../catalog';
import { spendToken, submitPublic } from '../db/submission';
import { keyName, readPublicKeys } from '../db/tokens';
import type { AppEnv, Database } from '../env';
import { clientBucket, clientInstrumentBucket, LIMITS } from '../guards/rate-limit';
import { checkTurnstile } from '../guards/turnstile';
import { ApiError, zodIssues } from '../middleware/errors';
import { body, errorResponses, invalid, json, tooMany } from './_helpers';

export const responseRoutes = new OpenAPIHono<AppEnv>();

/**
 * Published keys per instrument (by category and scope), kept per isolate: a
 * spend then costs one D1 round trip. Keys are made before an instrument
 * opens; a token that fails against a cached key is checked once more against
 * a fresh read (a targeted batch issued later brings its own key).
 */
const keyCache = new Map<string, Map<string, string>>();
async function publicKeys(db: Database, instrument: string, fresh: boolean): Promise<Map<string, string>> {
  let keys = fresh ? undefined : keyCache.get(instrument);
  if (!keys) {
    keys = new Map((await readPublicKeys(db, instrument)).map((k) => [keyName(k.raterCategory, k.scope), k.spki]));
    if (keys.size > 0) keyCache.set(instrument, keys);
  }
  return keys;
}

const badToken = () => new ApiError(401, 'token_invalid');

/**
 * Hashes of tokens this isolate has seen spent: a replay of one is answered
 * 409 from memory, with no D1 statement. A spend writes no rate-limit row (a
 * valid token is its own limit, docs/privacy.md), so a flood of replays of a
 * spent token is bounded by cost instead: a signature check and a lookup here.
 * Holds hashes only (no address, no time); the oldest go first past the cap.
 */
const knownSpent = new Set<string>();
const KNOWN_SPENT_MAX = 50_000;
function rememberSpent(tokenHash: string) {
  knownSpent.add(tokenHash);
  if (knownSpent.size > KNOWN_SPENT_MAX) knownSpent.delete(knownSpent.values().next().value as string);
}

/** What a token's message says (instrument, category, scope), before its signature is checked; null if unreadable. */
const claimsOf = (token: SpendToken | undefined) => {
  const msg = token && fromBase64Url(token.msg);
  return msg ? readTokenMessage(msg) : null;
};

/** The token's claims, once its signature holds for this instrument; 401 otherwise. */
async function checkToken(c: Context<AppEnv>, inst: Instrument, token: SpendToken): Promise<TokenClaims> {
  const msg = fromBase64Url(token.msg) as Uint8Array<ArrayBuffer>;
  const sig = fromBase64Url(token.sig) as Uint8Array<ArrayBuffer>;
  const claims = readTokenMessage(msg);
  if (!claims || claims.instrument !== inst.id || !inst.raterCategories.includes(claims.raterCategory))
    throw badToken();
  for (const fresh of [false, true]) {
    const spki = (await publicKeys(c.get('db'), inst.id, fresh)).get(keyName(claims.raterCategory, claims.scope));
    if (spki && (await verifyToken(spki, msg, sig))) return claims;
  }
  throw badToken();
}

responseRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/instruments/{id}/responses',
    tags: ['participation'],
    summary: '提交一份意见 (凭码测评出示盲签参与凭证, 公开测评须人机验证), 返回回执号',
    request: { params: z.object({ id }), body: body(submitRequest) },
    responses: {
      201: json(submitResponseBody, 'Stored and counted'),
      ...errorResponses(400, 401, 403, 404, 409, 413, 415, 423, 429, 503),
    },
  }),
  async function submitResponse(c) {
    const inst = findInstrument(c.get('catalog'), c.req.valid('param').id);
    if (!inst) throw new ApiError(404, 'not_found');
    const req = c.req.valid('json');
    const now = c.get('now')();
    const status = instrumentStatus(inst, now);
    if (status !== 'open') throw new ApiError(423, status === 'closed' ? 'closed' : 'not_open');
    // A targeted token (定点定向) may answer only about its subjects: its claimed scope shapes the check; the
    // signature that vouches for the claim is verified below, before anything is stored.
    const scope = inst.access === 'code' ? (claimsOf(req.token)?.scope ?? null) : null;
    const parsed = answersSchema(inst, scope).safeParse(req.answers);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error).map((i) => ({ ...i, path: ['answers', ...i.path] }));
      throw new ApiError(400, 'validation_failed', issues);
    }
    if (inst.access === 'code' && !req.token) throw invalid(['token'], '凭码参与的测评须出示参与凭证');
    if (inst.access === 'public' && req.token) throw invalid(['token'], '公开参与的测评不使用参与凭证');
    if (inst.access === 'public' && !req.turnstileToken) throw invalid(['turnstileToken'], '请完成人机验证');
    // A valid token is its own limit; a human check is optional with one, required without.
    if (req.turnstileToken) await checkTurnstile(c, req.turnstileToken);

    const canonical = canonicalAnswers(parsed.data);
    const stored = {
      instrument: inst.id,
      responseId: crypto.randomUUID(),
      recordedOn: dayInChina(now),
      answers: canonical,
      receipt: await makeReceipt(inst.id, canonical, crypto.getRandomValues(new Uint8Array(16))),
      pairs: tallyPairs(inst, parsed.data),
    };
    const created = () => c.json({ receipt: stored.receipt, instrument: inst.id, recordedOn: stored.recordedOn }, 201);
    const refusedByStaff = (state: OverrideState) => new ApiError(423, state === 'closed' ? 'closed' : 'not_open');

    if (req.token) {
      const claims = await checkToken(c, inst, req.token);
      const msg = fromBase64Url(req.token.msg) as Uint8Array<ArrayBuffer>;
      const tokenHash = await sha256Hex(msg);
      if (knownSpent.has(tokenHash)) throw new ApiError(409, 'already_answered');
      const outcome = await spendToken(c.get('db'), {
        ...stored,
        tokenHash,
        raterCategory: claims.raterCategory,
        scope: claims.scope,
        // Stored as they will be published: canonical base64url of the bytes that were verified.
        msg: toBase64Url(msg),
        sig: toBase64Url(fromBase64Url(req.token.sig) as Uint8Array),
      });
      if (outcome.kind === 'override') throw refusedByStaff(outcome.state);
      rememberSpent(tokenHash);
      if (outcome.kind === 'stored') return created();
      throw new ApiError(409, 'already_answered');
    }
    const bucket = await clientBucket(c, LIMITS.publicResponse);
    const daily = await clientInstrumentBucket(c, LIMITS.publicDaily, inst.id);
    const outcome = await submitPublic(c.get('db'), { ...stored, bucket, daily });
    if (outcome.kind === 'stored') return created();
    if (outcome.kind === 'override') throw refusedByStaff(outcome.state);
    if (outcome.over === daily) {
      throw new ApiError(429, 'daily_limit_reached', undefined, { 'Retry-After': String(daily.retryAfter) });
    }
    throw tooMany(bucket);
  },
);
