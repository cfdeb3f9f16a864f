// Server-side Turnstile verification. Live mode calls Cloudflare's siteverify;
// test mode answers exactly as Cloudflare documents for its test secret keys,
// without network, for local runs and CI. Production refuses test mode.
import type { Context } from 'hono';
import type { AppEnv, Bindings } from '../env';
import { ApiError } from '../middleware/errors';

export const SITEVERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';
export const TEST_SECRETS = {
  pass: '1x0000000000000000000000000000000AA',
  fail: '2x0000000000000000000000000000000AA',
  spent: '3x0000000000000000000000000000000AA',
} as const;
/** What Cloudflare's test sitekeys hand out instead of a real token. */
export const DUMMY_TOKEN = 'XXXX.DUMMY.TOKEN.XXXX';

export interface SiteverifyResult {
  success: boolean;
  'error-codes': string[];
  hostname?: string;
  action?: string;
}

/** Cloudflare's documented behaviour of the test secret keys. */
export function emulateSiteverify(secret: string, token: string): SiteverifyResult {
  if (secret === TEST_SECRETS.pass) {
    return token === DUMMY_TOKEN
      ? { success: true, 'error-codes': [], hostname: 'example.com' }
      : { success: false, 'error-codes': ['invalid-input-response'] };
  }
  if (secret === TEST_SECRETS.fail) return { success: false, 'error-codes': ['invalid-input-response'] };
  if (secret === TEST_SECRETS.spent) return { success: false, 'error-codes': ['timeout-or-duplicate'] };
  return { success: false, 'error-codes': ['invalid-input-secret'] };
}

export class SiteverifyUnavailable extends Error {}

/**
 * Live siteverify. One retry with the same idempotency key, so a retried call
 * is not reported as a duplicate; any network failure or non-200 throws.
 */
export async function siteverify(opts: {
  secret: string;
  token: string;
  remoteip?: string;
  idempotencyKey: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<SiteverifyResult> {
  const body = new FormData();
  body.set('secret', opts.secret);
  body.set('response', opts.token);
  if (opts.remoteip) body.set('remoteip', opts.remoteip);
  body.set('idempotency_key', opts.idempotencyKey);
  const doFetch = opts.fetch ?? fetch;
  let last: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const r = await doFetch(SITEVERIFY_URL, {
        method: 'POST',
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
      });
      if (!r.ok) throw new SiteverifyUnavailable(`siteverify answered ${r.status}`);
      const json = (await r.json()) as Partial<SiteverifyResult>;
      return {
        success: json.success === true,
        'error-codes': json['error-codes'] ?? [],
        hostname: json.hostname,
        action: json.action,
      };
    } catch (e) {
      last = e;
    }
  }
  throw new SiteverifyUnavailable(String((last as Error)?.message ?? last));
}

export function turnstileMode(env: Bindings): 'live' | 'test' {
  return env.TURNSTILE_MODE === 'test' ? 'test' : 'live';
}

/** Refuse to serve participation in production with test-mode Turnstile or without its secret. */
export function assertTurnstileConfigured(env: Bindings) {
  const misconfigured =
    !env.TURNSTILE_SECRET_KEY || (env.ENVIRONMENT === 'production' && turnstileMode(env) !== 'live');
  if (misconfigured) {
    console.error('Turnstile misconfigured: production needs TURNSTILE_MODE=live and TURNSTILE_SECRET_KEY');
    throw new ApiError(503, 'service_unavailable');
  }
}

/** Verify the token of this request or throw 403 (failed, spent) / 503 (siteverify unreachable: fail closed). */
export async function checkTurnstile(c: Context<AppEnv>, token: string, fetchImpl?: typeof fetch): Promise<void> {
  const env = c.env;
  assertTurnstileConfigured(env);
  const secret = env.TURNSTILE_SECRET_KEY as string;
  let result: SiteverifyResult;
  if (turnstileMode(env) === 'test') {
    result = emulateSiteverify(secret, token);
  } else {
    try {
      result = await siteverify({
        secret,
        token,
        remoteip: c.req.header('cf-connecting-ip'),
        idempotencyKey: crypto.randomUUID(),
        fetch: fetchImpl,
      });
    } catch (e) {
      console.error(`[${c.get('requestId')}] siteverify unreachable: ${(e as Error).message}`);
      throw new ApiError(503, 'service_unavailable', undefined, { 'Retry-After': '5' });
    }
    const expectedHost = env.PUBLIC_ORIGIN ? new URL(env.PUBLIC_ORIGIN).hostname : undefined;
    if (result.success && expectedHost && result.hostname !== expectedHost) {
      result = { success: false, 'error-codes': ['hostname-mismatch'] };
    }
  }
  if (!result.success) throw new ApiError(403, 'turnstile_failed');
}
