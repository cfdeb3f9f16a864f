// Observer accounts, sessions and lock-outs, and the console's one write
// outside its own tables: the staff override of an instrument's window.
import type { ObserverAccount, ObserverRole } from '../../domain/schemas/observer-account';
import { type Bucket, bumpStatement } from '../guards/rate-limit';
import { type AuditInput, auditStatement, named } from './audit';

/** Who is looking, for scopes: a lead sees and acts on everything, an observer on its units. */
export interface Viewer {
  id: string;
  lead: boolean;
  units: string[];
}

export interface LoginRow {
  id: string;
  username: string;
  displayName: string;
  role: ObserverRole;
  passwordHash: string;
  disabled: number;
}

export function findLogin(db: D1Database, username: string) {
  return db
    .prepare(
      'SELECT id, username, display_name AS displayName, role, password_hash AS passwordHash, disabled FROM observers WHERE username = ?1',
    )
    .bind(username)
    .first<LoginRow>();
}

export interface Lockout {
  /** Failures that lock an account name. */
  max: number;
  /** How long a lock lasts, and how long failures are remembered. */
  minutes: number;
}

/** Whether this name is locked now (until when). */
export async function lockedUntil(db: D1Database, key: string, now: Date): Promise<string | null> {
  const row = await db
    .prepare('SELECT locked_until AS lockedUntil FROM login_attempts WHERE key = ?1')
    .bind(key)
    .first<{ lockedUntil: string | null }>();
  return row?.lockedUntil && row.lockedUntil > now.toISOString() ? row.lockedUntil : null;
}

/**
 * Count a failed login for a name, in one statement: failures older than the
 * lock period are forgotten; reaching the maximum locks the name and starts
 * the count again. Returns the lock's end if this failure locked it.
 */
export async function countLoginFailure(db: D1Database, key: string, now: Date, l: Lockout): Promise<string | null> {
  const since = new Date(now.getTime() - l.minutes * 60_000).toISOString();
  const until = new Date(now.getTime() + l.minutes * 60_000).toISOString();
  const fresh = `CASE WHEN updated_at < ?since THEN 1 ELSE failures + 1 END`;
  const row = await named(
    db,
    `INSERT INTO login_attempts (key, failures, locked_until, updated_at) VALUES (?key, 1, CASE WHEN ?max <= 1 THEN ?until END, ?now)
     ON CONFLICT (key) DO UPDATE SET
       locked_until = CASE WHEN ${fresh} >= ?max THEN ?until ELSE locked_until END,
       failures = CASE WHEN ${fresh} >= ?max THEN 0 ELSE ${fresh} END,
       updated_at = ?now
     RETURNING locked_until AS lockedUntil`,
    { key, since, until, max: l.max, now: now.toISOString() },
  ).first<{ lockedUntil: string | null }>();
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
export async function startSession(db: D1Database, s: NewSession) {
  await db.batch([
    db
      .prepare(
        'INSERT INTO observer_sessions (token_hash, observer, csrf_token, created_at, last_seen_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?4, ?5)',
      )
      .bind(s.tokenHash, s.observer, s.csrfToken, s.now, s.expiresAt),
    db.prepare('UPDATE observers SET last_login_at = ?2 WHERE id = ?1').bind(s.observer, s.now),
    db.prepare('DELETE FROM login_attempts WHERE key = ?1').bind(s.attemptKey),
    auditStatement(db, s.audit),
  ]);
}

export interface SessionRow {
  tokenHash: string;
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  observer: ObserverAccount;
}

/** The session and its observer (not disabled), with the observer's units. */
export async function loadSession(db: D1Database, tokenHash: string): Promise<SessionRow | null> {
  const [session, units] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `SELECT s.token_hash AS tokenHash, s.csrf_token AS csrfToken, s.created_at AS createdAt,
           s.last_seen_at AS lastSeenAt, s.expires_at AS expiresAt,
           o.id, o.username, o.display_name AS displayName, o.role
         FROM observer_sessions s JOIN observers o ON o.id = s.observer
         WHERE s.token_hash = ?1 AND o.disabled = 0`,
      )
      .bind(tokenHash),
    db
      .prepare(
        'SELECT u.unit FROM observer_units u JOIN observer_sessions s ON s.observer = u.observer WHERE s.token_hash = ?1 ORDER BY u.unit',
      )
      .bind(tokenHash),
  ]);
  const r = session?.results[0] as Record<string, string> | undefined;
  if (!r) return null;
  return {
    tokenHash: r.tokenHash as string,
    csrfToken: r.csrfToken as string,
    createdAt: r.createdAt as string,
    lastSeenAt: r.lastSeenAt as string,
    expiresAt: r.expiresAt as string,
    observer: {
      id: r.id as string,
      username: r.username as string,
      displayName: r.displayName as string,
      role: r.role as ObserverRole,
      units: (units?.results ?? []).map((u) => String(u.unit)),
    },
  };
}

