// The participation API as the islands call it. Every call resolves (never
// throws): a success with its body, or a failure the island can explain —
// status 0 when the network (or the server) did not answer at all.
import { config as zodConfig } from 'zod/mini';
import { asApiError } from '../../domain/api-error';
import type { ApiErrorBody } from '../../domain/schemas/api';
import type { ClientConfig } from '../../domain/schemas/client-config';
import type { Instrument, InstrumentStatus } from '../../domain/schemas/instrument';
import type { SubmitRequest, SubmitResponseBody, VerifyCodeResponse } from '../../domain/schemas/participation';
import type { TokenIssued, TokenKeyBody, TokenRequest } from '../../domain/schemas/token';

// zod compiles object parsers with `new Function` when it may; the pages' CSP
// (rightly) forbids eval, and probing for it logs a CSP violation. Parse without.
zodConfig({ jitless: true });

export interface ApiFailure {
  ok: false;
  /** 0: no answer (offline, server down, connection cut). */
  status: number;
  /** The API's error code, or `network` / `unknown`. */
  code: string;
  issues?: ApiErrorBody['error']['issues'];
  /** Seconds, from Retry-After. */
  retryAfter?: number;
}
export type ApiResult<T> = { ok: true; data: T } | ApiFailure;

export type InstrumentWithStatus = Instrument & { status: InstrumentStatus };

async function call<T>(path: string, init?: RequestInit): Promise<ApiResult<T>> {
  let r: Response;
  let body: unknown;
  try {
    r = await fetch(`/api/v1${path}`, init);
    body = await r.json().catch(() => null);
  } catch {
    return { ok: false, status: 0, code: 'network' };
  }
  // Success bodies come from our own API, typed by the same schemas; only errors can come from elsewhere (a proxy).
  if (r.ok) return { ok: true, data: body as T };
  const parsed = asApiError(body);
  const retryAfter = Number(r.headers.get('retry-after'));
  return {
    ok: false,
    status: r.status,
    code: parsed ? parsed.error.code : r.status >= 500 ? 'service_unavailable' : 'unknown',
    issues: parsed?.error.issues,
    retryAfter: retryAfter > 0 ? retryAfter : undefined,
  };
}

const post = <T>(path: string, body: unknown, init: RequestInit = {}) =>
  call<T>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...init,
  });

let config: Promise<ApiResult<ClientConfig>> | undefined;
/** Fetched once per page; a failure is not cached, so a retry asks again. */
export function getConfig(): Promise<ApiResult<ClientConfig>> {
  config ??= call<ClientConfig>('/config').then((r) => {
    if (!r.ok) config = undefined;
    return r;
  });
  return config;
}

export const verifyCode = (code: string, turnstileToken: string) =>
  post<VerifyCodeResponse>('/codes/verify', { code, turnstileToken });

export const getInstrument = (id: string) => call<InstrumentWithStatus>(`/instruments/${encodeURIComponent(id)}`);

export const getTokenKey = (id: string) => call<TokenKeyBody>(`/instruments/${encodeURIComponent(id)}/token-key`);

/** Pay with the code for a blind signature (the code's only trip to the server after the check). */
export const requestToken = (id: string, body: TokenRequest) =>
  post<TokenIssued>(`/instruments/${encodeURIComponent(id)}/tokens`, body);

/**
 * Send the answers. With a token, the request carries nothing from the
 * issuance: no code, no cookie (credentials omitted), no header of ours.
 */
export const submitResponse = (id: string, body: SubmitRequest) =>
  post<SubmitResponseBody>(`/instruments/${encodeURIComponent(id)}/responses`, body, { credentials: 'omit' });

/** In a POST body, not the URL: a receipt must not end up in request logs beside an address. */
export const checkReceipt = (receipt: string) =>
  post<{ instrument: string; recordedOn: string }>('/receipts/check', { receipt });
