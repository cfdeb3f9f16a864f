// The rectification ledger (整改台账): read by the public and the console,
// written by lead observers, every change in the same batch as its audit entry.
import { and, asc, eq, exists, sql } from 'drizzle-orm';
import type { Database } from '../env';
import { type AuditInput, auditStatement, chained } from './audit';
import { rectificationItems as items, objections } from './schema';
import { oneRow, rowOf } from './sql';

export type LedgerRow = typeof items.$inferSelect;

/** Items of an appraisal (or every appraisal), of a unit when given, in ledger order (unit, deadline). */
export function ledgerItems(db: Database, q: { appraisal?: string; unit?: string } = {}) {
  return db
    .select()
    .from(items)
    .where(and(q.appraisal ? eq(items.appraisal, q.appraisal) : undefined, q.unit ? eq(items.unit, q.unit) : undefined))
    .orderBy(asc(items.appraisal), asc(items.unit), asc(items.deadline), asc(items.createdAt), asc(items.id));
}

export async function ledgerItem(db: Database, id: string) {
  const [row] = await db.select().from(items).where(eq(items.id, id));
  return row ?? null;
}

/** An objection of the same appraisal and unit, if the item cites one. */
const citable = (db: Database, r: Pick<LedgerRow, 'appraisal' | 'unit' | 'objection'>) =>
  r.objection
    ? exists(
        db
          .select({ one: sql`1` })
          .from(objections)
          .where(
            and(eq(objections.id, r.objection), eq(objections.appraisal, r.appraisal), eq(objections.unit, r.unit)),
          ),
      )
    : undefined;

/** The new item and its audit entry; refused (nothing stored) when it cites an objection of another unit. */
export async function addLedgerItem(db: Database, row: LedgerRow, audit: AuditInput): Promise<boolean> {
  const [result] = await chained(db, audit, (entry) =>
    db.batch([
      db.insert(items).select(
        db
          .select(rowOf(items, row))
          .from(oneRow())
          .where(citable(db, row) ?? sql`1`),
      ),
      auditStatement(db, entry, { guarded: true }),
    ]),
  );
  return result.meta.changes > 0;
}

/** A change to the item as it was read (its version), and its audit entry. */
export async function changeLedgerItem(
  db: Database,
  before: LedgerRow,
  set: Partial<LedgerRow>,
  audit: AuditInput,
): Promise<boolean> {
  const after = { ...before, ...set };
  const [result] = await chained(db, audit, (entry) =>
    db.batch([
      db
        .update(items)
        .set({ ...set, updatedAt: audit.at, version: sql`${items.version} + 1` })
        .where(and(eq(items.id, before.id), eq(items.version, before.version), citable(db, after))),
      auditStatement(db, entry, { guarded: true }),
    ]),
  );
  return result.meta.changes > 0;
}
