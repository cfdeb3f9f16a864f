// HMAC-signed feed requests: key id, timestamp (±5 min), nonce and signature
// over method, path, query, timestamp, nonce and body hash. Every failure is
// the same 401, so a caller learns nothing about which part was wrong.
import type { Context } from 'hono';
import { hmacHex } from '../../domain/code';
import { canonicalRequest, FEED_HEADERS, FEED_MAX_SKEW_SECONDS } from '../../domain/feed';
import type { AppEnv } from '../env';
import { ApiError } from './errors';

export interface SignedRequest {
  keyId: string;
  nonce: string;
  /** Epoch seconds until which the nonce must be remembered. */
  expires: number;
}

/** The secret of a key: derived from the deployment's FEED_KEY_SECRET, never stored. */
export function feedKeySecret(master: string, keyId: string): Promise<string> {
  return hmacHex(master, `feed-key:${keyId}`);
}

/** Constant-time comparison of two hex strings. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const refuse = () => new ApiError(401, 'unauthorized');

/** Check the signature (no database needed); the nonce and the key's status are checked in the read batch. */
export async function verifySignedRequest(c: Context<AppEnv>): Promise<SignedRequest> {
  const master = c.env.FEED_KEY_SECRET;
  if (!master) {
    console.error('FEED_KEY_SECRET is not set');
    throw new ApiError(503, 'service_unavailable');
  }
  const keyId = c.req.header(FEED_HEADERS.keyId) ?? '';
  const timestamp = c.req.header(FEED_HEADERS.timestamp) ?? '';
  const nonce = c.req.header(FEED_HEADERS.nonce) ?? '';
  const signature = (c.req.header(FEED_HEADERS.signature) ?? '').toLowerCase();
  if (!/^[a-z0-9-]{1,64}$/.test(keyId) || !/^\d{9,12}$/.test(timestamp) || !/^[A-Za-z0-9_-]{16,128}$/.test(nonce)) {
    throw refuse();
  }
  // Freshness is about real time, not the pinned business clock of demos and e2e runs.
  const now = Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > FEED_MAX_SKEW_SECONDS) throw refuse();
  const url = new URL(c.req.url);
  const canonical = await canonicalRequest({
    method: c.req.method,
    path: url.pathname,
    query: url.searchParams,
    timestamp,
    nonce,
    body: c.req.method === 'GET' ? '' : await c.req.text(),
  });
  const expected = await hmacHex(await feedKeySecret(master, keyId), canonical);
  if (!sameHex(expected, signature)) throw refuse();
  return { keyId, nonce, expires: Number(timestamp) + FEED_MAX_SKEW_SECONDS * 2 };
}
