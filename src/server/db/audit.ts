// The audit log of observer actions. An entry is written in the same D1 batch
// as the change it records, right after it, and only if that change happened
// (`changes()` of the statement before): a refused or stale action leaves no
// entry, and an entry never exists without its change. The table is
// append-only (triggers in migrations/0004_audit_append_only.sql).
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import type { AuditEntry } from '../../domain/schemas/audit';
import type { Database } from '../env';
import { auditLog, observers } from './schema';
import { changedBefore, oneRow, rowOf } from './sql';

type AuditRow = typeof auditLog.$inferInsert;

export type AuditInput = Pick<AuditRow, 'at' | 'action' | 'targetKind' | 'targetId' | 'requestId'> & {
  /** null: the CLI. */
  observer: string | null;
  /** The changed fields before and after (stored as JSON). */
  before?: unknown;
  after?: unknown;
};

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

const rowOfInput = (a: AuditInput) => ({
  at: a.at,
  observer: a.observer,
  action: a.action,
  targetKind: a.targetKind,
  targetId: a.targetId,
  before: json(a.before),
  after: json(a.after),
  requestId: a.requestId ?? null,
});

/** The INSERT of one entry; `guarded`: only if the statement just before it changed a row. */
export function auditStatement(db: Database, a: AuditInput, opts: { guarded?: boolean } = {}) {
  const row = rowOfInput(a);
  if (!opts.guarded) return db.insert(auditLog).values(row);
  return db.insert(auditLog).select(
    db
      .select(rowOf(auditLog, { id: sql`NULL`, ...row }))
      .from(oneRow())
      .where(changedBefore()),
  );
}

export const AUDIT_PAGE = 50;

const entries = (db: Database) =>
  db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      observerId: auditLog.observer,
      observerName: observers.displayName,
      action: auditLog.action,
      targetKind: auditLog.targetKind,
      targetId: auditLog.targetId,
      before: auditLog.before,
      after: auditLog.after,
    })
    .from(auditLog)
    .leftJoin(observers, eq(observers.id, auditLog.observer));

const toEntry = (r: Awaited<ReturnType<typeof entries>>[number]): AuditEntry => ({
  id: r.id,
  at: r.at,
  observer: r.observerId ? { id: r.observerId, displayName: r.observerName ?? r.observerId } : null,
  action: r.action,
  targetKind: r.targetKind,
  targetId: r.targetId,
  before: r.before,
  after: r.after,
});

/** Newest first; optionally the entries of one target (a post, a message). */
export async function listAudit(
  db: Database,
  opts: { page: number; target?: { kind: string; id: string } },
): Promise<{ entries: AuditEntry[]; total: number }> {
  const where = opts.target
    ? and(eq(auditLog.targetKind, opts.target.kind), eq(auditLog.targetId, opts.target.id))
    : undefined;
  const [rows, [total]] = await db.batch([
    entries(db)
      .where(where)
      .orderBy(desc(auditLog.id))
      .limit(AUDIT_PAGE)
      .offset((opts.page - 1) * AUDIT_PAGE),
    db.select({ n: count() }).from(auditLog).where(where),
  ]);
  return { entries: rows.map(toEntry), total: total?.n ?? 0 };
}

/** Every entry, oldest first (the export). */
export async function allAudit(db: Database): Promise<AuditEntry[]> {
  return (await entries(db).orderBy(asc(auditLog.id))).map(toEntry);
}
