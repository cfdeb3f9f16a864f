import { env } from 'cloudflare:test';
import { normaliseCrockford } from '../../src/domain/code';
import type { SpendToken } from '../../src/domain/schemas/token';
import { toBase64Url } from '../../src/domain/token';
import { type BlindState, blindToken, finalizeToken } from '../../src/lib/participate/token';
import { type AppOptions, createApp } from '../../src/server/app';
import { categoryOf, ensureTokenKeys, scopeOfCode, TOKEN } from './api-fixtures';

/** Call the app as Pages would, with the test bindings (plus any given). */
export function client(options: AppOptions = {}, bindings: Record<string, string> = {}) {
  const app = createApp(options);
  const e = { ...env, ...bindings };
  return {
    app,
    request: (path: string, init?: RequestInit) => app.request(path, init, e),
    json: (path: string, body: unknown, init: RequestInit = {}) =>
      app.request(
        path,
        {
          method: 'POST',
          ...init,
          headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
          body: JSON.stringify(body),
        },
        e,
      ),
  };
}
export type Client = ReturnType<typeof client>;

/**
 * Blind a fresh token for a code's category and scope (or any key of the
 * instrument, for codes the server will refuse).
 */
export async function blindFor(
  api: Client,
  instrument: string,
  raterCategory?: string,
  scope = '*',
): Promise<BlindState> {
  await ensureTokenKeys();
  const r = await api.request(`/api/v1/instruments/${instrument}/token-key`);
  const { keys } = (await r.json()) as { keys: { raterCategory: string; scope: string; spki: string }[] };
  const key =
    keys.find((k) => k.raterCategory === raterCategory && k.scope === scope) ??
    keys.find((k) => k.raterCategory === raterCategory) ??
    keys[0];
  if (!key) throw new Error(`no token key for ${instrument}`);
  return blindToken(instrument, key.raterCategory, key.spki, key.scope);
}

/**
 * A well-formed blinded message that is no one's token: 256 random bytes below
 * any 2048-bit modulus. Issuing cannot tell it from a real one (blinding is
 * uniform), so contention tests can send hundreds without blinding each.
 */
export function randomBlinded(): string {
  const b = crypto.getRandomValues(new Uint8Array(256));
  b[0] = (b[0] as number) & 0x7f;
  return toBase64Url(b);
}

/** POST /tokens as the island does. */
export function requestToken(
  api: Client,
  instrument: string,
  body: { code: string; blindedMsg: string; turnstileToken?: string },
  headers: Record<string, string> = {},
) {
  return api.json(`/api/v1/instruments/${instrument}/tokens`, { turnstileToken: TOKEN, ...body }, { headers });
}

/** Take a token with a code: the token, or the refusing response. */
export async function takeToken(
  api: Client,
  instrument: string,
  code: string,
  headers: Record<string, string> = {},
  turnstileToken = TOKEN,
): Promise<{ token: SpendToken; response: Response } | { token: null; response: Response }> {
  const state = await blindFor(
    api,
    instrument,
    categoryOf.get(normaliseCrockford(code)),
    scopeOfCode.get(normaliseCrockford(code)),
  );
  const response = await requestToken(api, instrument, { code, blindedMsg: state.blindedMsg, turnstileToken }, headers);
  if (response.status !== 201 && response.status !== 200) return { token: null, response };
  const { blindSig } = (await response.clone().json()) as { blindSig: string };
  return { token: await finalizeToken(state, blindSig), response };
}

/** POST /responses with a token (code instruments). */
export function spend(
  api: Client,
  instrument: string,
  token: SpendToken,
  answers: unknown,
  headers: Record<string, string> = {},
) {
  return api.json(`/api/v1/instruments/${instrument}/responses`, { token, answers }, { headers });
}

/**
 * Take part as the island does: with a code, take a token and spend it (the
 * refusing response if the token is refused); without, submit with a human check.
 */
export async function submit(
  api: Client,
  instrument: string,
  body: { code?: string; turnstileToken?: string; answers: unknown },
  headers: Record<string, string> = {},
) {
  if (body.code !== undefined) {
    const taken = await takeToken(api, instrument, body.code, headers, body.turnstileToken);
    if (!taken.token) return taken.response;
    return spend(api, instrument, taken.token, body.answers, headers);
  }
  return api.json(`/api/v1/instruments/${instrument}/responses`, { turnstileToken: TOKEN, ...body }, { headers });
}

export async function rowCount(table: string): Promise<number> {
  const r = await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>();
  return r?.n ?? 0;
}
