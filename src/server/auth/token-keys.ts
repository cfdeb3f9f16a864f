// The blind-signing keys (RFC 9474, RSABSSA-SHA384-PSS-Randomized), through
// @cloudflare/blindrsa-ts. One key pair per instrument and rater category.
// Private keys are stored sealed: AES-256-GCM under a key derived (HKDF) from
// TOKEN_KEY_SECRET, bound to the instrument, category and public key, so a
// database copy holds no usable private key and a sealed key cannot be moved
// to another row. Unsealed and imported keys are cached per isolate.
import { RSABSSA } from '@cloudflare/blindrsa-ts';
import { ALL_SUBJECTS, fromBase64Url, TOKEN_MODULUS_BITS, toBase64Url, toHex } from '../../domain/token';
import type { tokenKeys } from '../db/schema';

/** On workerd the private operation uses the runtime's native RSA-RAW (one op, under a millisecond). */
export const suite = RSABSSA.SHA384.PSS.Randomized({ supportsRSARAW: true });
const PSS = { name: 'RSA-PSS', hash: 'SHA-384' } as const;
const IV_BYTES = 12;

export class TokenKeySecretMissing extends Error {}

const sealKeys = new Map<string, Promise<CryptoKey>>();
function sealKey(secret: string | undefined): Promise<CryptoKey> {
  if (!secret) throw new TokenKeySecretMissing('TOKEN_KEY_SECRET is not set');
  let k = sealKeys.get(secret);
  if (!k) {
    k = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), 'HKDF', false, ['deriveKey']).then((ikm) =>
      crypto.subtle.deriveKey(
        {
          name: 'HKDF',
          hash: 'SHA-256',
          salt: new Uint8Array(0),
          info: new TextEncoder().encode('kaoping token keys v1'),
        },
        ikm,
        { name: 'AES-GCM', length: 256 },
        false,
        ['encrypt', 'decrypt'],
      ),
    );
    sealKeys.set(secret, k);
  }
  return k;
}

/** What a sealed key is bound to; an untargeted key's binding is as it was before scopes. */
const aad = (instrument: string, raterCategory: string, scope: string, spki: string) =>
  new TextEncoder().encode(
    scope === ALL_SUBJECTS
      ? `${instrument}\n${raterCategory}\n${spki}`
      : `${instrument}\n${raterCategory}\n${scope}\n${spki}`,
  );

/** A key as stored, without its date. */
export type TokenKeyRow = Omit<typeof tokenKeys.$inferSelect, 'createdOn'>;

/** A new key pair for one instrument and category, ready to store (the private key only sealed). */
export async function createTokenKey(
  secret: string | undefined,
  instrument: string,
  raterCategory: string,
  scope = ALL_SUBJECTS,
): Promise<TokenKeyRow> {
  const pair = (await suite.generateKey({
    modulusLength: TOKEN_MODULUS_BITS,
    publicExponent: Uint8Array.from([1, 0, 1]),
  })) as CryptoKeyPair;
  const spki = toBase64Url(new Uint8Array((await crypto.subtle.exportKey('spki', pair.publicKey)) as ArrayBuffer));
  const jwk = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JsonWebKey;
  const modulus = toHex(fromBase64Url(jwk.n ?? '') ?? new Uint8Array());
  const pkcs8 = new Uint8Array((await crypto.subtle.exportKey('pkcs8', pair.privateKey)) as ArrayBuffer);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealedBytes = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: aad(instrument, raterCategory, scope, spki) },
      await sealKey(secret),
      pkcs8,
    ),
  );
  const sealed = new Uint8Array(IV_BYTES + sealedBytes.length);
  sealed.set(iv);
  sealed.set(sealedBytes, IV_BYTES);
  return { instrument, raterCategory, scope, spki, modulus, sealed: toBase64Url(sealed) };
}

type Signer = (blinded: Uint8Array) => Promise<Uint8Array>;
const signers = new Map<string, Promise<Signer>>();

/**
 * The private operation on a blinded message. workerd: WebCrypto RSA-RAW (what
 * blindrsa-ts uses with `supportsRSARAW`). Node has no RSA-RAW in WebCrypto,
 * so scripts that run the app in Node (the demo seeder) use OpenSSL's raw RSA
 * through node:crypto instead: the same primitive, RSASP1.
 */
async function signer(pkcs8: Uint8Array<ArrayBuffer>): Promise<Signer> {
  try {
    const key = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSA-RAW', hash: 'SHA-384' }, false, ['sign']);
    return (blinded) => suite.blindSign(key, blinded);
  } catch {
    const nodeCrypto = await import('node:crypto');
    const key = nodeCrypto.createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
    return async (blinded) =>
      new Uint8Array(
        nodeCrypto.privateDecrypt({ key, padding: nodeCrypto.constants.RSA_NO_PADDING }, Buffer.from(blinded)),
      );
  }
}

/** Blind-sign with a stored key (unsealed once per isolate). */
export async function blindSign(
  secret: string | undefined,
  row: TokenKeyRow,
  blinded: Uint8Array,
): Promise<Uint8Array> {
  const cacheKey = `${row.instrument}\n${row.raterCategory}\n${row.scope}\n${row.sealed}`;
  let s = signers.get(cacheKey);
  if (!s) {
    s = (async () => {
      const bytes = fromBase64Url(row.sealed);
      if (!bytes) throw new Error('sealed token key is not base64url');
      const pkcs8 = await crypto.subtle.decrypt(
        {
          name: 'AES-GCM',
          iv: bytes.slice(0, IV_BYTES),
          additionalData: aad(row.instrument, row.raterCategory, row.scope, row.spki),
        },
        await sealKey(secret),
        bytes.slice(IV_BYTES),
      );
      return signer(new Uint8Array(pkcs8));
    })();
    signers.set(cacheKey, s);
    s.catch(() => signers.delete(cacheKey));
  }
  return (await s)(blinded);
}

const publicKeys = new Map<string, Promise<CryptoKey>>();
/** A published key (base64url SPKI) as WebCrypto's RSA-PSS SHA-384 verifying key. */
export function importPublicKey(spki: string): Promise<CryptoKey> {
  let k = publicKeys.get(spki);
  if (!k) {
    const der = fromBase64Url(spki);
    k = der ? crypto.subtle.importKey('spki', der, PSS, true, ['verify']) : Promise.reject(new Error('bad spki'));
    publicKeys.set(spki, k);
    k.catch(() => publicKeys.delete(spki));
  }
  return k;
}

/** A token's signature is a plain RSA-PSS signature (salt 48) of the prepared message. */
export async function verifyToken(spki: string, msg: Uint8Array<ArrayBuffer>, sig: Uint8Array<ArrayBuffer>) {
  return suite.verify(await importPublicKey(spki), sig, msg);
}
