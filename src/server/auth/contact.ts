// Contact details of opinion-box senders, encrypted at rest: AES-256-GCM with
// the key in CONTACT_KEY (base64 or base64url, 32 bytes), a fresh random
// 12-byte IV per value, stored as base64(iv ‖ ciphertext). Only observer
// routes decrypt. A database copy without the key reveals no contact.
import type { ContactDetails } from '../../domain/schemas/message';
import { fromBase64, randomBytes, toBase64 } from './bytes';

const IV_BYTES = 12;
const keys = new Map<string, Promise<CryptoKey>>();

export class ContactKeyMissing extends Error {}

function contactKey(secret: string | undefined): Promise<CryptoKey> {
  if (!secret) throw new ContactKeyMissing('CONTACT_KEY is not set');
  let k = keys.get(secret);
  if (!k) {
    const raw = fromBase64(secret);
    if (raw.length !== 32) throw new ContactKeyMissing('CONTACT_KEY must be 32 bytes (base64)');
    k = crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    keys.set(secret, k);
  }
  return k;
}

export async function encryptContact(secret: string | undefined, contact: ContactDetails): Promise<string> {
  const iv = randomBytes(IV_BYTES);
  const plain = new TextEncoder().encode(JSON.stringify(contact));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await contactKey(secret), plain));
  const out = new Uint8Array(IV_BYTES + sealed.length);
  out.set(iv);
  out.set(sealed, IV_BYTES);
  return toBase64(out);
}

export async function decryptContact(secret: string | undefined, stored: string): Promise<ContactDetails> {
  const bytes = fromBase64(stored);
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: bytes.slice(0, IV_BYTES) },
    await contactKey(secret),
    bytes.slice(IV_BYTES),
  );
  return JSON.parse(new TextDecoder().decode(plain)) as ContactDetails;
}
