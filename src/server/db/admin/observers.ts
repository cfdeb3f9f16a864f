// Observer accounts as `npm run observers` and the demo seed change them (see
// batch.ts for why admin/). Every change is one batch with its audit entry
// (written by the CLI: no observer, request id "cli"); taking a password or
// the account away also ends the account's sessions.
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { AuditAction } from '../../../domain/schemas/audit';
import type { Database } from '../../env';
import { auditStatement, chained } from '../audit';
import { observerSessions, observers, observerUnits } from '../schema';
import { runBatch } from './batch';

export type AccountRow = typeof observers.$inferInsert;
export type UnitRow = Omit<typeof observerUnits.$inferInsert, 'observer'>;

/** A change of an account with its audit entry, in one batch (chained onto the log's head). */
const withCliAudit = (
  db: Database,
  entry: { action: AuditAction; targetId: string; at: string; after: unknown },
  statements: (audit: BatchItem<'sqlite'>) => BatchItem<'sqlite'>[],
) =>
  chained(db, { ...entry, observer: null, targetKind: 'observer', requestId: 'cli' }, (sealed) =>
    runBatch(db, statements(auditStatement(db, sealed))),
  );

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
  const after = { username: a.username, role: a.role };
  return withCliAudit(db, { action: 'account.create', targetId: a.id, at: a.createdAt, after }, (audit) => [
    db.insert(observers).values(a),
    audit,
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
  return withCliAudit(db, { action: 'account.password', targetId: id, at, after: { username } }, (audit) => [
    db.update(observers).set({ passwordHash }).where(eq(observers.id, id)),
    audit,
    endSessions(db, id),
  ]);
}

export function setDisabled(db: Database, id: string, disabled: boolean, at: string, username: string) {
  const action = disabled ? 'account.disable' : 'account.enable';
  return withCliAudit(db, { action, targetId: id, at, after: { username } }, (audit) => [
    db.update(observers).set({ disabled }).where(eq(observers.id, id)),
    audit,
    ...(disabled ? [endSessions(db, id)] : []),
  ]);
}

/** Replace the account's units (分片负责). */
export function setUnits(db: Database, id: string, units: UnitRow[], at: string) {
  const after = { units: units.map((u) => u.unit) };
  return withCliAudit(db, { action: 'account.units', targetId: id, at, after }, (audit) => [
    db.delete(observerUnits).where(eq(observerUnits.observer, id)),
    ...insertUnits(db, id, units),
    audit,
  ]);
}
