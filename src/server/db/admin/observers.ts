// Observer accounts as `npm run observers` and the demo seed change them (see
// batch.ts for why admin/). Every change is one batch with its audit entry
// (written by the CLI: no observer, request id "cli"); taking a password or
// the account away also ends the account's sessions.
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { AuditAction } from '../../../domain/schemas/audit';
import type { Database } from '../../env';
import { auditLog, observerSessions, observers, observerUnits } from '../schema';
import { runBatch } from './batch';

export type AccountRow = typeof observers.$inferInsert;
export type UnitRow = Omit<typeof observerUnits.$inferInsert, 'observer'>;

const cliAudit = (db: Database, action: AuditAction, targetId: string, at: string, after: unknown) =>
  db.insert(auditLog).values({
    at,
    observer: null,
    action,
    targetKind: 'observer',
    targetId,
    after: JSON.stringify(after),
    requestId: 'cli',
  });

/** One INSERT a unit: an account has few, and a multi-row one could pass D1's 100 parameters. */
const insertUnits = (db: Database, observer: string, units: UnitRow[]) =>
  units.map((u) =>
    db
      .insert(observerUnits)
      .values({ observer, ...u })
      .onConflictDoUpdate({ target: [observerUnits.observer, observerUnits.unit], set: { team: u.team ?? null } }),
  );

const endSessions = (db: Database, observer: string) =>
  db.delete(observerSessions).where(eq(observerSessions.observer, observer));

export async function observerId(db: Database, username: string): Promise<string | undefined> {
  const [row] = await db.select({ id: observers.id }).from(observers).where(eq(observers.username, username));
  return row?.id;
}

/** The account, its audit entry and its units. */
export function createAccount(db: Database, a: AccountRow & { createdAt: string }, units: UnitRow[]) {
  return runBatch(db, [
    db.insert(observers).values(a),
    cliAudit(db, 'account.create', a.id, a.createdAt, { username: a.username, role: a.role }),
    ...insertUnits(db, a.id, units),
  ]);
}

/** Every account with its units (comma-separated), leads first. */
export function listAccounts(db: Database) {
  const units = db
    .select({ units: sql<string | null>`group_concat(${observerUnits.unit}, ',')` })
    .from(observerUnits)
    .where(eq(observerUnits.observer, observers.id));
  return db
    .select({
      username: observers.username,
      name: observers.displayName,
      role: observers.role,
      disabled: observers.disabled,
      lastLogin: observers.lastLoginAt,
      units: sql<string | null>`(${units})`,
    })
    .from(observers)
    .orderBy(desc(observers.role), asc(observers.username));
}

export function setPassword(db: Database, id: string, passwordHash: string, at: string, username: string) {
  return runBatch(db, [
    db.update(observers).set({ passwordHash }).where(eq(observers.id, id)),
    cliAudit(db, 'account.password', id, at, { username }),
    endSessions(db, id),
  ]);
}

export function setDisabled(db: Database, id: string, disabled: boolean, at: string, username: string) {
  return runBatch(db, [
    db.update(observers).set({ disabled }).where(eq(observers.id, id)),
    cliAudit(db, disabled ? 'account.disable' : 'account.enable', id, at, { username }),
    ...(disabled ? [endSessions(db, id)] : []),
  ]);
}

/** Replace the account's units (分片负责). */
export function setUnits(db: Database, id: string, units: UnitRow[], at: string) {
  return runBatch(db, [
    db.delete(observerUnits).where(eq(observerUnits.observer, id)),
    ...insertUnits(db, id, units),
    cliAudit(db, 'account.units', id, at, { units: units.map((u) => u.unit) }),
  ]);
}
