// Rate limits kept in D1 (the Workers rate-limit binding does not exist on
// Pages in production): the limits and a client's bucket here, the counter
// statements in db/rate-limits.ts, each one inside the batch a route already
// sends. A client's key is an HMAC of the limit's name and the address with a
// secret and the day, so no address is stored, keys do not link across days,
// and the keys of two limits do not link to each other: the row a code's token
// issuance counts and the row a public answer from the same address counts
// share nothing (tests/node/wal-replay.test.ts). Ended windows are dropped by
// the table's own trigger (migration 0010).
import type { Context } from 'hono';
import ipaddr from 'ipaddr.js';
import { codePrefix, hmacHex } from '../../domain/code';
import { PUBLIC_DAILY_CAP } from '../../domain/limits';
import type { AppEnv } from '../env';

export interface Limit {
  name: string;
  max: number;
  windowSeconds: number;
  /** Shifts the windows' edges: a day in China starts at 16:00 UTC. */
  offsetSeconds?: number;
}

/**
 * Generous per-address limits: a session hall of deputies may share one
 * address. Failed code checks are what guessing produces, but a hall of
 * several hundred behind one NAT produces some too (a revoked slip, last
 * year's slip): the check character stops typos before they are sent, so 300
 * failures in ten minutes is most of a hall failing once. What stops a
 * guessing run is the limit per code prefix (from any address), Turnstile on
 * every check, and 60 random bits (docs/reliability.md has the figures).
 */
export const LIMITS = {
  // Code checks and token requests: a hall of several hundred opens the ballot within a minute or two
  // (two or three requests each); the WAF rule in front bounds raw volume.
  participate: { name: 'p', max: 1200, windowSeconds: 60 },
  // Token requests refused because the code already took its token (409): a few people open a ballot on a
  // second device; a script resubmitting a used code is cut off here rather than at the hall's request limit.
  duplicates: { name: 'd', max: 30, windowSeconds: 600 },
  // Answers to public instruments: their own key, never the one token issuance counts.
  publicResponse: { name: 'r', max: 120, windowSeconds: 60 },
  // Per instrument and address per day (China's day): a household votes, a script does not.
  publicDaily: { name: 'rd', max: PUBLIC_DAILY_CAP, windowSeconds: 86_400, offsetSeconds: 8 * 3600 },
  codeFailures: { name: 'f', max: 300, windowSeconds: 600 },
  // Per code prefix (codePrefix), counted from every address together.
  prefixFailures: { name: 'fx', max: 10, windowSeconds: 600 },
  // Forum and opinion box: anonymous writers get tight limits (Discourse's lesson); reports and lookups looser.
  forumPost: { name: 'fp', max: 10, windowSeconds: 600 },
  forumReport: { name: 'fr', max: 20, windowSeconds: 3600 },
  message: { name: 'm', max: 5, windowSeconds: 600 },
  track: { name: 't', max: 30, windowSeconds: 600 },
  // The writer's rating and reopening of an answered message.
  followUp: { name: 'mf', max: 10, windowSeconds: 600 },
  // Objections: a unit files few; every filing counts, right credential or wrong.
  objection: { name: 'o', max: 5, windowSeconds: 600 },
  // Observer logins per address, on top of the per-account lock-out.
  login: { name: 'l', max: 30, windowSeconds: 900 },
} as const satisfies Record<string, Limit>;

export interface Bucket {
  key: string;
  window: number;
  /** The window's end, epoch seconds: after it the row may be dropped. */
  expires: number;
  limit: Limit;
  /** Seconds until the window ends (for Retry-After). */
  retryAfter: number;
}

/**
 * The part of an address that names one client: an IPv4 address whole, an
 * IPv6 address by its /64 (one subscriber's prefix: a client can take any of
 * its 2^64 addresses, so counting them apart would count nothing).
 */
export function clientNetwork(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  return `${v6.parts
    .slice(0, 4)
    .map((p) => p.toString(16))
    .join(':')}::/64`;
}

/** The client's network, as the request names it (the address of the connecting client at Cloudflare). */
const clientAddress = (c: Context<AppEnv>) =>
  clientNetwork(c.req.header('cf-connecting-ip') ?? c.req.header('x-real-ip') ?? 'local');

/** One HMAC per request, limit and subject, however often a route asks for it. */
const keyCache = new WeakMap<Request, Map<string, Promise<string>>>();

/**
 * The counter's key of a subject (a client's network, a code prefix) under a
 * limit: an HMAC with the secret and the day the window starts on, so neither
 * the subject nor a link across days or limits is stored.
 */
function counterKey(c: Context<AppEnv>, limit: Limit, subject: string, windowStart: number): Promise<string> {
  let keys = keyCache.get(c.req.raw);
  if (!keys) {
    keys = new Map();
    keyCache.set(c.req.raw, keys);
  }
  const cacheKey = `${limit.name}|${subject}`;
  let k = keys.get(cacheKey);
  if (!k) {
    const day = new Date(windowStart * 1000).toISOString().slice(0, 10);
    const secret = c.env.RATE_LIMIT_SECRET ?? 'kaoping-dev-only';
    k = hmacHex(`${secret}:${day}`, cacheKey).then((h) => h.slice(0, 32));
    keys.set(cacheKey, k);
  }
  return k;
}

async function bucketOf(c: Context<AppEnv>, limit: Limit, subject: string): Promise<Bucket> {
  const seconds = Math.floor(c.get('now')().getTime() / 1000);
  // A window is named by its start, in epoch seconds, so old ones can be pruned whatever their size.
  const window = seconds - ((seconds + (limit.offsetSeconds ?? 0)) % limit.windowSeconds);
  const expires = window + limit.windowSeconds;
  const key = `${limit.name}:${await counterKey(c, limit, subject, window)}`;
  return { key, window, expires, limit, retryAfter: expires - seconds };
}

/** The client's window of a limit. */
export const clientBucket = (c: Context<AppEnv>, limit: Limit) => bucketOf(c, limit, clientAddress(c));

/** The client's window of a limit that also counts per instrument (the public daily cap). */
export const clientInstrumentBucket = (c: Context<AppEnv>, limit: Limit, instrument: string) =>
  bucketOf(c, limit, `${instrument}|${clientAddress(c)}`);

/** The window of a code prefix, whichever address the code comes from. */
export const prefixBucket = (c: Context<AppEnv>, code: string) => bucketOf(c, LIMITS.prefixFailures, codePrefix(code));
