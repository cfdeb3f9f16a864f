// Observer sessions: the policy in one place. The cookie holds a random
// 32-byte token; D1 holds its SHA-256. A session ends after 30 idle minutes or
// 8 hours, whichever comes first, or at logout.
export const SESSION_COOKIE = 'kaoping_session';
/** hono/cookie's `host` prefix: `__Host-kaoping_session`, which browsers accept only with Secure, Path=/ and no Domain. */
export const COOKIE_PREFIX = 'host' as const;
export const IDLE_MINUTES = 30;
export const ABSOLUTE_HOURS = 8;
/** last_seen_at is written at most this often, so reading the console does not write on every request. */
export const TOUCH_SECONDS = 60;
/** Per account name: 5 failures lock it for 15 minutes (failures are forgotten after 15 minutes too). */
export const LOCKOUT = { max: 5, minutes: 15 } as const;

export const minutesLater = (t: Date, minutes: number) => new Date(t.getTime() + minutes * 60_000);

export function sessionEnds(s: { lastSeenAt: string; expiresAt: string }) {
  const idle = minutesLater(new Date(s.lastSeenAt), IDLE_MINUTES).toISOString();
  // ISO instants in UTC sort as text: the earlier of the two ends.
  const [first] = [idle, s.expiresAt].sort();
  return { idleExpiresAt: first as string, expiresAt: s.expiresAt };
}

export const isExpired = (s: { lastSeenAt: string; expiresAt: string }, now: Date) =>
  now.toISOString() >= sessionEnds(s).idleExpiresAt;
