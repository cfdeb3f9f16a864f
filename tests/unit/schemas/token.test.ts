// The token request schemas (src/domain/schemas/token.ts): every binary field
// is base64url of an exact byte length, checked before any RSA operation runs.
import { describe, expect, it } from 'vitest';
import { spendToken, tokenIssued, tokenKeyBody, tokenRequest } from '../../../src/domain/schemas/token';
import {
  TOKEN_ALG,
  TOKEN_MESSAGE_MAX,
  TOKEN_MODULUS_BYTES,
  TOKEN_PREFIX_BYTES,
  toBase64Url,
} from '../../../src/domain/token';
import { accepts } from '../../support/unit-fixtures';

const b64 = (n: number) => toBase64Url(new Uint8Array(n).fill(0xfb));
const request = { code: 'ABCD-EFGH-JKMN-P', turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX' };

describe('token request', () => {
  it('takes a blinded message exactly one modulus (256 bytes) long', () => {
    expect(accepts(tokenRequest, { ...request, blindedMsg: b64(TOKEN_MODULUS_BYTES) })).toBe(true);
    expect(accepts(tokenRequest, { ...request, blindedMsg: b64(TOKEN_MODULUS_BYTES - 1) })).toBe(false);
    expect(accepts(tokenRequest, { ...request, blindedMsg: b64(TOKEN_MODULUS_BYTES + 1) })).toBe(false);
  });

  it('takes the padded form, but not the standard alphabet', () => {
    const padded = `${toBase64Url(new Uint8Array(TOKEN_MODULUS_BYTES))}=`;
    expect(accepts(tokenRequest, { ...request, blindedMsg: padded })).toBe(true);
    const std = b64(TOKEN_MODULUS_BYTES).replace(/-/g, '+').replace(/_/g, '/');
    expect(accepts(tokenRequest, { ...request, blindedMsg: std })).toBe(false);
  });

  it('refuses unknown fields (strict), and a missing code or Turnstile token', () => {
    const blindedMsg = b64(TOKEN_MODULUS_BYTES);
    expect(accepts(tokenRequest, { ...request, blindedMsg, instrument: 'x' })).toBe(false);
    expect(accepts(tokenRequest, { turnstileToken: request.turnstileToken, blindedMsg })).toBe(false);
    expect(accepts(tokenRequest, { code: request.code, blindedMsg })).toBe(false);
  });

  // Was a bug: fromBase64Url threw on too much padding, the throw escaped the
  // refinement and POST …/tokens and …/responses answered 500, not 400.
  it('refuses a field with too much padding instead of throwing', () => {
    const blindedMsg = `${'A'.repeat(341)}===`;
    expect(accepts(tokenRequest, { ...request, blindedMsg })).toBe(false);
  });
});

describe('spent token', () => {
  const sig = b64(TOKEN_MODULUS_BYTES);
  it(`carries the random prefix and a message of 1 to ${TOKEN_MESSAGE_MAX} bytes, and a one-modulus signature`, () => {
    expect(accepts(spendToken, { msg: b64(TOKEN_PREFIX_BYTES + 1), sig })).toBe(true);
    expect(accepts(spendToken, { msg: b64(TOKEN_PREFIX_BYTES + TOKEN_MESSAGE_MAX), sig })).toBe(true);
    expect(accepts(spendToken, { msg: b64(TOKEN_PREFIX_BYTES), sig })).toBe(false);
    expect(accepts(spendToken, { msg: b64(TOKEN_PREFIX_BYTES + TOKEN_MESSAGE_MAX + 1), sig })).toBe(false);
    expect(accepts(spendToken, { msg: b64(40), sig: b64(TOKEN_MODULUS_BYTES - 1) })).toBe(false);
  });

  it('holds nothing else: a code beside the token is refused', () => {
    expect(accepts(spendToken, { msg: b64(40), sig, code: request.code })).toBe(false);
  });
});

describe('public token documents', () => {
  it('name the algorithm and only code categories', () => {
    const spki = 'A'.repeat(400);
    const key = (raterCategory: string, scope: string) => ({ raterCategory, scope, spki });
    expect(accepts(tokenKeyBody, { instrument: 'b', alg: TOKEN_ALG, keys: [key('npc_deputy', '*')] })).toBe(true);
    // A targeted scope: subject ids, sorted and comma-joined.
    expect(accepts(tokenKeyBody, { instrument: 'b', alg: TOKEN_ALG, keys: [key('npc_deputy', 'czj,swj')] })).toBe(true);
    expect(accepts(tokenKeyBody, { instrument: 'b', alg: TOKEN_ALG, keys: [key('npc_deputy', 'czj, swj')] })).toBe(
      false,
    );
    expect(accepts(tokenKeyBody, { instrument: 'b', alg: 'RSA-PSS', keys: [] })).toBe(false);
    expect(accepts(tokenKeyBody, { instrument: 'b', alg: TOKEN_ALG, keys: [key('public', '*')] })).toBe(false);
    const blindSig = b64(TOKEN_MODULUS_BYTES);
    expect(accepts(tokenIssued, { instrument: 'b', raterCategory: 'public', scope: '*', blindSig })).toBe(false);
    expect(accepts(tokenIssued, { instrument: 'b', raterCategory: 'npc_deputy', scope: '*', blindSig })).toBe(true);
  });
});
