// Logging in and out of the observers' console, and reading the session.
import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import { hmacHex } from '../../../domain/code';
import { loginRequest, sessionBody } from '../../../domain/schemas/observer-account';
import { randomToken, sha256Hex } from '../../auth/bytes';
import { DUMMY_HASH, verifyPassword } from '../../auth/password';
import {
  ABSOLUTE_HOURS,
  COOKIE_PREFIX,
  LOGIN_THROTTLE,
  minutesLater,
  SESSION_COOKIE,
  sessionEnds,
} from '../../auth/session';
import { admitLogin, endSession, type LoginKeys, loadSession, startSession } from '../../db/observers';
import { clientBucket, clientNetwork, LIMITS } from '../../guards/rate-limit';
import { ApiError } from '../../middleware/errors';
import { body, errorResponses, json, tooMany } from '../_helpers';
import { asAppContext, auditOf, type ObserverContext, observerApp } from './shared';

export const authRoutes = observerApp();

const locked = (until: string, now: Date) =>
  new ApiError(429, 'login_locked', undefined, {
    'Retry-After': String(Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 1000))),
  });

/**
 * The counters of a login: the name with the client's address, and the name
 * alone. Keyed (HMAC with the rate-limit secret; the pair with the day too, as
 * rate limits are), so the table lists neither the names people tried nor
 * their addresses.
 */
async function loginKeys(c: ObserverContext, username: string): Promise<LoginKeys> {
  const secret = c.env.RATE_LIMIT_SECRET ?? 'kaoping-dev-only';
  const day = c.get('now')().toISOString().slice(0, 10);
  const address = clientNetwork(c.req.header('cf-connecting-ip') ?? c.req.header('x-real-ip') ?? 'local');
  return {
    pair: await hmacHex(`login:${secret}:${day}`, `${username}|${address}`),
    name: await hmacHex(`login:${secret}`, username),
  };
}

function sessionJson(c: ObserverContext) {
  const s = c.get('session');
  return { observer: s.observer, csrfToken: s.csrfToken, ...sessionEnds(s) };
}

authRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/observe/login',
    tags: ['observe'],
    summary: '观察员登录 (输错 3 次后, 同一地址的下一次须等待, 等待逐次加长; 不会锁定账号)',
    request: { body: body(loginRequest) },
    responses: {
      200: json(sessionBody, 'Logged in; sets the session cookie'),
      ...errorResponses(400, 401, 403, 413, 415, 429),
    },
  }),
  async (c) => {
    const { password } = c.req.valid('json');
    const username = c.req.valid('json').username.trim().toLowerCase();
    const now = c.get('now')();
    const bucket = await clientBucket(asAppContext(c), LIMITS.login);
    const keys = await loginKeys(c, username);
    // Counted and decided before the slow hash: a burst of guesses cannot all be checked before any counts.
    const admission = await admitLogin(c.get('db'), { keys, username, now, bucket, throttle: LOGIN_THROTTLE });
    if (admission.requests > bucket.limit.max) throw tooMany(bucket);
    if (!admission.admitted) throw locked(admission.retryAt ?? new Date(now.getTime() + 1000).toISOString(), now);
    const account = admission.account;
    // Unknown names cost one hash too: the answer's timing says nothing about which names exist.
    const matches = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || account.disabled || !matches) throw new ApiError(401, 'login_failed');
    const token = randomToken();
    const csrfToken = randomToken();
    const expiresAt = minutesLater(now, ABSOLUTE_HOURS * 60).toISOString();
    const tokenHash = await sha256Hex(token);
    await startSession(c.get('db'), {
      tokenHash,
      observer: account.id,
      csrfToken,
      now: now.toISOString(),
      expiresAt,
      attemptKeys: keys,
      audit: {
        at: now.toISOString(),
        observer: account.id,
        action: 'session.login',
        targetKind: 'observer',
        targetId: account.id,
        requestId: c.get('requestId') ?? null,
      },
    });
    setCookie(c, SESSION_COOKIE, token, {
      prefix: COOKIE_PREFIX,
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: ABSOLUTE_HOURS * 3600,
    });
    const s = await loadSession(c.get('db'), tokenHash);
    if (!s) throw new ApiError(503, 'service_unavailable');
    c.set('session', s);
    return c.json(sessionJson(c), 200);
  },
);

authRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/observe/session',
    tags: ['observe'],
    summary: '当前会话: 观察员、CSRF 令牌与到期时间',
    responses: { 200: json(sessionBody, 'The session'), ...errorResponses(401) },
  }),
  (c) => c.json(sessionJson(c), 200),
);

authRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/observe/logout',
    tags: ['observe'],
    summary: '退出登录',
    request: { body: body(z.object({})) },
    responses: { 200: json(z.object({ loggedOut: z.literal(true) }), 'Logged out'), ...errorResponses(401, 403) },
  }),
  async (c) => {
    const s = c.get('session');
    await endSession(c.get('db'), s.tokenHash, auditOf(c, 'session.logout', { kind: 'observer', id: s.observer.id }));
    deleteCookie(c, SESSION_COOKIE, { prefix: COOKIE_PREFIX, path: '/', secure: true });
    return c.json({ loggedOut: true as const }, 200);
  },
);
