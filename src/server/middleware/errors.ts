// The one error shape, the right status, and nothing internal in the body.
import { DrizzleQueryError } from 'drizzle-orm';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { ApiErrorCode } from '../../domain/api-error-codes';
import type { ApiErrorBody } from '../../domain/schemas/api';
import { t } from '../../i18n';

type Issue = NonNullable<ApiErrorBody['error']['issues']>[number];

/** Thrown by routes and middleware; rendered by `onError`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ApiErrorCode,
    readonly issues?: Issue[],
    readonly headers?: Record<string, string>,
    /** A sentence in place of the code's own, when the case needs its particulars (a window's dates). */
    readonly detail?: string,
  ) {
    super(code);
  }
}

export function errorBody(code: ApiErrorCode, issues?: Issue[], detail?: string): ApiErrorBody {
  return { error: { code, message: detail ?? t.api[code], ...(issues ? { issues } : {}) } };
}

export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: ApiErrorCode,
  issues?: Issue[],
  detail?: string,
) {
  return c.json(errorBody(code, issues, detail), status);
}

export const zodIssues = (e: Pick<ZodError, 'issues'>): Issue[] =>
  e.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message }));

/**
 * drizzle wraps a failed statement in an error holding its SQL and bound
 * parameters (request data): judge and log the database's own error instead.
 */
export const databaseError = (err: Error): Error =>
  err instanceof DrizzleQueryError && err.cause instanceof Error ? err.cause : err;

/**
 * D1 answers "overloaded" when its single writer queue is full: a retryable
 * 503, not a 500. So is an audited action that lost the race for the audit
 * chain's head every time it tried (db/audit.ts): the console may send it again.
 */
const isOverloaded = (err: Error) =>
  /overloaded|D1_ERROR.*(busy|timeout)|SQLITE_BUSY|audit_chain_moved/i.test(err.message);

export const onError: ErrorHandler = (err, c) => {
  if (err instanceof ApiError) {
    for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
    return errorResponse(c, err.status, err.code, err.issues, err.detail);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code: ApiErrorCode =
      status === 413
        ? 'payload_too_large'
        : status === 415
          ? 'unsupported_media_type'
          : status === 401
            ? 'unauthorized'
            : status === 403
              ? 'forbidden'
              : status === 404
                ? 'not_found'
                : status >= 500
                  ? 'internal_error'
                  : 'validation_failed';
    return errorResponse(c, status as ContentfulStatusCode, code);
  }
  const cause = databaseError(err);
  if (isOverloaded(cause)) {
    c.header('Retry-After', '2');
    return errorResponse(c, 503, 'service_unavailable');
  }
  // Log the request id and the message only: never request bodies (codes) or addresses.
  console.error(`[${c.get('requestId') ?? '-'}] ${cause.name}: ${cause.message}`);
  return errorResponse(c, 500, 'internal_error');
};

/**
 * 404, or 405 with `Allow` when the path exists under another method.
 * `routes` is read lazily so routes registered after this handler count.
 */
export function notFound(routes: () => { method: string; path: string }[]): NotFoundHandler {
  const patterns = new Map<string, { re: RegExp; methods: Set<string> }>();
  return (c) => {
    if (patterns.size === 0) {
      for (const r of routes()) {
        if (r.method === 'ALL' || r.path.includes('*')) continue;
        const entry = patterns.get(r.path) ?? {
          re: new RegExp(`^${r.path.replace(/:[^/{}]+(\{[^}]*\})?/g, '[^/]+')}/?$`),
          methods: new Set<string>(),
        };
        entry.methods.add(r.method);
        patterns.set(r.path, entry);
      }
    }
    const allowed = new Set<string>();
    for (const { re, methods } of patterns.values()) if (re.test(c.req.path)) for (const m of methods) allowed.add(m);
    if (allowed.size > 0) {
      if (allowed.has('GET')) allowed.add('HEAD');
      c.header('Allow', [...allowed].sort().join(', '));
      return errorResponse(c, 405, 'method_not_allowed');
    }
    return errorResponse(c, 404, 'not_found');
  };
}
