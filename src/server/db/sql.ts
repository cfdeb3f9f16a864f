// The few pieces of SQL the query builder cannot say, named once: the guard
// on the statement before in a batch (`changes()`), the one-row FROM of an
// INSERT … SELECT of bound values, and a list bound as one JSON parameter
// (json_each), which keeps a statement under D1's 100 bound parameters
// however long the list.
import { Column, getTableColumns, is, SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';

/** True in a statement of a batch only if the statement just before it changed a row. */
export const changedBefore = () => sql`changes() > 0`;

/** A FROM of one row, for a SELECT of bound values that a WHERE guards. */
export const oneRow = () => sql`(SELECT 1)`;

/** `column IN (values)`, the values bound as one JSON array. */
export const inList = (column: SQLiteColumn, values: string[]) =>
  sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;

type Source<T extends SQLiteTable> = {
  [K in keyof T['$inferInsert']]-?: T['$inferInsert'][K] | SQL | SQLiteColumn;
};

/**
 * The select list of an INSERT … SELECT into `table`: every column in the
 * table's order (drizzle requires both), each a value (bound with the
 * column's encoding), a column of the rows selected from, or SQL.
 */
export function rowOf<T extends SQLiteTable>(table: T, row: Source<T>) {
  const fields: Record<string, SQL | SQLiteColumn> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const v = (row as Record<string, unknown>)[key];
    fields[key] = is(v, Column) || is(v, SQL) ? (v as SQL | SQLiteColumn) : sql`${sql.param(v, column)}`;
  }
  return fields as { [K in keyof T['$inferInsert']]-?: SQL | SQLiteColumn };
}
