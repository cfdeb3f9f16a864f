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
/**
 * Failed logins slow a name down instead of locking it, so nobody who merely
 * knows a login name can shut its owner out. Each attempt is counted before
 * the password is hashed; a success clears the counts. Past `free` attempts
 * the next one must wait 1 s, then 2, 4, … up to `capSeconds`:
 * - per name and address: an outsider's wrong tries slow down only his own
 *   address, never the observer's;
 * - per name from every address: bounds a guessing run spread over many
 *   addresses, late (after 50) and short (at most a minute), so it can only
 *   ever delay the owner, never lock him out.
 * Counts are forgotten `forgetMinutes` after the last attempt.
 */
export const LOGIN_THROTTLE = {
  pair: { free: 3, capSeconds: 900 },
  name: { free: 50, capSeconds: 60 },
  forgetMinutes: 60,
} as const;

export const minutesLater = (t: Date, minutes: number) => new Date(t.getTime() + minutes * 60_000);

export function sessionEnds(s: { lastSeenAt: string; expiresAt: string }) {
  const idle = minutesLater(new Date(s.lastSeenAt), IDLE_MINUTES).toISOString();
  // ISO instants in UTC sort as text: the earlier of the two ends.
  const [first] = [idle, s.expiresAt].sort();
  return { idleExpiresAt: first as string, expiresAt: s.expiresAt };
}

export const isExpired = (s: { lastSeenAt: string; expiresAt: string }, now: Date) =>
  now.toISOString() >= sessionEnds(s).idleExpiresAt;
