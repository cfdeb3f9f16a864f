// Participation tokens (盲签令牌): a code buys one blind-signed token per
// instrument (RFC 9474, RSABSSA-SHA384-PSS-Randomized), and the token, not the
// code, carries the answers. The signer never sees the message it signs, so a
// spent token cannot be matched to the redemption that paid for it.
//
// What the token says is public and fixed: the instrument, the rater
// category and, for a targeted code (定点定向), its subjects as a fourth line,
// after the 32 random bytes that the Randomized variant prepends. They travel
// in the message because tallies and weights are per category and answers are
// checked against the scope; they are vouched for by the key, one key pair per
// instrument, category and scope, since a blind signer cannot check what it signs.

export const TOKEN_ALG = 'RSABSSA-SHA384-PSS-Randomized' as const;
/** RFC 9474's random message prefix of the Randomized variants. */
export const TOKEN_PREFIX_BYTES = 32;
/** RSA modulus of every token key: 2048 bits (RFC 9474 asks for at least 2048). */
export const TOKEN_MODULUS_BITS = 2048;
export const TOKEN_MODULUS_BYTES = TOKEN_MODULUS_BITS / 8;
const LABEL = 'kaoping-token/v1';
/** Longest message after the prefix: label, instrument, category and a targeted scope of a few dozen subjects. */
export const TOKEN_MESSAGE_MAX = 1000;

/** A scope that covers every subject (an untargeted code). */
export const ALL_SUBJECTS = '*';

/**
 * The message a participant has signed: label, instrument, rater category,
 * and, for a targeted code (定点定向), the subjects it may rate (sorted ids,
 * comma-joined). An untargeted token has no fourth line, as before scopes.
 */
export function tokenMessage(instrument: string, raterCategory: string, scope = ALL_SUBJECTS): Uint8Array<ArrayBuffer> {
  const lines = [LABEL, instrument, raterCategory, ...(scope === ALL_SUBJECTS ? [] : [scope])];
  return new TextEncoder().encode(lines.join('\n'));
}

export interface TokenClaims {
  instrument: string;
  raterCategory: string;
  scope: string;
}

/** Read a prepared message (prefix ‖ message); null if it is not one of ours. */
export function readTokenMessage(prepared: Uint8Array): TokenClaims | null {
  if (prepared.length <= TOKEN_PREFIX_BYTES || prepared.length > TOKEN_PREFIX_BYTES + TOKEN_MESSAGE_MAX) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(prepared.subarray(TOKEN_PREFIX_BYTES));
  } catch {
    return null;
  }
  const [label, instrument, raterCategory, scope, ...rest] = text.split('\n');
  if (label !== LABEL || !instrument || !raterCategory || rest.length > 0) return null;
  if (scope !== undefined && !SCOPE_PATTERN.test(scope)) return null;
  return { instrument, raterCategory, scope: scope ?? ALL_SUBJECTS };
}

/** A targeted scope as stored and signed: subject ids, sorted, comma-joined. */
export const SCOPE_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}(,[a-z0-9][a-z0-9-]{0,63})*$/;

/** The canonical scope of a list of subject ids ('*' for none). */
export const scopeOf = (subjects: readonly string[] | undefined) =>
  subjects && subjects.length > 0 ? [...new Set(subjects)].sort().join(',') : ALL_SUBJECTS;

/** base64url without padding (RFC 4648 §5), the encoding of every token field in the API. */
export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export const BASE64URL_PATTERN = /^[A-Za-z0-9_-]*$/;

/** Decode base64url (padding optional); null if it is not base64url. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  const bare = text.replace(/=+$/, '');
  // The bare length is what decodes (checking the padded one let "A===" reach atob, which threw); padding is optional, at most two.
  if (!BASE64URL_PATTERN.test(bare) || bare.length % 4 === 1 || text.length - bare.length > 2) return null;
  const std = bare.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(std + '='.repeat((4 - (std.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export const toHex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/** SHA-256 in hex: the key a spent token is stored under, and the fingerprint of a blinded message. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}
