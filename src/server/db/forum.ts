// Forum queries, public side (the review queue is in moderation.ts). Every
// write is one batch guarded in SQL (rate limit, thread visible). A thread is
// visible exactly when its opening post is. Ties in time
// (a pinned clock, one millisecond) are broken by insertion order (rowid):
// posts are public and dated, so their order reveals nothing.
import { and, asc, count, desc, eq, exists, gte, inArray, notExists, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { PostStatus } from '../../domain/schemas/forum';
import type { Database } from '../env';
import type { Bucket } from '../guards/rate-limit';
import { bump, underLimit } from './rate-limits';
import { forumPosts, forumReports, forumThreads } from './schema';
import { changedBefore, oneRow, rowOf } from './sql';

export const FORUM_PAGE = 20;

export type NewPost = Pick<
  typeof forumPosts.$inferInsert,
  'id' | 'displayName' | 'body' | 'createdAt' | 'trackingHash'
> & {
  status: Exclude<PostStatus, 'hidden'>;
};

export type WriteOutcome = 'stored' | 'rate_limited' | 'duplicate' | 'refused';

/**
 * How long the same text may not be posted again in the same thread (or, for
 * a new thread, under the same title in the same appraisal), whoever sends
 * it: only the text is compared, nothing about the writer is stored or used.
 */
export const DUPLICATE_HOURS = 24;

const duplicateSince = (createdAt: string) =>
  new Date(Date.parse(createdAt) - DUPLICATE_HOURS * 3600_000).toISOString();

function outcome(counted: { hits: number }[], written: D1Result, duplicate: boolean, bucket: Bucket): WriteOutcome {
  if (written.meta.changes > 0) return 'stored';
  if ((counted[0]?.hits ?? 0) > bucket.limit.max) return 'rate_limited';
  return duplicate ? 'duplicate' : 'refused';
}

/** Posts of the window with this text in the given thread(s). */
const sameText = (db: Database, body: string, createdAt: string, inThread: SQL) =>
  db
    .select({ one: sql`1` })
    .from(forumPosts)
    .where(and(inThread, eq(forumPosts.body, body), gte(forumPosts.createdAt, duplicateSince(createdAt))));

/** The opening post of a thread, joined only while it is visible (a thread is visible exactly then). */
const op = alias(forumPosts, 'op');
const openingVisible = (thread: typeof forumThreads.id | typeof forumPosts.thread) =>
  and(eq(op.thread, thread), eq(op.opening, true), eq(op.status, 'visible'));

const visiblePost = (db: Database, id: string) =>
  db
    .select({ one: sql`1` })
    .from(forumPosts)
    .where(and(eq(forumPosts.id, id), eq(forumPosts.status, 'visible')));

/** A post of a thread, written from the thread's row (its appraisal and unit). */
const postFromThread = (post: NewPost, opening: boolean) =>
  rowOf(forumPosts, {
    id: post.id,
    thread: forumThreads.id,
    appraisal: forumThreads.appraisal,
    unit: forumThreads.unit,
    opening,
    displayName: post.displayName,
    body: post.body,
    status: post.status,
    hiddenReason: null,
    reports: 0,
    reviewedReports: 0,
    createdAt: post.createdAt,
    moderatedAt: null,
    moderatedBy: null,
    trackingHash: post.trackingHash ?? null,
  });

export async function createThread(
  db: Database,
  t: { id: string; appraisal: string; unit: string | null; title: string; post: NewPost; bucket: Bucket },
): Promise<WriteOutcome> {
  const at = t.post.createdAt;
  // The same opening text under the same title in this appraisal: the thread that was posted twice.
  const sameThread = db
    .select({ id: forumThreads.id })
    .from(forumThreads)
    .where(and(eq(forumThreads.appraisal, t.appraisal), eq(forumThreads.title, t.title)));
  const duplicate = sameText(
    db,
    t.post.body,
    at,
    and(inArray(forumPosts.thread, sameThread), eq(forumPosts.opening, true)) as SQL,
  );
  const [counted, , opening, [seen]] = await db.batch([
    bump(db, t.bucket),
    db.insert(forumThreads).select(
      db
        .select(
          rowOf(forumThreads, {
            id: t.id,
            appraisal: t.appraisal,
            unit: t.unit,
            title: t.title,
            createdAt: at,
            lastPostAt: at,
          }),
        )
        .from(oneRow())
        .where(and(underLimit(db, t.bucket), notExists(duplicate))),
    ),
    db.insert(forumPosts).select(
      db
        .select(postFromThread(t.post, true))
        .from(forumThreads)
        .where(and(eq(forumThreads.id, t.id), changedBefore())),
    ),
    db.select({ duplicate: sql<number>`${exists(duplicate)}` }).from(oneRow()),
  ]);
  return outcome(counted, opening, !!seen?.duplicate, t.bucket);
}

/** A reply, only to a visible thread; a visible reply moves the thread up the list. */
export async function createReply(
  db: Database,
  r: { thread: string; post: NewPost; bucket: Bucket },
): Promise<WriteOutcome> {
  const duplicate = sameText(db, r.post.body, r.post.createdAt, eq(forumPosts.thread, r.thread));
  const [counted, reply, , [seen]] = await db.batch([
    bump(db, r.bucket),
    db.insert(forumPosts).select(
      db
        .select(postFromThread(r.post, false))
        .from(forumThreads)
        .innerJoin(op, openingVisible(forumThreads.id))
        .where(and(eq(forumThreads.id, r.thread), underLimit(db, r.bucket), notExists(duplicate))),
    ),
    db
      .update(forumThreads)
      .set({ lastPostAt: r.post.createdAt })
      .where(and(eq(forumThreads.id, r.thread), exists(visiblePost(db, r.post.id)))),
    db.select({ duplicate: sql<number>`${exists(duplicate)}` }).from(oneRow()),
  ]);
  return outcome(counted, reply, !!seen?.duplicate, r.bucket);
}

/** Visible threads, with their opening post's author and their visible replies. */
const visibleThreads = (db: Database) =>
  db
    .select({
      id: forumThreads.id,
      appraisal: forumThreads.appraisal,
      unit: forumThreads.unit,
      title: forumThreads.title,
      displayName: op.displayName,
      createdAt: forumThreads.createdAt,
      lastPostAt: forumThreads.lastPostAt,
      replies: sql<number>`${db
        .select({ n: count() })
        .from(forumPosts)
        .where(
          and(eq(forumPosts.thread, forumThreads.id), eq(forumPosts.opening, false), eq(forumPosts.status, 'visible')),
        )}`.as('replies'),
    })
    .from(forumThreads)
    .innerJoin(op, openingVisible(forumThreads.id));

export async function listThreads(db: Database, q: { appraisal: string; unit?: string; page: number }) {
  const where = and(eq(forumThreads.appraisal, q.appraisal), q.unit ? eq(forumThreads.unit, q.unit) : undefined);
  const [threads, [total]] = await db.batch([
    visibleThreads(db)
      .where(where)
      .orderBy(desc(forumThreads.lastPostAt), desc(sql`${forumThreads}.rowid`))
      .limit(FORUM_PAGE)
      .offset((q.page - 1) * FORUM_PAGE),
    db.select({ n: count() }).from(forumThreads).innerJoin(op, openingVisible(forumThreads.id)).where(where),
  ]);
  return { threads, total: total?.n ?? 0 };
}

/**
 * Visible threads whose title or any visible post contains `q`, latest activity
 * first: the site search's forum part (Pagefind indexes only built pages;
 * threads live here). `instr` is a substring match, which is what Chinese
 * text needs (no word boundaries) and takes `q` as data, never as a pattern.
 * A scan: fine for a county forum's few thousand posts.
 */
export async function searchThreads(db: Database, q: string, page: number) {
  const needle = q.toLowerCase();
  const hit = or(
    sql`instr(lower(${forumThreads.title}), ${needle}) > 0`,
    exists(
      db
        .select({ one: sql`1` })
        .from(forumPosts)
        .where(
          and(
            eq(forumPosts.thread, forumThreads.id),
            eq(forumPosts.status, 'visible'),
            sql`instr(lower(${forumPosts.body}), ${needle}) > 0`,
          ),
        ),
    ),
  );
  const [threads, [total]] = await db.batch([
    visibleThreads(db)
      .where(hit)
      .orderBy(desc(forumThreads.lastPostAt), desc(sql`${forumThreads}.rowid`))
      .limit(FORUM_PAGE)
      .offset((page - 1) * FORUM_PAGE),
    db.select({ n: count() }).from(forumThreads).innerJoin(op, openingVisible(forumThreads.id)).where(hit),
  ]);
  return { threads, total: total?.n ?? 0 };
}

/** A visible thread and one page of its visible posts, oldest first (the opening post first). */
export async function readThread(db: Database, id: string, page: number) {
  const [[thread], posts, [total]] = await db.batch([
    visibleThreads(db).where(eq(forumThreads.id, id)),
    db
      .select({
        id: forumPosts.id,
        thread: forumPosts.thread,
        displayName: forumPosts.displayName,
        body: forumPosts.body,
        createdAt: forumPosts.createdAt,
        opening: forumPosts.opening,
      })
      .from(forumPosts)
      .innerJoin(op, openingVisible(forumPosts.thread))
      .where(and(eq(forumPosts.thread, id), eq(forumPosts.status, 'visible')))
      .orderBy(desc(forumPosts.opening), asc(forumPosts.createdAt), asc(sql`${forumPosts}.rowid`))
      .limit(FORUM_PAGE)
      .offset((page - 1) * FORUM_PAGE),
    db
      .select({ n: count() })
      .from(forumPosts)
      .where(and(eq(forumPosts.thread, id), eq(forumPosts.status, 'visible'))),
  ]);
  if (!thread) return null;
  return { thread, posts, total: total?.n ?? 0 };
}

/**
 * A report from one reporter (once per post), on a visible post. Reaching the
 * threshold of reports not yet reviewed hides a post no observer has looked at
 * (pending, back in the queue until one decides). A post an observer approved
 * stays up: its new reports only put it in the reported queue, so three
 * people cannot undo an observer's decision (the issue report).
 */
export async function reportPost(
  db: Database,
  r: { post: string; reporter: string; threshold: number; bucket: Bucket },
): Promise<'reported' | 'already' | 'rate_limited' | 'not_found'> {
  const reports = sql`${db.select({ n: count() }).from(forumReports).where(eq(forumReports.post, r.post))}`;
  const [counted, reported] = await db.batch([
    bump(db, r.bucket),
    db
      .insert(forumReports)
      .select(
        db
          .select(rowOf(forumReports, { post: r.post, reporter: r.reporter }))
          .from(oneRow())
          .where(and(exists(visiblePost(db, r.post)), underLimit(db, r.bucket))),
      )
      .onConflictDoNothing(),
    db
      .update(forumPosts)
      .set({
        reports,
        status: sql`CASE WHEN ${reports} - ${forumPosts.reviewedReports} >= ${r.threshold}
                        AND ${forumPosts.moderatedBy} IS NULL
                      THEN 'pending' ELSE ${forumPosts.status} END`,
      })
      .where(and(eq(forumPosts.id, r.post), eq(forumPosts.status, 'visible'), changedBefore())),
  ]);
  if (reported.meta.changes > 0) return 'reported';
  if ((counted[0]?.hits ?? 0) > r.bucket.limit.max) return 'rate_limited';
  return (await visiblePost(db, r.post).get()) ? 'already' : 'not_found';
}

/** A post by its tracking number's hash, with its thread's title, whatever its status (its author asks). */
export async function trackPost(db: Database, trackingHash: string, bucket: Bucket) {
  const [counted, [post]] = await db.batch([
    bump(db, bucket),
    db
      .select({
        thread: forumPosts.thread,
        threadTitle: forumThreads.title,
        opening: forumPosts.opening,
        body: forumPosts.body,
        status: forumPosts.status,
        hiddenReason: forumPosts.hiddenReason,
        createdAt: forumPosts.createdAt,
        moderatedAt: forumPosts.moderatedAt,
      })
      .from(forumPosts)
      .innerJoin(forumThreads, eq(forumThreads.id, forumPosts.thread))
      .where(eq(forumPosts.trackingHash, trackingHash)),
  ]);
  return { hits: counted[0]?.hits ?? 0, post: post ?? null };
}
