// Byte helpers shared by the auth modules (WebCrypto works on bytes; we store text).

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** Standard or URL-safe base64, padded or not (dev-vars.ts writes base64url secrets). */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const std = text.trim().replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(std + '='.repeat((4 - (std.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export const toBase64Url = (bytes: Uint8Array) =>
  toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));

/** A random bearer token: 32 bytes, base64url. */
export const randomToken = () => toBase64Url(randomBytes(32));

export async function sha256Hex(text: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Compare without an early exit, so the time taken says nothing about where two values differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export const constantTimeEqualText = (a: string, b: string) =>
  constantTimeEqual(new TextEncoder().encode(a), new TextEncoder().encode(b));
