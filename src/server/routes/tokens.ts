// Participation tokens: the published keys, issuing a token for a code
// (the code's only use: it never travels with an answer), and the list of
// spent tokens after close, so anyone can check every counted response.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { codeProblem, hashCode } from '../../domain/code';
import { instrumentStatus, ratedSubjectIds } from '../../domain/instrument';
import { id } from '../../domain/schemas/common';
import type { Instrument } from '../../domain/schemas/instrument';
import { spentTokenList, tokenIssued, tokenKeyBody, tokenRequest } from '../../domain/schemas/token';
import { fromBase64Url, sha256Hex, TOKEN_ALG, toBase64Url, toHex } from '../../domain/token';
import { blindSign } from '../auth/token-keys';
import { findInstrument } from '../catalog';
import { countFailure } from '../db/codes';
import { readOverrides } from '../db/tallies';
import { keyName, readPublicKeys, readSpentTokens, redeemForToken } from '../db/tokens';
import type { AppEnv } from '../env';
import { clientBucket, LIMITS, prefixBucket } from '../guards/rate-limit';
import { checkTurnstile } from '../guards/turnstile';
import { ApiError } from '../middleware/errors';
import { body, errorResponses, json, tooMany } from './_helpers';

export const tokenRoutes = new OpenAPIHono<AppEnv>();
const params = z.object({ id });

/** A code instrument, or 404: public instruments take no tokens. */
function codeInstrument(c: Context<AppEnv>, instrumentId: string): Instrument {
  const inst = findInstrument(c.get('catalog'), instrumentId);
  if (inst?.access !== 'code') throw new ApiError(404, 'not_found');
  return inst;
}

function secrets(c: Context<AppEnv>) {
  const { CODE_PEPPER: pepper, TOKEN_KEY_SECRET: tokenKeySecret } = c.env;
  if (!pepper || !tokenKeySecret) {
    console.error('CODE_PEPPER or TOKEN_KEY_SECRET is not set');
    throw new ApiError(503, 'service_unavailable');
  }
  return { pepper, tokenKeySecret };
}

tokenRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/instruments/{id}/token-key',
    tags: ['participation'],
    summary: '一项测评的盲签公钥 (每个评议主体类别一把; RSABSSA-SHA384-PSS-Randomized)',
    request: { params },
    responses: { 200: json(tokenKeyBody, 'The public keys'), ...errorResponses(400, 404) },
  }),
  async (c) => {
    const inst = codeInstrument(c, c.req.valid('param').id);
    const keys = await readPublicKeys(c.get('db'), inst.id);
    // Keys change only when staff create them, before an instrument opens.
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(
      {
        instrument: inst.id,
        alg: TOKEN_ALG,
        keys,
      },
      200,
    );
  },
);

tokenRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/instruments/{id}/tokens',
    tags: ['participation'],
    summary: '凭参与码领取本项测评的盲签参与凭证 (每码每项一次; 同一 blindedMsg 重发得到同一签名)',
    request: { params, body: body(tokenRequest) },
    responses: {
      201: json(tokenIssued, 'Redeemed and signed'),
      200: json(tokenIssued, 'The same blinded message again: the same signature'),
      ...errorResponses(400, 401, 403, 404, 409, 413, 415, 423, 429, 503),
    },
  }),
  async function issueToken(c) {
    const inst = codeInstrument(c, c.req.valid('param').id);
    const status = instrumentStatus(inst, c.get('now')());
    if (status !== 'open') throw new ApiError(423, status === 'closed' ? 'closed' : 'not_open');
    const { code, turnstileToken, blindedMsg } = c.req.valid('json');
    const { pepper, tokenKeySecret } = secrets(c);
    const requests = await clientBucket(c, LIMITS.participate);
    const failures = await clientBucket(c, LIMITS.codeFailures);
    // A malformed code never reaches the lookup, but counts as a failed try.
    if (codeProblem(code) !== null) {
      throw (await countFailure(c.get('db'), failures)) ? tooMany(failures) : new ApiError(401, 'unauthorized');
    }
    await checkTurnstile(c, turnstileToken);
    const blinded = fromBase64Url(blindedMsg) as Uint8Array<ArrayBuffer>;
    const prefix = await prefixBucket(c, code);
    const duplicates = await clientBucket(c, LIMITS.duplicates);
    const outcome = await redeemForToken(c.get('db'), {
      instrument: inst.id,
      appraisal: inst.appraisal,
      categories: inst.raterCategories,
      // The same subjects verification lists instruments by (coversInstrument), so the two never disagree.
      subjects: ratedSubjectIds(inst),
      codeHash: await hashCode(pepper, code),
      blindedHash: await sha256Hex(blinded),
      blindedHex: toHex(blinded),
      requests,
      failures: { client: failures, prefix },
      duplicates,
    });
    switch (outcome.kind) {
      case 'sign': {
        const key = { ...outcome.key, instrument: inst.id };
        const blindSig = toBase64Url(await blindSign(tokenKeySecret, key, blinded));
        const { raterCategory, scope } = outcome.key;
        return c.json({ instrument: inst.id, raterCategory, scope, blindSig }, outcome.first ? 201 : 200);
      }
      case 'rate_limited':
        throw tooMany(requests);
      case 'too_many_failures':
        throw tooMany(outcome.over);
      case 'wrong_code':
        // Unknown, revoked and mistyped codes get the same answer (no existence oracle).
        throw outcome.over ? tooMany(outcome.over) : new ApiError(401, 'unauthorized');
      case 'override':
        throw new ApiError(423, outcome.state === 'closed' ? 'closed' : 'not_open');
      case 'category':
        throw new ApiError(403, 'category_not_allowed');
      case 'not_covered':
        throw new ApiError(403, 'not_targeted');
      case 'already_issued':
        // Counted either way: a script resubmitting a used code ends at 429, like any other client over a limit.
        throw outcome.overLimit ? tooMany(duplicates) : new ApiError(409, 'token_already_issued');
      case 'bad_blinded':
        throw new ApiError(400, 'validation_failed', [{ path: ['blindedMsg'], message: 'blindedMsg 不小于公钥模数' }]);
      case 'no_key':
        console.error(
          `no token key for ${inst.id} (a category or targeted scope): run npm run token-keys -- create --appraisal ${inst.appraisal}`,
        );
        throw new ApiError(503, 'service_unavailable');
    }
  },
);

tokenRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/instruments/{id}/tokens/spent',
    tags: ['participation'],
    summary: '已使用的参与凭证清单 (截止后公开): 每个签名可用公钥核验, 使用数不超过发放数',
    request: { params },
    responses: { 200: json(spentTokenList, 'Spent tokens'), ...errorResponses(400, 403, 404) },
  }),
  async (c) => {
    const inst = codeInstrument(c, c.req.valid('param').id);
    const overrides = await readOverrides(c.get('db'));
    if (instrumentStatus(inst, c.get('now')(), overrides.get(inst.id)) !== 'closed') {
      throw new ApiError(403, 'tally_not_public');
    }
    const { tokens, issued, keys } = await readSpentTokens(c.get('db'), inst.id);
    const spent = new Map<string, number>();
    for (const t of tokens)
      spent.set(keyName(t.raterCategory, t.scope), (spent.get(keyName(t.raterCategory, t.scope)) ?? 0) + 1);
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(
      {
        instrument: inst.id,
        alg: TOKEN_ALG,
        issued: [...issued.values()].reduce((s, n) => s + n, 0),
        spent: tokens.length,
        keys: keys.map((k) => ({
          ...k,
          issued: issued.get(keyName(k.raterCategory, k.scope)) ?? 0,
          spent: spent.get(keyName(k.raterCategory, k.scope)) ?? 0,
        })),
        tokens: tokens.map(({ msg, sig }) => ({ msg, sig })),
      },
      200,
    );
  },
);
