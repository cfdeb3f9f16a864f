// CSRF protection of observer routes. The session cookie is SameSite=Strict
// already; on top of that every state change must come from our own origin
// (the Origin header, which browsers set on every cross-site POST and page
// scripts cannot forge) and carry the session's CSRF token in X-CSRF-Token,
// which only our console, having read GET /observe/session, knows.
// (hono/csrf checks form posts only; our routes take JSON.)
import type { MiddlewareHandler } from 'hono';
import { constantTimeEqualText } from '../auth/bytes';
import { ApiError } from './errors';
import type { ObserverEnv } from './session';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'X-CSRF-Token';

export function csrfProtection(): MiddlewareHandler<ObserverEnv> {
  return async function csrf(c, next) {
    if (SAFE.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    // The request's own origin is ours (Host cannot be set by a cross-site page); PUBLIC_ORIGIN covers proxies.
    const allowed = [new URL(c.req.url).origin, c.env.PUBLIC_ORIGIN].filter(Boolean);
    if (!origin || !allowed.includes(origin)) throw new ApiError(403, 'csrf_failed');
    // Before login there is no session and so no token: the Origin check is the protection.
    const session = c.get('session');
    if (session) {
      const token = c.req.header(CSRF_HEADER) ?? '';
      if (!constantTimeEqualText(token, session.csrfToken)) throw new ApiError(403, 'csrf_failed');
    }
    await next();
  };
}
