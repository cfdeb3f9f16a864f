// Queries of the command-line tools (scripts/, bench/) live in src/server/db/admin/,
// one file per concept like the request path's modules one level up, which
// they may reuse. This file: sending many rows within D1's limits.
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '../../env';

/** D1 refuses a statement with more bound parameters than this. */
export const MAX_PARAMS = 100;

/** Rows in slices small enough for one multi-row INSERT each (`params`: bound parameters a row). */
export function slices<T>(rows: T[], params: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMS / params));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Run statements as one batch (one transaction); an empty list runs nothing. */
export async function runBatch(db: Database, statements: BatchItem<'sqlite'>[]) {
  if (statements.length === 0) return [];
  return db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
}
