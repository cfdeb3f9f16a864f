import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { RuntimeCatalog } from '../domain/catalog';
import type * as schema from './db/schema';

/** Bindings and secrets (wrangler.toml [vars], `.dev.vars` locally, `wrangler pages secret` in production). */
export interface Bindings {
  DB: D1Database;
  ENVIRONMENT?: string;
  PUBLIC_ORIGIN?: string;
  /** "live" (siteverify) or "test" (Cloudflare's test keys emulated offline; refused in production). */
  TURNSTILE_MODE?: string;
  TURNSTILE_SITE_KEY?: string;
  TURNSTILE_SECRET_KEY?: string;
  /** Secret pepper of the code HMAC. */
  CODE_PEPPER?: string;
  /** Secret from which the key sealing the token signing keys is derived (npm run token-keys). */
  TOKEN_KEY_SECRET?: string;
  /** Secret of the rate-limit client keys. */
  RATE_LIMIT_SECRET?: string;
  /** AES-256-GCM key (base64) of opinion-box contact details. */
  CONTACT_KEY?: string;
  /** Master secret from which feed keys' secrets are derived. */
  FEED_KEY_SECRET?: string;
  /** The internal system's webhook endpoint (e.g. "instrument closed"); unset: no pushes. */
  WEBHOOK_URL?: string;
  /** Secret of the webhook signatures (same scheme as the feed, key id "kaoping-webhook"). */
  WEBHOOK_SECRET?: string;
  /** "true" enables the benchmark's bare write route (never in production). */
  BENCH_ROUTES?: string;
  /** Pins the clock outside production (e2e tests and demos). */
  KAOPING_NOW?: string;
  /** Seconds the turnout answer stays in the edge cache (default 60; 1..600). The e2e run shortens it. */
  TURNOUT_CACHE_SECONDS?: string;
  /** The static site (Pages Functions): the live pages fill in the built pages it serves. */
  ASSETS?: Fetcher;
}

export type Database = DrizzleD1Database<typeof schema>;

export interface Variables {
  requestId: string;
  db: Database;
  catalog: RuntimeCatalog;
  now: () => Date;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}
