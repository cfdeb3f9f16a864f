// Observer accounts, sessions and lock-outs, and the console's one write
// outside its own tables: the staff override of an instrument's window.
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, max, ne, not, notExists, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { InstrumentOverride, ObserverAccount } from '../../domain/schemas/observer-account';
import type { LOGIN_THROTTLE } from '../auth/session';
import type { Database } from '../env';
import type { Bucket } from '../guards/rate-limit';
import { type AuditInput, auditStatement, chained } from './audit';
import { bump, underLimit } from './rate-limits';
import { instrumentStates, loginAttempts, observerSessions, observers, observerUnits } from './schema';
import { changedBefore, oneRow, rowOf } from './sql';

/** Who is looking, for scopes: a lead sees and acts on everything, an observer on its units. */
export interface Viewer {
  id: string;
  lead: boolean;
  units: string[];
}

/** The account a login names, with its password hash. */
const loginAccount = (db: Database, username: string) =>
  db
    .select({
      id: observers.id,
      username: observers.username,
      displayName: observers.displayName,
      role: observers.role,
      passwordHash: observers.passwordHash,
      disabled: observers.disabled,
    })
    .from(observers)
    .where(eq(observers.username, username));

export interface LoginKeys {
  /** The name and the client's address (keyed: the table lists neither). */
  pair: string;
  /** The name alone. */
  name: string;
}

export interface Throttle {
  free: number;
  capSeconds: number;
}

/** `now` plus the wait after the attempt counted `n`: none within the free ones, then 1 s, 2 s, 4 s … up to the cap. */
const waitUntil = (n: SQL, t: Throttle, now: string) =>
  sql`CASE WHEN ${n} < ${t.free} THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', ${now}, '+' || min(1 << min(${n} - ${t.free}, 20), ${t.capSeconds}) || ' seconds') END`;

export interface LoginAdmission {
  /** Over the address limit (checked first). */
  requests: number;
  /** Whether this attempt may check a password (it has been counted). */
  admitted: boolean;
  /** If not: when the earliest next attempt may come. */
  retryAt: string | null;
  account: Awaited<ReturnType<typeof loginAccount>>[number] | null;
}

/**
 * Count a login attempt and decide whether it may check a password, in one
 * batch, before any hashing: the address's request counter; the (name,
 * address) count, only if neither it nor the name's count asks this attempt to
 * wait; the name's count, only if that one was counted; then the account. A
 * burst of attempts is ordered by the database, so exactly as many are
 * admitted as the counts allow, however many arrive at once.
 */
export async function admitLogin(
  db: Database,
  a: { keys: LoginKeys; username: string; now: Date; bucket: Bucket; throttle: typeof LOGIN_THROTTLE },
): Promise<LoginAdmission> {
  const at = a.now.toISOString();
  const since = new Date(a.now.getTime() - a.throttle.forgetMinutes * 60_000).toISOString();
  /** A row that asks the next attempt to wait (a count not yet forgotten whose wait has not passed). */
  const waiting = (key: string) =>
    and(
      eq(loginAttempts.key, key),
      // Without it, a NULL wait would make the whole condition NULL, and NOT NULL is no better.
      isNotNull(loginAttempts.lockedUntil),
      gt(loginAttempts.lockedUntil, at),
      gte(loginAttempts.updatedAt, since),
    ) as SQL;
  const fresh = sql`CASE WHEN ${loginAttempts.updatedAt} < ${since} THEN 1 ELSE ${loginAttempts.failures} + 1 END`;
  const count = (key: string, t: Throttle, guard: SQL | undefined) =>
    db
      .insert(loginAttempts)
      .select(
        db
          .select(rowOf(loginAttempts, { key, failures: 1, lockedUntil: waitUntil(sql`1`, t, at), updatedAt: at }))
          .from(oneRow())
          .where(guard),
      )
      .onConflictDoUpdate({
        target: loginAttempts.key,
        set: { failures: fresh, lockedUntil: waitUntil(fresh, t, at), updatedAt: at },
        setWhere: not(waiting(key)),
      })
      .returning({ key: loginAttempts.key });
  const [requests, pair, , [account], waits] = await db.batch([
    bump(db, a.bucket),
    count(
      a.keys.pair,
      a.throttle.pair,
      and(
        underLimit(db, a.bucket),
        notExists(db.select({ one: sql`1` }).from(loginAttempts).where(waiting(a.keys.name))),
      ),
    ),
    count(a.keys.name, a.throttle.name, changedBefore()),
    loginAccount(db, a.username),
    db
      .select({ until: max(loginAttempts.lockedUntil) })
      .from(loginAttempts)
      .where(
        and(
          inArray(loginAttempts.key, [a.keys.pair, a.keys.name]),
          gt(loginAttempts.lockedUntil, at),
          gte(loginAttempts.updatedAt, since),
        ),
      ),
  ]);
  const admitted = pair.length === 1;
  return {
    requests: requests[0]?.hits ?? 0,
    admitted,
    retryAt: admitted ? null : (waits[0]?.until ?? null),
    account: account ?? null,
  };
}

export interface NewSession {
  tokenHash: string;
  observer: string;
  csrfToken: string;
  now: string;
  expiresAt: string;
  /** The login counts this success clears. */
  attemptKeys: LoginKeys;
  audit: AuditInput;
}

