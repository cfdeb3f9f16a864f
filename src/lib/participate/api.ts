// The participation endpoints, on the islands' one API client (lib/api/client.ts).
import { config as zodConfig } from 'zod/mini';
import type { ClientConfig } from '../../domain/schemas/client-config';
import type { Instrument, InstrumentStatus } from '../../domain/schemas/instrument';
import type {
  SubmitRequest,
  SubmitResponseBody,
  TurnoutBody,
  VerifyCodeResponse,
} from '../../domain/schemas/participation';
import type { TokenIssued, TokenKeyBody, TokenRequest } from '../../domain/schemas/token';
import { type ApiResult, call, post } from '../api/client';

// zod compiles object parsers with `new Function` when it may; the pages' CSP
// (rightly) forbids eval, and probing for it logs a CSP violation. Parse without.
zodConfig({ jitless: true });

export type InstrumentWithStatus = Instrument & { status: InstrumentStatus };
export type Turnout = TurnoutBody;

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

/** How many took part so far, rounded down to steps of 5 while open (no per-option counts before close). */
export const getTurnout = (id: string, opts: { fresh?: boolean } = {}) =>
  call<TurnoutBody>(`/instruments/${encodeURIComponent(id)}/turnout`, opts.fresh ? { cache: 'no-cache' } : {});

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