export function touchSession(db: D1Database, tokenHash: string, now: string) {
  return db.prepare('UPDATE observer_sessions SET last_seen_at = ?2 WHERE token_hash = ?1').bind(tokenHash, now).run();
}

/** Expired sessions are dropped when met (and with the other prunes). */
export function dropSession(db: D1Database, tokenHash: string) {
  return db.prepare('DELETE FROM observer_sessions WHERE token_hash = ?1').bind(tokenHash).run();
}

export async function endSession(db: D1Database, tokenHash: string, audit: AuditInput) {
  await db.batch([
    db.prepare('DELETE FROM observer_sessions WHERE token_hash = ?1').bind(tokenHash),
    auditStatement(db, audit, { guarded: true }),
  ]);
}

export async function listObservers(db: D1Database) {
  const [obs, units] = await db.batch<Record<string, string>>([
    db.prepare(
      'SELECT id, display_name AS displayName, role FROM observers WHERE disabled = 0 ORDER BY role DESC, display_name',
    ),
    db.prepare('SELECT observer, unit FROM observer_units ORDER BY unit'),
  ]);
  const byObserver = new Map<string, string[]>();
  for (const u of units?.results ?? [])
    byObserver.set(u.observer as string, [...(byObserver.get(u.observer as string) ?? []), u.unit as string]);
  return (obs?.results ?? []).map((o) => ({
    id: o.id as string,
    displayName: o.displayName as string,
    role: o.role as ObserverRole,
    units: byObserver.get(o.id as string) ?? [],
  }));
}

export type InstrumentOverride = 'open' | 'paused' | 'closed';

/**
 * Pause, close or reopen an instrument (instrument_states; `open` removes the
 * override), audited in the same batch. Returns whether anything changed.
 */
export async function setInstrumentState(
  db: D1Database,
  instrument: string,
  state: InstrumentOverride,
  now: string,
  audit: AuditInput,
  /** A webhook to enqueue with the change (closing, when a receiver is configured). */
  webhook?: D1PreparedStatement,
): Promise<boolean> {
  const change =
    state === 'open'
      ? db.prepare('DELETE FROM instrument_states WHERE instrument = ?1').bind(instrument)
      : db
          .prepare(
            `INSERT INTO instrument_states (instrument, state, changed_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (instrument) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at
             WHERE instrument_states.state <> excluded.state`,
          )
          .bind(instrument, state, now);
  const [result] = await db.batch([
    change,
    auditStatement(db, audit, { guarded: true }),
    ...(webhook ? [webhook] : []),
  ]);
  return (result?.meta.changes ?? 0) > 0;
}

/** Count a login request against the client's address limit; the hits of this window. */
export async function countLoginRequest(db: D1Database, bucket: Bucket): Promise<number> {
  const row = await bumpStatement(db, bucket).first<{ hits: number }>();
  return row?.hits ?? 0;
}

/** An audit entry on its own (an action that changes nothing else, such as reading contact details). */
export async function recordAudit(db: D1Database, audit: AuditInput) {
  await auditStatement(db, audit).run();
}
