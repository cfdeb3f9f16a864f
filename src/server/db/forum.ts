// Forum queries, public side (the review queue is in moderation.ts). Every
// write is one batch guarded in SQL (rate limit, thread visible). A thread is
// visible exactly when its opening post is. Ties in time
// (a pinned clock, one millisecond) are broken by insertion order (rowid):
// posts are public and dated, so their order reveals nothing.
import type { ForumPost, PostStatus, ThreadSummary } from '../../domain/schemas/forum';
import type { Bucket } from '../guards/rate-limit';
import { bumpStatement } from '../guards/rate-limit';
import { named } from './audit';

export const FORUM_PAGE = 20;

const UNDER_LIMIT = '(SELECT hits FROM rate_limits WHERE key = ?k AND window = ?w) <= ?max';
const limitParams = (b: Bucket) => ({ k: b.key, w: b.window, max: b.limit.max });

export interface NewPost {
  id: string;
  displayName: string;
  body: string;
  status: Exclude<PostStatus, 'hidden'>;
  createdAt: string;
}

export type WriteOutcome = 'stored' | 'rate_limited' | 'refused';

function outcome(results: D1Result<{ hits?: number }>[], bucket: Bucket, written: number): WriteOutcome {
  if ((results[written]?.meta.changes ?? 0) > 0) return 'stored';
  return (results[0]?.results[0]?.hits ?? 0) > bucket.limit.max ? 'rate_limited' : 'refused';
}

export async function createThread(
  db: D1Database,
  t: { id: string; appraisal: string; unit: string | null; title: string; post: NewPost; bucket: Bucket },
): Promise<WriteOutcome> {
  const results = await db.batch<{ hits?: number }>([
    bumpStatement(db, t.bucket),
    named(
      db,
      `INSERT INTO forum_threads (id, appraisal, unit, title, created_at, last_post_at)
       SELECT ?id, ?a, ?u, ?title, ?at, ?at WHERE ${UNDER_LIMIT}`,
      { id: t.id, a: t.appraisal, u: t.unit, title: t.title, at: t.post.createdAt, ...limitParams(t.bucket) },
    ),
    named(
      db,
      `INSERT INTO forum_posts (id, thread, appraisal, unit, opening, display_name, body, status, created_at)
       SELECT ?id, t.id, t.appraisal, t.unit, 1, ?name, ?body, ?status, ?at FROM forum_threads t
       WHERE t.id = ?thread AND changes() > 0`,
      {
        id: t.post.id,
        thread: t.id,
        name: t.post.displayName,
        body: t.post.body,
        status: t.post.status,
        at: t.post.createdAt,
      },
    ),
  ]);
  return outcome(results, t.bucket, 2);
}

/** A reply, only to a visible thread; a visible reply moves the thread up the list. */
export async function createReply(
  db: D1Database,
  r: { thread: string; post: NewPost; bucket: Bucket },
): Promise<WriteOutcome> {
  const results = await db.batch<{ hits?: number }>([
    bumpStatement(db, r.bucket),
    named(
      db,
      `INSERT INTO forum_posts (id, thread, appraisal, unit, opening, display_name, body, status, created_at)
       SELECT ?id, t.id, t.appraisal, t.unit, 0, ?name, ?body, ?status, ?at
       FROM forum_threads t JOIN forum_posts op ON op.thread = t.id AND op.opening = 1 AND op.status = 'visible'
       WHERE t.id = ?thread AND ${UNDER_LIMIT}`,
      {
        id: r.post.id,
        thread: r.thread,
        name: r.post.displayName,
        body: r.post.body,
        status: r.post.status,
        at: r.post.createdAt,
        ...limitParams(r.bucket),
      },
    ),
    named(
      db,
      `UPDATE forum_threads SET last_post_at = ?at
       WHERE id = ?thread AND EXISTS (SELECT 1 FROM forum_posts WHERE id = ?id AND status = 'visible')`,
      { at: r.post.createdAt, thread: r.thread, id: r.post.id },
    ),
  ]);
  return outcome(results, r.bucket, 1);
}

const THREAD_SELECT = `SELECT t.id, t.appraisal, t.unit, t.title, op.display_name AS displayName,
  t.created_at AS createdAt, t.last_post_at AS lastPostAt,
  (SELECT count(*) FROM forum_posts p WHERE p.thread = t.id AND p.opening = 0 AND p.status = 'visible') AS replies
  FROM forum_threads t JOIN forum_posts op ON op.thread = t.id AND op.opening = 1 AND op.status = 'visible'`;

