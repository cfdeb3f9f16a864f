// Participation tokens for the benches and crash runs, in Node: token keys
// whose private half the bench keeps (so it can mint spend tokens without
// blinding each one), stored in a local D1 exactly as the server expects them
// (sealed like src/server/auth/token-keys.ts `createTokenKey`, and checked
// against the server's own unsealing before use), plus the client's side of
// issuing (blinded messages, real or merely well-formed). Minted tokens
// stand for codes that took them: stand.ts `issuedTokensInto` redeems a code
// for each, so the database says what issuance would have left.
import { RSABSSA } from '@cloudflare/blindrsa-ts';
import { withDb } from '../../scripts/lib/d1';
import type { Target } from '../../scripts/lib/wrangler';
import type { SpendToken } from '../../src/domain/schemas/token';
import { fromBase64Url, TOKEN_MODULUS_BITS, toBase64Url, toHex, tokenMessage } from '../../src/domain/token';
import { blindSign, type TokenKeyRow, verifyToken } from '../../src/server/auth/token-keys';
import { slices } from '../../src/server/db/admin/batch';
import { insertTokenKeys } from '../../src/server/db/tokens';

const client = RSABSSA.SHA384.PSS.Randomized();
const PSS = { name: 'RSA-PSS', hash: 'SHA-384' } as const;
/** RFC 9474 RSABSSA-SHA384-PSS-*: salt as long as the hash. */
const SALT_BYTES = 48;
const IV_BYTES = 12;

/** A token key as stored (sealed), with the private key the bench keeps for minting. */
export interface BenchKey extends TokenKeyRow {
  privateKey: CryptoKey;
}

// The sealing of token-keys.ts: AES-256-GCM under HKDF-SHA256(TOKEN_KEY_SECRET, info "kaoping token keys v1"),
// bound (AAD) to instrument, category and spki; stored as base64url(iv ‖ ciphertext). `createBenchKey` checks
// the result through the server's `blindSign`, so a change there fails here loudly instead of measuring 503s.
async function seal(secret: string, instrument: string, raterCategory: string, spki: string, pkcs8: Uint8Array) {
  const ikm = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), 'HKDF', false, ['deriveKey']);
  const key = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode('kaoping token keys v1') },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt'],
  );
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const additionalData = new TextEncoder().encode(`${instrument}\n${raterCategory}\n${spki}`);
  const ct = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, key, pkcs8 as Uint8Array<ArrayBuffer>),
  );
  const out = new Uint8Array(IV_BYTES + ct.length);
  out.set(iv);
  out.set(ct, IV_BYTES);
  return toBase64Url(out);
}

const bigOf = (bytes: Uint8Array) => BigInt(`0x${toHex(bytes) || '0'}`);
function modPow(base: bigint, exp: bigint, mod: bigint) {
  let r = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % mod;
    b = (b * b) % mod;
  }
  return r;
}

/** A new key pair for one instrument and category; its sealed row is what the server will unseal and sign with. */
export async function createBenchKey(secret: string, instrument: string, raterCategory: string): Promise<BenchKey> {
  const pair = (await crypto.subtle.generateKey(
    { ...PSS, modulusLength: TOKEN_MODULUS_BITS, publicExponent: Uint8Array.from([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const spki = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey)));
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const n = fromBase64Url(jwk.n ?? '') ?? new Uint8Array();
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const row: TokenKeyRow = {
    instrument,
    raterCategory,
    scope: '*',
    spki,
    modulus: toHex(n),
    sealed: await seal(secret, instrument, raterCategory, spki, pkcs8),
  };
  // The server's unsealing and private operation (Node's fallback of the same RSASP1) must invert the public key.
  const m = fromBase64Url(randomBlinded()) as Uint8Array;
  const s = await blindSign(secret, row, m);
  if (modPow(bigOf(s), 65537n, bigOf(n)) !== bigOf(m)) throw new Error('bench token key: sealed key does not match');
  return { ...row, privateKey: pair.privateKey };
}

/** Create a key for each (instrument, category) and store it in the local D1 of `target`. */
export async function keysInto(
  target: Target,
  secret: string,
  slots: { instrument: string; raterCategory: string }[],
): Promise<BenchKey[]> {
  const keys = await Promise.all(slots.map((s) => createBenchKey(secret, s.instrument, s.raterCategory)));
  const rows = keys.map(({ privateKey: _, ...row }) => ({ ...row, createdOn: '2026-11-15' }));
  const stored = await withDb(target, async (db) => {
    let n = 0;
    for (const s of slices(rows, 6)) n += (await insertTokenKeys(db, s)).length;
    return n;
  });
  // A key already there would be kept, and the bench would mint with a private key the server does not have.
  if (stored !== rows.length) throw new Error(`bench token keys: ${rows.length - stored} already in the database`);
  return keys;
}

/**
 * `count` valid spend tokens of a key, minted with its private key: a token
 * is a plain RSA-PSS signature (SHA-384, salt 48) of the prepared message, so
 * this gives exactly what blinding, issuing and finalizing would, minus the
 * issuing. The first one is checked with the server's own verification.
 */
export async function mintTokens(key: BenchKey, count: number): Promise<SpendToken[]> {
  const msg = () => client.prepare(tokenMessage(key.instrument, key.raterCategory)) as Uint8Array<ArrayBuffer>;
  const out: SpendToken[] = [];
  for (let i = 0; i < count; i += 256) {
    const msgs = Array.from({ length: Math.min(256, count - i) }, msg);
    const sigs = await Promise.all(
      msgs.map((m) => crypto.subtle.sign({ name: 'RSA-PSS', saltLength: SALT_BYTES }, key.privateKey, m)),
    );
    for (const [j, m] of msgs.entries()) out.push({ msg: toBase64Url(m), sig: toBase64Url(new Uint8Array(sigs[j]!)) });
  }
  const first = out[0];
  if (
    first &&
    !(await verifyToken(
      key.spki,
      fromBase64Url(first.msg) as Uint8Array<ArrayBuffer>,
      fromBase64Url(first.sig) as Uint8Array<ArrayBuffer>,
    ))
  )
    throw new Error('bench token: a minted token does not verify');
  return out;
}

/**
 * A well-formed blinded message that is no one's token: 256 random bytes with
 * the top bit clear, so below any 2048-bit modulus. Issuing cannot tell it
 * from a real one (blinding is uniform), and it costs nothing to make.
 */
export function randomBlinded(): string {
  const b = crypto.getRandomValues(new Uint8Array(256));
  b[0] = (b[0] as number) & 0x7f;
  return toBase64Url(b);
}