/** One batch: the session, the account's last login, the cleared failure count, the audit entry. */
export async function startSession(db: Database, s: NewSession) {
  await chained(db, s.audit, (entry) =>
    db.batch([
      db.insert(observerSessions).values({
        tokenHash: s.tokenHash,
        observer: s.observer,
        csrfToken: s.csrfToken,
        createdAt: s.now,
        lastSeenAt: s.now,
        expiresAt: s.expiresAt,
      }),
      db.update(observers).set({ lastLoginAt: s.now }).where(eq(observers.id, s.observer)),
      db.delete(loginAttempts).where(inArray(loginAttempts.key, [s.attemptKeys.pair, s.attemptKeys.name])),
      auditStatement(db, entry),
    ]),
  );
}

export type SessionRow = Pick<
  typeof observerSessions.$inferSelect,
  'tokenHash' | 'csrfToken' | 'createdAt' | 'lastSeenAt' | 'expiresAt'
> & { observer: ObserverAccount };

/** The session and its observer (not disabled), with the observer's units. */
export async function loadSession(db: Database, tokenHash: string): Promise<SessionRow | null> {
  const [[s], units] = await db.batch([
    db
      .select({
        tokenHash: observerSessions.tokenHash,
        csrfToken: observerSessions.csrfToken,
        createdAt: observerSessions.createdAt,
        lastSeenAt: observerSessions.lastSeenAt,
        expiresAt: observerSessions.expiresAt,
        id: observers.id,
        username: observers.username,
        displayName: observers.displayName,
        role: observers.role,
      })
      .from(observerSessions)
      .innerJoin(observers, eq(observers.id, observerSessions.observer))
      .where(and(eq(observerSessions.tokenHash, tokenHash), eq(observers.disabled, false))),
    db
      .select({ unit: observerUnits.unit })
      .from(observerUnits)
      .innerJoin(observerSessions, eq(observerSessions.observer, observerUnits.observer))
      .where(eq(observerSessions.tokenHash, tokenHash))
      .orderBy(asc(observerUnits.unit)),
  ]);
  if (!s) return null;
  return {
    tokenHash: s.tokenHash,
    csrfToken: s.csrfToken,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    expiresAt: s.expiresAt,
    observer: {
      id: s.id,
      username: s.username,
      displayName: s.displayName,
      role: s.role,
      units: units.map((u) => u.unit),
    },
  };
}

export function touchSession(db: Database, tokenHash: string, now: string) {
  return db.update(observerSessions).set({ lastSeenAt: now }).where(eq(observerSessions.tokenHash, tokenHash)).run();
}

const deleteSession = (db: Database, tokenHash: string) =>
  db.delete(observerSessions).where(eq(observerSessions.tokenHash, tokenHash));

/** Expired sessions are dropped when met (and with the other prunes). */
export function dropSession(db: Database, tokenHash: string) {
  return deleteSession(db, tokenHash).run();
}

export async function endSession(db: Database, tokenHash: string, audit: AuditInput) {
  await chained(db, audit, (entry) =>
    db.batch([deleteSession(db, tokenHash), auditStatement(db, entry, { guarded: true })]),
  );
}

export async function listObservers(db: Database) {
  const [accounts, units] = await db.batch([
    db
      .select({ id: observers.id, displayName: observers.displayName, role: observers.role })
      .from(observers)
      .where(eq(observers.disabled, false))
      .orderBy(desc(observers.role), asc(observers.displayName)),
    db
      .select({ observer: observerUnits.observer, unit: observerUnits.unit })
      .from(observerUnits)
      .orderBy(asc(observerUnits.unit)),
  ]);
  const byObserver = new Map<string, string[]>();
  for (const u of units) byObserver.set(u.observer, [...(byObserver.get(u.observer) ?? []), u.unit]);
  return accounts.map((o) => ({ ...o, units: byObserver.get(o.id) ?? [] }));
}

/**
 * Pause, close or reopen an instrument (instrument_states; `open` removes the
 * override), audited in the same batch. Returns whether anything changed.
 */
export async function setInstrumentState(
  db: Database,
  instrument: string,
  state: InstrumentOverride,
  now: string,
  audit: AuditInput,
  /** A webhook to enqueue with the change (closing, when a receiver is configured). */
  webhook?: BatchItem<'sqlite'>,
): Promise<boolean> {
  const change =
    state === 'open'
      ? db.delete(instrumentStates).where(eq(instrumentStates.instrument, instrument))
      : db
          .insert(instrumentStates)
          .values({ instrument, state, changedAt: now })
          .onConflictDoUpdate({
            target: instrumentStates.instrument,
            set: { state, changedAt: now },
            setWhere: ne(instrumentStates.state, state),
          });
  const [result] = await chained(db, audit, (entry) =>
    db.batch([change, auditStatement(db, entry, { guarded: true }), ...(webhook ? [webhook] : [])]),
  );
  return result.meta.changes > 0;
}

/** An audit entry on its own (an action that changes nothing else, such as reading contact details). */
export async function recordAudit(db: Database, audit: AuditInput) {
  await chained(db, audit, async (entry) => {
    await auditStatement(db, entry);
  });
}
