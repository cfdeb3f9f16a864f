// The rate-limit counters; guards/rate-limit.ts names the limits and a
// client's bucket. Each statement goes inside the batch a route already
// sends, so counting costs no round trip of its own.
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../env';
import type { Bucket } from '../guards/rate-limit';
import { rateLimits } from './schema';
import { oneRow, rowOf } from './sql';

/** The hits of a window (a subquery: NULL before its first hit). */
const hitsOf = (db: Database, b: Bucket) =>
  db
    .select({ hits: rateLimits.hits })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, b.key), eq(rateLimits.window, b.window)));

/** The hits of a window, 0 before its first hit. */
export const hitsSoFar = (db: Database, b: Bucket) => sql<number>`coalesce((${hitsOf(db, b)}), 0)`;

/** The guard of a write: the client is within its limit, this request counted (bumped earlier in the batch). */
export const underLimit = (db: Database, b: Bucket) => sql`(${hitsOf(db, b)}) <= ${b.limit.max}`;

/** A bump's ON CONFLICT: one more hit in the window's row. */
export const onHit = { target: [rateLimits.key, rateLimits.window], set: { hits: sql`${rateLimits.hits} + 1` } };

/** Count one hit of a client's window; RETURNING the hits. */
export const bump = (db: Database, b: Bucket) =>
  db
    .insert(rateLimits)
    .values({ key: b.key, window: b.window, hits: 1, expires: b.expires })
    .onConflictDoUpdate(onHit)
    .returning({ hits: rateLimits.hits });

/** Count one hit only if a condition holds (in the same statement); RETURNING the hits, none if not counted. */
export const countIf = (db: Database, b: Bucket, condition: SQL) =>
  db
    .insert(rateLimits)
    .select(
      db
        .select(rowOf(rateLimits, { key: b.key, window: b.window, hits: 1, expires: b.expires }))
        .from(oneRow())
        .where(condition),
    )
    .onConflictDoUpdate(onHit)
    .returning({ hits: rateLimits.hits });

/** Read the hits of a window without counting. */
export const readHits = (db: Database, b: Bucket) => db.select({ hits: hitsSoFar(db, b).as('hits') }).from(oneRow());

/** The benchmark's bare one-row write: a row of window 0, dropped like any ended window. */
export const benchWrite = (db: Database, key: string) => db.insert(rateLimits).values({ key, window: 0, hits: 1 });
