// The console's API client: the session cookie travels by itself (HttpOnly,
// SameSite=Strict); every state change adds the session's CSRF token, which
// only this page has, read from GET /observe/session. A 401 anywhere means
// the session ended: the console then shows the login again.
import type { SessionBody } from '../../domain/schemas/observer-account';
import { t } from '../../i18n';
import { type ApiFailure, type ApiResult, call, failureText, post as postJson } from '../../lib/api/client';

let csrf = '';
let onExpired: () => void = () => {};

export function whenExpired(f: () => void) {
  onExpired = f;
}

function watch<T>(r: ApiResult<T>): ApiResult<T> {
  if (!r.ok && r.status === 401) onExpired();
  return r;
}

export async function currentSession(): Promise<SessionBody | null> {
  const r = await call<SessionBody>('/observe/session');
  if (!r.ok) return null;
  csrf = r.data.csrfToken;
  return r.data;
}

export async function login(username: string, password: string): Promise<ApiResult<SessionBody>> {
  const r = await postJson<SessionBody>('/observe/login', { username, password });
  if (r.ok) csrf = r.data.csrfToken;
  return r;
}

export async function logout() {
  await postJson('/observe/logout', {}, { csrf });
  csrf = '';
}

export const get = async <T>(path: string) => watch(await call<T>(path));

export const post = async <T>(path: string, body: unknown = {}) => watch(await postJson<T>(path, body, { csrf }));

export const patch = async <T>(path: string, body: unknown) =>
  watch(await postJson<T>(path, body, { csrf, method: 'PATCH' }));

/** What the console says when a request failed: the sentence of the API's code, or a general one. */
export const problemText = (r: ApiFailure) => failureText(r, t.api, t.observe.failed, t.observe.failed);
