// The audit log of observer actions. An entry is written in the same D1 batch
// as the change it records, right after it, and only if that change happened
// (`changes()` of the statement before): a refused or stale action leaves no
// entry, and an entry never exists without its change. The table is
// append-only (triggers in migrations/0004_audit_append_only.sql).
import type { AuditAction, AuditEntry } from '../../domain/schemas/audit';

/** D1 binds numbered parameters only; name them here for the reader and number them once. */
function prepare(db: D1Database, sql: string, params: Record<string, string | number | null>) {
  const names = Object.keys(params);
  const text = sql.replace(/\?([a-z]+)/g, (_m, n: string) => {
    const i = names.indexOf(n);
    if (i < 0) throw new Error(`unbound parameter ${n}`);
    return `?${i + 1}`;
  });
  return db.prepare(text).bind(...names.map((n) => params[n] ?? null));
}

/**
 * Named parameters, nulls allowed (SQL NULL). Parameters the statement does
 * not use are left out, so composed queries can share one set.
 */
export function named(db: D1Database, sql: string, params: Record<string, string | number | null>) {
  const used = Object.entries(params).filter(([k]) => new RegExp(`\\?${k}(?![a-z])`).test(sql));
  return prepare(db, sql, Object.fromEntries(used) as Record<string, string | number>);
}

export interface AuditInput {
  at: string;
  /** null: the CLI. */
  observer: string | null;
  action: AuditAction;
  targetKind: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/** The INSERT of one entry; `guarded`: only if the statement just before it changed a row. */
export function auditStatement(db: D1Database, a: AuditInput, opts: { guarded?: boolean } = {}) {
  const select = `SELECT ?at, ?obs, ?action, ?kind, ?target, ?before, ?after, ?rid`;
  return named(
    db,
    `INSERT INTO audit_log (at, observer, action, target_kind, target_id, before, after, request_id)
     ${opts.guarded ? `${select} WHERE changes() > 0` : select}`,
    {
      at: a.at,
      obs: a.observer,
      action: a.action,
      kind: a.targetKind,
      target: a.targetId,
      before: json(a.before),
      after: json(a.after),
      rid: a.requestId ?? null,
    },
  );
}

export const AUDIT_PAGE = 50;

type AuditRow = Omit<AuditEntry, 'observer'> & { observerId: string | null; observerName: string | null };

const SELECT = `SELECT a.id, a.at, a.observer AS observerId, o.display_name AS observerName, a.action,
  a.target_kind AS targetKind, a.target_id AS targetId, a.before, a.after
  FROM audit_log a LEFT JOIN observers o ON o.id = a.observer`;

const toEntry = (r: AuditRow): AuditEntry => ({
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
  db: D1Database,
  opts: { page: number; target?: { kind: string; id: string } },
): Promise<{ entries: AuditEntry[]; total: number }> {
  const where = opts.target ? 'WHERE a.target_kind = ?1 AND a.target_id = ?2' : '';
  const args = opts.target ? [opts.target.kind, opts.target.id] : [];
  const [rows, count] = await db.batch<Record<string, unknown>>([
    db
      .prepare(`${SELECT} ${where} ORDER BY a.id DESC LIMIT ${AUDIT_PAGE} OFFSET ${(opts.page - 1) * AUDIT_PAGE}`)
      .bind(...args),
    db.prepare(`SELECT count(*) AS n FROM audit_log a ${where}`).bind(...args),
  ]);
  return {
    entries: ((rows?.results ?? []) as unknown as AuditRow[]).map(toEntry),
    total: Number(count?.results[0]?.n ?? 0),
  };
}

/** Every entry, oldest first (the export). */
export async function allAudit(db: D1Database): Promise<AuditEntry[]> {
  const { results } = await db.prepare(`${SELECT} ORDER BY a.id`).all<AuditRow>();
  return results.map(toEntry);
}
