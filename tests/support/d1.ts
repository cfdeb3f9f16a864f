// SQL of the tests' own, against a local D1: setting up what the API never
// writes (a trigger that fails on purpose, a counter changed behind its back)
// and reading what it wrote. Values go in as bound parameters, never into the
// SQL text; the database is opened as the tools open it (scripts/lib/d1.ts).
import { withDb } from '../../scripts/lib/d1';
import type { Target } from '../../scripts/lib/wrangler';

type Param = string | number | null;

/** The rows of one query. */
export function sqlAll<T>(target: Target, sql: string, ...params: Param[]): Promise<T[]> {
  return withDb(
    target,
    async (_db, env) =>
      (
        await env.DB.prepare(sql)
          .bind(...params)
          .all<T>()
      ).results,
  );
}

/** Statements, each `[sql, ...params]`, in one batch. */
export async function sqlRun(target: Target, ...statements: [string, ...Param[]][]): Promise<void> {
  await withDb(target, (_db, env) => env.DB.batch(statements.map(([sql, ...p]) => env.DB.prepare(sql).bind(...p))));
}
