// Observer accounts, sessions and lock-outs, and the console's one write
// outside its own tables: the staff override of an instrument's window.
import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { InstrumentOverride, ObserverAccount } from '../../domain/schemas/observer-account';
import type { Database } from '../env';
import type { Bucket } from '../guards/rate-limit';
import { type AuditInput, auditStatement } from './audit';
import { bump } from './rate-limits';
import { instrumentStates, loginAttempts, observerSessions, observers, observerUnits } from './schema';

/** Who is looking, for scopes: a lead sees and acts on everything, an observer on its units. */
export interface Viewer {
  id: string;
  lead: boolean;
  units: string[];
}

export function findLogin(db: Database, username: string) {
  return db
    .select({
      id: observers.id,
      username: observers.username,
      displayName: observers.displayName,
      role: observers.role,
      passwordHash: observers.passwordHash,
      disabled: observers.disabled,
    })
    .from(observers)
    .where(eq(observers.username, username))
    .get();
}

export interface Lockout {
  /** Failures that lock an account name. */
  max: number;
  /** How long a lock lasts, and how long failures are remembered. */
  minutes: number;
}

/** Whether this name is locked now (until when). */
export async function lockedUntil(db: Database, key: string, now: Date): Promise<string | null> {
  const row = await db
    .select({ lockedUntil: loginAttempts.lockedUntil })
    .from(loginAttempts)
    .where(eq(loginAttempts.key, key))
    .get();
  return row?.lockedUntil && row.lockedUntil > now.toISOString() ? row.lockedUntil : null;
}

/**
 * Count a failed login for a name, in one statement: failures older than the
 * lock period are forgotten; reaching the maximum locks the name and starts
 * the count again. Returns the lock's end if this failure locked it.
 */
export async function countLoginFailure(db: Database, key: string, now: Date, l: Lockout): Promise<string | null> {
  const since = new Date(now.getTime() - l.minutes * 60_000).toISOString();
  const until = new Date(now.getTime() + l.minutes * 60_000).toISOString();
  const at = now.toISOString();
  const fresh = sql`CASE WHEN ${loginAttempts.updatedAt} < ${since} THEN 1 ELSE ${loginAttempts.failures} + 1 END`;
  const row = await db
    .insert(loginAttempts)
    .values({ key, failures: 1, lockedUntil: l.max <= 1 ? until : null, updatedAt: at })
    .onConflictDoUpdate({
      target: loginAttempts.key,
      set: {
        lockedUntil: sql`CASE WHEN ${fresh} >= ${l.max} THEN ${until} ELSE ${loginAttempts.lockedUntil} END`,
        failures: sql`CASE WHEN ${fresh} >= ${l.max} THEN 0 ELSE ${fresh} END`,
        updatedAt: at,
      },
    })
    .returning({ lockedUntil: loginAttempts.lockedUntil })
    .get();
  return row?.lockedUntil === until ? until : null;
}

export interface NewSession {
  tokenHash: string;
  observer: string;
  csrfToken: string;
  now: string;
  expiresAt: string;
  attemptKey: string;
  audit: AuditInput;
}

/** One batch: the session, the account's last login, the cleared failure count, the audit entry. */
export async function startSession(db: Database, s: NewSession) {
  await db.batch([
    db.insert(observerSessions).values({
      tokenHash: s.tokenHash,
      observer: s.observer,
      csrfToken: s.csrfToken,
      createdAt: s.now,
      lastSeenAt: s.now,
      expiresAt: s.expiresAt,
    }),
    db.update(observers).set({ lastLoginAt: s.now }).where(eq(observers.id, s.observer)),
    db.delete(loginAttempts).where(eq(loginAttempts.key, s.attemptKey)),
    auditStatement(db, s.audit),
  ]);
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
  await db.batch([deleteSession(db, tokenHash), auditStatement(db, audit, { guarded: true })]);
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
  const [result] = await db.batch([
    change,
    auditStatement(db, audit, { guarded: true }),
    ...(webhook ? [webhook] : []),
  ]);
  return result.meta.changes > 0;
}

/** Count a login request against the client's address limit; the hits of this window. */
export async function countLoginRequest(db: Database, bucket: Bucket): Promise<number> {
  const row = await bump(db, bucket).get();
  return row?.hits ?? 0;
}

/** An audit entry on its own (an action that changes nothing else, such as reading contact details). */
export async function recordAudit(db: Database, audit: AuditInput) {
  await auditStatement(db, audit);
}
