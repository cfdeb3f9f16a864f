// Observer passwords: PBKDF2-SHA256 through WebCrypto, the slow hash workerd
// supports, with a 16-byte per-user salt and 100,000 iterations (workerd's
// maximum). One hash takes tens of milliseconds of CPU: more than the Workers
// Free plan's 10 ms per request, so the console needs the Paid plan (see
// docs/observers.md). Stored as `pbkdf2$<iterations>$<salt>$<hash>` (base64),
// so the cost can be raised later and old hashes still verify.
import { constantTimeEqual, fromBase64, randomBytes, toBase64 } from './bytes';

export const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(password.normalize('NFKC')),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, HASH_BITS);
  return new Uint8Array(bits);
}

export async function hashPassword(
  password: string,
  salt: Uint8Array<ArrayBuffer> = randomBytes(SALT_BYTES),
  iterations = PBKDF2_ITERATIONS,
): Promise<string> {
  return `pbkdf2$${iterations}$${toBase64(salt)}$${toBase64(await derive(password, salt, iterations))}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, salt, hash] = stored.split('$');
  const iterations = Number(iter);
  if (scheme !== 'pbkdf2' || !salt || !hash || !Number.isInteger(iterations) || iterations < 1) return false;
  return constantTimeEqual(await derive(password, fromBase64(salt), iterations), fromBase64(hash));
}

/**
 * Verified when the username is unknown, so an unknown name costs the same
 * time as a wrong password (no account oracle by timing). Matches nothing.
 */
export const DUMMY_HASH = `pbkdf2$${PBKDF2_ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`;
