// The forum, opinion-box and console API as the islands call it. Every call
// resolves (never throws): the body of a success, or a failure with the API's
// error code and field issues; status 0 when nothing answered.
import { type ApiErrorBody, apiError } from '../../domain/schemas/api';

export interface ApiFailure {
  ok: false;
  status: number;
  code: string;
  message?: string;
  issues?: ApiErrorBody['error']['issues'];
}
export type ApiResult<T> = { ok: true; data: T } | ApiFailure;

export async function call<T>(path: string, init: RequestInit = {}): Promise<ApiResult<T>> {
  let r: Response;
  let body: unknown;
  try {
    r = await fetch(`/api/v1${path}`, { credentials: 'same-origin', ...init });
    body = await r.json().catch(() => null);
  } catch {
    return { ok: false, status: 0, code: 'network' };
  }
  if (r.ok) return { ok: true, data: body as T };
  const parsed = apiError.safeParse(body);
  return {
    ok: false,
    status: r.status,
    code: parsed.success ? parsed.data.error.code : 'unknown',
    message: parsed.success ? parsed.data.error.message : undefined,
    issues: parsed.success ? parsed.data.error.issues : undefined,
  };
}

export const postJson = <T>(path: string, body: unknown, headers: Record<string, string> = {}) =>
  call<T>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** The API's sentence for a failure (its messages are already in Chinese), or a generic one. */
export const failureText = (f: ApiFailure, network: string, generic: string) =>
  f.status === 0 ? network : (f.message ?? generic);

/** Field errors keyed by the first path element, for error summaries that link to the field. */
export function fieldErrors(issues: { path: (string | number)[]; message: string }[] | undefined) {
  const out: Record<string, string> = {};
  for (const i of issues ?? []) {
    const k = String(i.path[i.path.length > 1 && i.path[0] === 'contact' ? 1 : 0] ?? 'form');
    out[k] ??= i.message;
  }
  return out;
}
