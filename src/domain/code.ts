// One-time participation codes (一人一号). 12 random Crockford base32
// characters (60 bits) plus one Luhn mod 32 check character, shown as
// XXXX-XXXX-XXXX-X. The check character catches every single-character typo
// and adjacent swaps before any request is sent.

export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RANDOM_LENGTH = 12;
export const CODE_LENGTH = RANDOM_LENGTH + 1;
const N = ALPHABET.length;

/**
 * Crockford base32 as a person types it, made canonical: upper-case, no
 * spaces or dashes, O read as 0 and I/L as 1. Codes, receipts and tracking
 * numbers are all read this way.
 */
export function normaliseCrockford(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s\-_.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

function luhnSum(chars: string, startFactor: 1 | 2): number {
  let factor = startFactor;
  let sum = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const v = ALPHABET.indexOf(chars[i] as string);
    const addend = factor * v;
    sum += Math.floor(addend / N) + (addend % N);
    factor = factor === 2 ? 1 : 2;
  }
  return sum;
}

/** The Luhn mod 32 check character of a run of alphabet characters. */
export function checkCharacter(body: string): string {
  return ALPHABET[(N - (luhnSum(body, 2) % N)) % N] as string;
}

export type CodeProblem = 'empty' | 'invalid_character' | 'too_short' | 'too_long' | 'check_failed';

/** Check a typed code without any request: which problem, if any. */
export function codeProblem(input: string): CodeProblem | null {
  const c = normaliseCrockford(input);
  if (c.length === 0) return 'empty';
  for (const ch of c) if (!ALPHABET.includes(ch)) return 'invalid_character';
  if (c.length < CODE_LENGTH) return 'too_short';
  if (c.length > CODE_LENGTH) return 'too_long';
  return luhnSum(c, 1) % N === 0 ? null : 'check_failed';
}

/**
 * The first group of a code: what a per-prefix failure limit counts, so that
 * someone who has seen part of a slip (the first group, say) and tries the
 * rest is stopped however many addresses he uses. Random guesses spread over
 * 2^20 prefixes and are left to the per-address limit and Turnstile.
 */
export const CODE_PREFIX_LENGTH = 4;
export const codePrefix = (input: string) => normaliseCrockford(input).slice(0, CODE_PREFIX_LENGTH);

/** Group for reading: XXXX-XXXX-XXXX-X. */
export function formatCode(normalised: string): string {
  return normalised.match(/.{1,4}/g)?.join('-') ?? '';
}

/** A new random code, formatted. `random` fills a byte array (crypto.getRandomValues by default). */
export type RandomFill = (a: Uint8Array<ArrayBuffer>) => Uint8Array;

export function generateCode(random: RandomFill = (a) => crypto.getRandomValues(a)): string {
  const bytes = random(new Uint8Array(RANDOM_LENGTH));
  // 256 is a multiple of 32, so the low 5 bits of a uniform byte are uniform.
  let body = '';
  for (const b of bytes) body += ALPHABET[b & 31];
  return formatCode(body + checkCharacter(body));
}

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** The key under which a code is stored: HMAC-SHA256(pepper, normalised code), hex. */
export function hashCode(pepper: string, code: string): Promise<string> {
  return hmacHex(pepper, normaliseCrockford(code));
}

const keys = new Map<string, Promise<CryptoKey>>();
/** Import (once per secret) an HMAC-SHA256 key. */
export function importHmacKey(secret: string): Promise<CryptoKey> {
  let k = keys.get(secret);
  if (!k) {
    k = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    keys.set(secret, k);
  }
  return k;
}

export async function hmacHex(secret: string, message: string): Promise<string> {
  return hex(await crypto.subtle.sign('HMAC', await importHmacKey(secret), new TextEncoder().encode(message)));
}