export async function listThreads(
  db: D1Database,
  q: { appraisal: string; unit?: string; page: number },
): Promise<{ threads: ThreadSummary[]; total: number }> {
  const where = `WHERE t.appraisal = ?1 ${q.unit ? 'AND t.unit = ?2' : ''}`;
  const args = q.unit ? [q.appraisal, q.unit] : [q.appraisal];
  const [rows, count] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `${THREAD_SELECT} ${where} ORDER BY t.last_post_at DESC, t.rowid DESC LIMIT ${FORUM_PAGE} OFFSET ${(q.page - 1) * FORUM_PAGE}`,
      )
      .bind(...args),
    db
      .prepare(
        `SELECT count(*) AS n FROM forum_threads t JOIN forum_posts op ON op.thread = t.id AND op.opening = 1 AND op.status = 'visible' ${where}`,
      )
      .bind(...args),
  ]);
  return {
    threads: (rows?.results ?? []) as unknown as ThreadSummary[],
    total: Number(count?.results[0]?.n ?? 0),
  };
}

/** A visible thread and one page of its visible posts, oldest first (the opening post first). */
export async function readThread(db: D1Database, id: string, page: number) {
  const [thread, posts, count] = await db.batch<Record<string, unknown>>([
    db.prepare(`${THREAD_SELECT} WHERE t.id = ?1`).bind(id),
    db
      .prepare(
        `SELECT p.id, p.thread, p.display_name AS displayName, p.body, p.created_at AS createdAt, p.opening
         FROM forum_posts p JOIN forum_posts op ON op.thread = p.thread AND op.opening = 1 AND op.status = 'visible'
         WHERE p.thread = ?1 AND p.status = 'visible'
         ORDER BY p.opening DESC, p.created_at, p.rowid LIMIT ${FORUM_PAGE} OFFSET ${(page - 1) * FORUM_PAGE}`,
      )
      .bind(id),
    db.prepare(`SELECT count(*) AS n FROM forum_posts WHERE thread = ?1 AND status = 'visible'`).bind(id),
  ]);
  const t = thread?.results[0] as unknown as ThreadSummary | undefined;
  if (!t) return null;
  return {
    thread: t,
    posts: ((posts?.results ?? []) as unknown as (Omit<ForumPost, 'opening'> & { opening: number })[]).map((p) => ({
      ...p,
      opening: p.opening === 1,
    })),
    total: Number(count?.results[0]?.n ?? 0),
  };
}

/**
 * A report from one reporter (once per post), on a visible post. Reaching the
 * threshold of reports not yet reviewed puts the post back in the queue
 * (pending), hidden from the public until an observer decides.
 */
export async function reportPost(
  db: D1Database,
  r: { post: string; reporter: string; threshold: number; bucket: Bucket },
): Promise<'reported' | 'already' | 'rate_limited' | 'not_found'> {
  const results = await db.batch<{ hits?: number }>([
    bumpStatement(db, r.bucket),
    named(
      db,
      `INSERT OR IGNORE INTO forum_reports (post, reporter)
       SELECT ?post, ?who WHERE EXISTS (SELECT 1 FROM forum_posts WHERE id = ?post AND status = 'visible') AND ${UNDER_LIMIT}`,
      { post: r.post, who: r.reporter, ...limitParams(r.bucket) },
    ),
    named(
      db,
      `UPDATE forum_posts SET
         reports = (SELECT count(*) FROM forum_reports WHERE post = ?post),
         status = CASE WHEN (SELECT count(*) FROM forum_reports WHERE post = ?post) - reviewed_reports >= ?threshold
                       THEN 'pending' ELSE status END
       WHERE id = ?post AND status = 'visible' AND changes() > 0`,
      { post: r.post, threshold: r.threshold },
    ),
  ]);
  if ((results[1]?.meta.changes ?? 0) > 0) return 'reported';
  if ((results[0]?.results[0]?.hits ?? 0) > r.bucket.limit.max) return 'rate_limited';
  const seen = await db
    .prepare("SELECT (SELECT 1 FROM forum_posts WHERE id = ?1 AND status = 'visible') AS visible")
    .bind(r.post)
    .first<{ visible: number | null }>();
  return seen?.visible ? 'already' : 'not_found';
}
