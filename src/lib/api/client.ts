// The API as every island calls it. A call resolves, never throws: the body of
// a success, or a failure with the API's error code, field issues and
// Retry-After; status 0 when nothing answered. Zod-free (asApiError), so a
// participation page does not load classic zod for it.
import { asApiError } from '../../domain/api-error';
import type { ApiErrorCode } from '../../domain/api-error-codes';
import type { ApiErrorBody } from '../../domain/schemas/api';

export interface ApiFailure {
  ok: false;
  /** 0: no answer (offline, server down, connection cut). */
  status: number;
  /** The API's error code; absent when nothing answered or the answer was not the API's (a proxy's page). */
  code?: ApiErrorCode;
  issues?: ApiErrorBody['error']['issues'];
  /** The API's sentence, when the case has particulars (an objection window's dates). */
  message?: string;
  /** Seconds, from Retry-After. */
  retryAfter?: number;
}
export type ApiResult<T> = { ok: true; data: T } | ApiFailure;

export interface CallOptions {
  /** Sent as JSON in a POST; without it the call is a GET. */
  body?: unknown;
  /**
   * 'omit' sends no cookie: a participation token's spend must carry nothing
   * from the issuance. Unset: fetch's 'same-origin' (the console's session cookie).
   */
  credentials?: 'omit';
  /** The console session's CSRF token, sent with a POST as X-CSRF-Token. */
  csrf?: string;
  /** 'no-cache': ask the server each time, so a poll is never served the browser's older copy. */
  cache?: 'no-cache';
  /** A body goes as POST unless this says PATCH (a correction of some fields). */
  method?: 'PATCH';
}

export async function call<T>(
  path: string,
  { body, credentials, csrf, cache, method }: CallOptions = {},
): Promise<ApiResult<T>> {
  const init: RequestInit =
    body === undefined
      ? { credentials, ...(cache ? { cache } : {}) }
      : {
          method: method ?? 'POST',
          headers: { 'content-type': 'application/json', ...(csrf ? { 'X-CSRF-Token': csrf } : {}) },
          body: JSON.stringify(body),
          credentials,
        };
  let r: Response;
  let data: unknown;
  try {
    r = await fetch(`/api/v1${path}`, init);
    data = await r.json().catch(() => null);
  } catch {
    return { ok: false, status: 0 };
  }
  // Success bodies come from our own API, typed by the same schemas; only errors can come from elsewhere (a proxy).
  if (r.ok) return { ok: true, data: data as T };
  const parsed = asApiError(data);
  const retryAfter = Number(r.headers.get('retry-after'));
  return {
    ok: false,
    status: r.status,
    code: parsed?.error.code,
    issues: parsed?.error.issues,
    message: parsed?.error.message,
    retryAfter: retryAfter > 0 ? retryAfter : undefined,
  };
}

export const post = <T>(path: string, body: unknown, options: Omit<CallOptions, 'body'> = {}) =>
  call<T>(path, { ...options, body });

/** An island's sentence for a failure: `network` when nothing answered, its sentence for the API's code, else `other`. */
export const failureText = (f: ApiFailure, sentences: Record<ApiErrorCode, string>, network: string, other: string) =>
  f.status === 0 ? network : ((f.code && sentences[f.code]) ?? other);
