import { z } from 'zod';
import {
  fromBase64Url,
  SCOPE_PATTERN,
  TOKEN_ALG,
  TOKEN_MESSAGE_MAX,
  TOKEN_MODULUS_BYTES,
  TOKEN_PREFIX_BYTES,
} from '../token';
import { id } from './common';
import { codeInput, turnstileToken } from './credential';
import { codeCategory } from './rater-category';

/** Bytes in base64url (no padding needed), of a length between min and max. */
const base64url = (min: number, max: number, what: string) =>
  z
    .string()
    .min(Math.floor((min * 4) / 3))
    .max(Math.ceil(max / 3) * 4)
    .refine(
      (s) => {
        const n = fromBase64Url(s)?.length ?? -1;
        return n >= min && n <= max;
      },
      { message: `${what}应为 base64url 编码的 ${min === max ? min : `${min}-${max}`} 字节` },
    )
    .meta({ format: 'base64url', description: `base64url, ${min === max ? min : `${min}-${max}`} bytes` });

/** A blinded message or a signature: exactly one modulus long. */
const modulusLong = (what: string) => base64url(TOKEN_MODULUS_BYTES, TOKEN_MODULUS_BYTES, what);

export const tokenRequest = z
  .strictObject({ code: codeInput, turnstileToken, blindedMsg: modulusLong('blindedMsg ') })
  .meta({ id: 'TokenRequest' });
export type TokenRequest = z.infer<typeof tokenRequest>;

/** The subjects a targeted code may rate (sorted ids, comma-joined), or '*' for every subject. */
export const tokenScope = z
  .string()
  .refine((s) => s === '*' || SCOPE_PATTERN.test(s), { message: 'scope 应为 * 或按字母排序、逗号分隔的评议对象 id' })
  .meta({ description: "'*' (every subject), or the subject ids a targeted code may rate, sorted and comma-joined" });

export const tokenIssued = z
  .object({ instrument: id, raterCategory: codeCategory, scope: tokenScope, blindSig: modulusLong('blindSig ') })
  .meta({ id: 'TokenIssued' });
export type TokenIssued = z.infer<typeof tokenIssued>;

/** A finalized token: the prepared message (random prefix ‖ message) and its RSA-PSS signature. */
export const spendToken = z
  .strictObject({
    msg: base64url(TOKEN_PREFIX_BYTES + 1, TOKEN_PREFIX_BYTES + TOKEN_MESSAGE_MAX, 'msg '),
    sig: modulusLong('sig '),
  })
  .meta({ id: 'Token' });
export type SpendToken = z.infer<typeof spendToken>;

/** base64url of a DER SubjectPublicKeyInfo (RSA-PSS with SHA-384, as WebCrypto exports it). */
const spki = z
  .string()
  .min(300)
  .max(800)
  .regex(/^[A-Za-z0-9_-]+$/);

export const tokenKeyBody = z
  .object({
    instrument: id,
    alg: z.literal(TOKEN_ALG),
    /**
     * One key per rater category and scope: the category (and, for targeted
     * codes, the subjects) a token speaks for is vouched for by the key that signed it.
     */
    keys: z.array(z.object({ raterCategory: codeCategory, scope: tokenScope, spki })),
  })
  .meta({ id: 'TokenKeys' });
export type TokenKeyBody = z.infer<typeof tokenKeyBody>;

export const spentTokenList = z
  .object({
    instrument: id,
    alg: z.literal(TOKEN_ALG),
    /** Tokens issued (codes redeemed for this instrument) and spent (responses stored with a token). */
    issued: z.number().int(),
    spent: z.number().int(),
    keys: z.array(
      z.object({
        raterCategory: codeCategory,
        scope: tokenScope,
        spki,
        issued: z.number().int(),
        spent: z.number().int(),
      }),
    ),
    /** Every spent token, sorted by `msg`, so the order says nothing about when it was spent. */
    tokens: z.array(z.object({ msg: z.string(), sig: z.string() })),
  })
  .meta({ id: 'SpentTokens' });
export type SpentTokenList = z.infer<typeof spentTokenList>;
