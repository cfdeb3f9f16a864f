// The forum's review queue (observers' side): posts awaiting moderation,
// reported and hidden ones, and the approve / hide change, guarded by the
// state it was read in and audited in the same batch.
import { and, asc, count, desc, eq, gt, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import type { ModerationItem, QueueCounts, QueueKind } from '../../domain/schemas/observer-account';
import type { Database } from '../env';
import { type AuditInput, auditStatement, chained } from './audit';
import { FORUM_PAGE } from './forum';
import type { Viewer } from './observers';
import { forumPosts, forumThreads } from './schema';
import { changedBefore, inList } from './sql';

const QUEUE_WHERE: Record<QueueKind, SQL | undefined> = {
  pending: eq(forumPosts.status, 'pending'),
  reported: and(gt(forumPosts.reports, forumPosts.reviewedReports), ne(forumPosts.status, 'hidden')),
  hidden: eq(forumPosts.status, 'hidden'),
};

/** In scope: a lead, a post without a unit, or a post about one of the observer's units. */
const inScope = (v: Viewer) =>
  v.lead ? sql<number>`1` : sql<number>`${or(isNull(forumPosts.unit), inList(forumPosts.unit, v.units))}`;

/**
 * How many rows meet a condition, named: a batch's rows come back from D1 as
 * objects keyed by column name, so two unnamed sums of the same text would collide.
 */
const countOf = (condition: SQL | undefined, name: string) => sql<number>`coalesce(sum(${condition}), 0)`.as(name);

export async function moderationQueue(
  db: Database,
  q: { kind: QueueKind; viewer: Viewer; mine: boolean; appraisal?: string; page: number },
): Promise<{ items: ModerationItem[]; counts: QueueCounts; total: number }> {
  const scope = and(
    q.mine ? inScope(q.viewer) : undefined,
    q.appraisal ? eq(forumPosts.appraisal, q.appraisal) : undefined,
  );
  const filters = and(QUEUE_WHERE[q.kind], scope);
  const scoped = inScope(q.viewer).as('inScope');
  const [rows, [total], [counts]] = await db.batch([
    db
      .select({
        id: forumPosts.id,
        thread: forumPosts.thread,
        threadTitle: forumThreads.title,
        appraisal: forumPosts.appraisal,
        unit: forumPosts.unit,
        opening: forumPosts.opening,
        displayName: forumPosts.displayName,
        body: forumPosts.body,
        status: forumPosts.status,
        hiddenReason: forumPosts.hiddenReason,
        openReports: sql<number>`${forumPosts.reports} - ${forumPosts.reviewedReports}`.as('openReports'),
        createdAt: forumPosts.createdAt,
        inScope: scoped,
      })
      .from(forumPosts)
      .innerJoin(forumThreads, eq(forumThreads.id, forumPosts.thread))
      .where(filters)
      .orderBy(desc(scoped), asc(forumPosts.createdAt), asc(sql`${forumPosts}.rowid`))
      .limit(FORUM_PAGE)
      .offset((q.page - 1) * FORUM_PAGE),
    db.select({ n: count() }).from(forumPosts).where(filters),
    db
      .select({
        pending: countOf(QUEUE_WHERE.pending, 'pending'),
        reported: countOf(QUEUE_WHERE.reported, 'reported'),
        hidden: countOf(QUEUE_WHERE.hidden, 'hidden'),
      })
      .from(forumPosts)
      .where(scope),
  ]);
  return {
    items: rows.map((r) => ({ ...r, inScope: r.inScope === 1 })),
    total: total?.n ?? 0,
    counts: { pending: counts?.pending ?? 0, reported: counts?.reported ?? 0, hidden: counts?.hidden ?? 0 },
  };
}

export function postState(db: Database, id: string) {
  return db
    .select({
      id: forumPosts.id,
      thread: forumPosts.thread,
      appraisal: forumPosts.appraisal,
      unit: forumPosts.unit,
      status: forumPosts.status,
      hiddenReason: forumPosts.hiddenReason,
      reports: forumPosts.reports,
      reviewedReports: forumPosts.reviewedReports,
    })
    .from(forumPosts)
    .where(eq(forumPosts.id, id))
    .get();
}

export type PostState = NonNullable<Awaited<ReturnType<typeof postState>>>;

/**
 * Approve (visible) or hide a post as it was read (`before`), marking its
 * reports reviewed; audited in the same batch. False if it changed meanwhile.
 */
export async function moderatePost(
  db: Database,
  m: {
    before: PostState;
    status: 'visible' | 'hidden';
    reason: string | null;
    by: string;
    at: string;
    audit: AuditInput;
  },
): Promise<boolean> {
  const createdAt = db
    .select({ createdAt: forumPosts.createdAt })
    .from(forumPosts)
    .where(eq(forumPosts.id, m.before.id));
  const [result] = await chained(db, m.audit, (entry) =>
    db.batch([
      db
        .update(forumPosts)
        .set({
          status: m.status,
          hiddenReason: m.reason,
          reviewedReports: sql`${forumPosts.reports}`,
          moderatedAt: m.at,
          moderatedBy: m.by,
        })
        .where(
          and(
            eq(forumPosts.id, m.before.id),
            eq(forumPosts.status, m.before.status),
            eq(forumPosts.reports, m.before.reports),
          ),
        ),
      auditStatement(db, entry, { guarded: true }),
      // An approved reply moves its thread up the list, as if it had been visible from the start.
      ...(m.status === 'visible'
        ? [
            db
              .update(forumThreads)
              .set({ lastPostAt: sql`max(${forumThreads.lastPostAt}, ${createdAt})` })
              .where(and(eq(forumThreads.id, m.before.thread), changedBefore())),
          ]
        : []),
    ]),
  );
  return result.meta.changes > 0;
}
