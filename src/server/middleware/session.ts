// Observer routes need a live session: 401 otherwise. The session and its
// observer are put on the context for the routes (and the CSRF check).
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { ObserverAccount } from '../../domain/schemas/observer-account';
import { sha256Hex } from '../auth/bytes';
import { COOKIE_PREFIX, isExpired, SESSION_COOKIE, TOUCH_SECONDS } from '../auth/session';
import { dropSession, loadSession, type SessionRow, touchSession } from '../db/observers';
import type { AppEnv } from '../env';
import { ApiError } from './errors';

export interface ObserverEnv {
  Bindings: AppEnv['Bindings'];
  Variables: AppEnv['Variables'] & { session: SessionRow; observer: ObserverAccount };
}

export const readSessionToken = (c: Context) => getCookie(c, SESSION_COOKIE, COOKIE_PREFIX);

/** Paths under the guarded prefix that need no session (logging in). */
export function requireSession(opts: { except?: (path: string) => boolean } = {}): MiddlewareHandler<ObserverEnv> {
  return async function session(c, next) {
    if (opts.except?.(c.req.path)) return next();
    const token = readSessionToken(c);
    if (!token || token.length > 100) throw new ApiError(401, 'session_required');
    const tokenHash = await sha256Hex(token);
    const s = await loadSession(c.get('db'), tokenHash);
    const now = c.get('now')();
    if (!s) throw new ApiError(401, 'session_required');
    if (isExpired(s, now)) {
      await dropSession(c.get('db'), tokenHash);
      throw new ApiError(401, 'session_required');
    }
    if (now.getTime() - new Date(s.lastSeenAt).getTime() >= TOUCH_SECONDS * 1000) {
      s.lastSeenAt = now.toISOString();
      await touchSession(c.get('db'), tokenHash, s.lastSeenAt);
    }
    c.set('session', s);
    c.set('observer', s.observer);
    await next();
  };
}

/** 403 unless the observer has this role (a lead has every role). */
export function requireRole(c: Context<ObserverEnv>, role: 'lead') {
  if (c.get('observer').role !== role) throw new ApiError(403, 'forbidden');
}
