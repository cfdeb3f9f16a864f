// The forum's review queue (observers' side): posts awaiting moderation,
// reported and hidden ones, and the approve / hide change, guarded by the
// state it was read in and audited in the same batch.
import type { PostStatus } from '../../domain/schemas/forum';
import type { ModerationItem, QueueCounts, QueueKind } from '../../domain/schemas/observer-account';
import { type AuditInput, auditStatement, named } from './audit';
import { FORUM_PAGE } from './forum';
import type { Viewer } from './observers';

const QUEUE_WHERE: Record<QueueKind, string> = {
  pending: "p.status = 'pending'",
  reported: "p.reports > p.reviewed_reports AND p.status <> 'hidden'",
  hidden: "p.status = 'hidden'",
};

/** In scope: a lead, a post without a unit, or a post about one of the observer's units. */
const IN_SCOPE = `(?lead = 1 OR p.unit IS NULL OR p.unit IN (SELECT value FROM json_each(?units)))`;

const viewerParams = (v: Viewer) => ({ lead: v.lead ? 1 : 0, units: JSON.stringify(v.units) });

export async function moderationQueue(
  db: D1Database,
  q: { kind: QueueKind; viewer: Viewer; mine: boolean; appraisal?: string; page: number },
): Promise<{ items: ModerationItem[]; counts: QueueCounts; total: number }> {
  const filters = [QUEUE_WHERE[q.kind], q.mine ? IN_SCOPE : '1', q.appraisal ? 'p.appraisal = ?a' : '1'].join(' AND ');
  const base = { ...viewerParams(q.viewer), ...(q.appraisal ? { a: q.appraisal } : {}) };
  const [rows, total, counts] = await db.batch<Record<string, unknown>>([
    named(
      db,
      `SELECT p.id, p.thread, t.title AS threadTitle, p.appraisal, p.unit, p.opening, p.display_name AS displayName,
         p.body, p.status, p.hidden_reason AS hiddenReason, p.reports - p.reviewed_reports AS openReports,
         p.created_at AS createdAt, ${IN_SCOPE} AS inScope
       FROM forum_posts p JOIN forum_threads t ON t.id = p.thread
       WHERE ${filters}
       ORDER BY inScope DESC, p.created_at, p.rowid LIMIT ${FORUM_PAGE} OFFSET ${(q.page - 1) * FORUM_PAGE}`,
      base,
    ),
    named(db, `SELECT count(*) AS n FROM forum_posts p WHERE ${filters}`, base),
    named(
      db,
      `SELECT
         coalesce(sum(${QUEUE_WHERE.pending}), 0) AS pending,
         coalesce(sum(${QUEUE_WHERE.reported}), 0) AS reported,
         coalesce(sum(${QUEUE_WHERE.hidden}), 0) AS hidden
       FROM forum_posts p WHERE ${q.mine ? IN_SCOPE : '1'} AND ${q.appraisal ? 'p.appraisal = ?a' : '1'}`,
      base,
    ),
  ]);
  const c = counts?.results[0] ?? {};
  return {
    items: ((rows?.results ?? []) as Record<string, unknown>[]).map((r) => ({
      ...(r as unknown as ModerationItem),
      opening: r.opening === 1,
      inScope: r.inScope === 1,
    })),
    total: Number(total?.results[0]?.n ?? 0),
    counts: { pending: Number(c.pending ?? 0), reported: Number(c.reported ?? 0), hidden: Number(c.hidden ?? 0) },
  };
}

export interface PostState {
  id: string;
  thread: string;
  appraisal: string;
  unit: string | null;
  status: PostStatus;
  hiddenReason: string | null;
  reports: number;
  reviewedReports: number;
}

export function postState(db: D1Database, id: string) {
  return db
    .prepare(
      `SELECT id, thread, appraisal, unit, status, hidden_reason AS hiddenReason, reports, reviewed_reports AS reviewedReports
       FROM forum_posts WHERE id = ?1`,
    )
    .bind(id)
    .first<PostState>();
}

/**
 * Approve (visible) or hide a post as it was read (`before`), marking its
 * reports reviewed; audited in the same batch. False if it changed meanwhile.
 */
export async function moderatePost(
  db: D1Database,
  m: {
    before: PostState;
    status: 'visible' | 'hidden';
    reason: string | null;
    by: string;
    at: string;
    audit: AuditInput;
  },
): Promise<boolean> {
  const results = await db.batch([
    named(
      db,
      `UPDATE forum_posts SET status = ?status, hidden_reason = ?reason, reviewed_reports = reports,
         moderated_at = ?at, moderated_by = ?by
       WHERE id = ?id AND status = ?was AND reports = ?reports`,
      {
        status: m.status,
        reason: m.reason,
        at: m.at,
        by: m.by,
        id: m.before.id,
        was: m.before.status,
        reports: m.before.reports,
      },
    ),
    auditStatement(db, m.audit, { guarded: true }),
    // An approved reply moves its thread up the list, as if it had been visible from the start.
    named(
      db,
      `UPDATE forum_threads SET last_post_at = max(last_post_at, (SELECT created_at FROM forum_posts WHERE id = ?id))
       WHERE id = ?thread AND ?status = 'visible' AND changes() > 0`,
      { id: m.before.id, thread: m.before.thread, status: m.status },
    ),
  ]);
  return (results[0]?.meta.changes ?? 0) > 0;
}
