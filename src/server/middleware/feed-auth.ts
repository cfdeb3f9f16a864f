// HMAC-signed feed requests: key id, timestamp (±5 min), nonce and signature
// over method, path, query, timestamp, nonce and body hash. A refusal says
// which part was wrong (the integrator of the internal system has to fix it):
// a missing or malformed header, the clock, the signature; the key's status
// and a reused nonce only after the signature holds, so only a caller that has
// the key's secret learns whether the key is revoked.
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

const HEADER_FORMS = [
  [FEED_HEADERS.keyId, /^[a-z0-9-]{1,64}$/, '密钥编号: 1-64 个小写字母、数字或连字符'],
  [FEED_HEADERS.timestamp, /^\d{9,12}$/, 'Unix 时间戳 (秒)'],
  [FEED_HEADERS.nonce, /^[A-Za-z0-9_-]{16,128}$/, '16-128 个字母、数字、_ 或 -'],
  [FEED_HEADERS.signature, /^[0-9a-f]{64}$/, 'HMAC-SHA256 的 64 位十六进制'],
] as const;

/** Check the signature (no database needed); the nonce and the key's status are checked in the read batch. */
export async function verifySignedRequest(c: Context<AppEnv>): Promise<SignedRequest> {
  const master = c.env.FEED_KEY_SECRET;
  if (!master) {
    console.error('FEED_KEY_SECRET is not set');
    throw new ApiError(503, 'service_unavailable');
  }
  const header = (name: string) => c.req.header(name) ?? '';
  const keyId = header(FEED_HEADERS.keyId);
  const timestamp = header(FEED_HEADERS.timestamp);
  const nonce = header(FEED_HEADERS.nonce);
  const signature = header(FEED_HEADERS.signature).toLowerCase();
  const issues = HEADER_FORMS.flatMap(([name, form, expected]) => {
    const value = name === FEED_HEADERS.signature ? signature : header(name);
    if (form.test(value)) return [];
    return [{ path: ['headers', name], message: value ? `格式不对, 应为${expected}` : `缺少此请求头 (${expected})` }];
  });
  if (issues.length > 0) throw new ApiError(401, 'feed_unsigned', issues);
  // Freshness is about real time, not the pinned business clock of demos and e2e runs.
  const now = Math.floor(Date.now() / 1000);
  const skew = Number(timestamp) - now;
  if (Math.abs(skew) > FEED_MAX_SKEW_SECONDS) {
    throw new ApiError(401, 'feed_clock_skew', [
      {
        path: ['headers', FEED_HEADERS.timestamp],
        message: `比服务器时间${skew > 0 ? '快' : '慢'} ${Math.abs(skew)} 秒, 允许 ±${FEED_MAX_SKEW_SECONDS} 秒 (服务器时间 ${now})`,
      },
    ]);
  }
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
  if (!sameHex(expected, signature)) throw new ApiError(401, 'feed_signature_invalid');
  return { keyId, nonce, expires: Number(timestamp) + FEED_MAX_SKEW_SECONDS * 2 };
}
