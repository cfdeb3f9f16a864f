// After the reply: the writer rates it or reopens the message (once), by
// tracking number; the public reads the answers their writers allowed to be
// published, and each unit's figures (办理率, on time, satisfaction).
import { and, asc, count, desc, eq, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core';
import type { MessageTopic, ReplyRating } from '../../domain/schemas/message';
import type { Database } from '../env';
import type { Bucket } from '../guards/rate-limit';
import { eventAfter } from './messages';
import { bump, underLimit } from './rate-limits';
import { messages } from './schema';

const answered = sql`${messages.status} IN ('answered', 'closed')`;

/** One guarded change by the writer, counted against the client's limit, with its history entry. */
async function byWriter(
  db: Database,
  trackingHash: string,
  bucket: Bucket,
  set: SQLiteUpdateSetSource<typeof messages>,
  guard: SQL,
  step: { kind: 'rated' | 'reopened'; at: string; text?: string },
) {
  const mine = eq(messages.trackingHash, trackingHash);
  const [counted, result, , [row]] = await db.batch([
    bump(db, bucket),
    db
      .update(messages)
      .set({ ...set, updatedAt: step.at })
      .where(and(mine, guard, underLimit(db, bucket))),
    eventAfter(db, mine, step.kind, step.at, step.text ?? null),
    db.select({ status: messages.status }).from(messages).where(mine),
  ]);
  return {
    hits: counted[0]?.hits ?? 0,
    changed: result.meta.changes > 0,
    found: row !== undefined,
  };
}

/** 满意 / 不满意, once per reply (a reopened message's new reply is rated again). */
export const rateReply = (db: Database, trackingHash: string, rating: ReplyRating, at: string, bucket: Bucket) =>
  byWriter(
    db,
    trackingHash,
    bucket,
    { rating },
    and(answered, isNotNull(messages.reply), isNull(messages.rating)) as SQL,
    { kind: 'rated', at },
  );

/**
 * Reopen an answered message, once: back in the queue with a new deadline
 * (`dueBy`: per appraisal, the statement picks the message's); the old reply
 * stays until replaced.
 */
export const reopenMessage = (
  db: Database,
  trackingHash: string,
  reason: string,
  dueBy: Record<string, string>,
  at: string,
  bucket: Bucket,
) =>
  byWriter(
    db,
    trackingHash,
    bucket,
    {
      status: 'reopened',
      reopenedAt: at,
      dueOn: sql`CASE ${messages.appraisal} ${sql.join(
        Object.entries(dueBy).map(([a, d]) => sql`WHEN ${a} THEN ${d}`),
        sql` `,
      )} ELSE ${messages.dueOn} END`,
      rating: null,
    },
    and(answered, isNull(messages.reopenedAt)) as SQL,
    { kind: 'reopened', at, text: reason },
  );

const published = (appraisal?: string) =>
  and(
    eq(messages.published, true),
    eq(messages.publishConsent, true),
    answered,
    isNotNull(messages.reply),
    appraisal ? eq(messages.appraisal, appraisal) : undefined,
  );

/** Published answers, newest reply first; no contact, no tracking hash, no note ever selected. */
export function publishedMessages(db: Database, q: { appraisal?: string; unit?: string; topic?: MessageTopic } = {}) {
  return db
    .select({
      id: messages.id,
      appraisal: messages.appraisal,
      unit: messages.unit,
      subjectKind: messages.subjectKind,
      subjectId: messages.subjectId,
      topic: messages.topic,
      body: messages.body,
      reply: messages.reply,
      receivedAt: messages.receivedAt,
      repliedAt: messages.repliedAt,
    })
    .from(messages)
    .where(
      and(
        published(q.appraisal),
        q.unit ? eq(messages.unit, q.unit) : undefined,
        q.topic ? eq(messages.topic, q.topic) : undefined,
      ),
    )
    .orderBy(desc(messages.repliedAt), asc(messages.id));
}

/** China's calendar day of a stored instant, in SQL (UTC+8, no daylight saving). */
const chinaDay = (column: typeof messages.repliedAt) => sql`date(${column}, '+8 hours')`;

/** Per appraisal and unit: received, handled, on time, rated, satisfied (messages about a unit only). */
export function unitMessageFigures(db: Database, appraisal?: string) {
  const sum = (cond: SQL) => sql<number>`coalesce(sum(CASE WHEN ${cond} THEN 1 ELSE 0 END), 0)`.mapWith(Number);
  return db
    .select({
      appraisal: messages.appraisal,
      unit: sql<string>`${messages.unit}`,
      received: count(),
      handled: sum(answered),
      onTime: sum(
        sql`${answered} AND ${messages.repliedAt} IS NOT NULL AND ${chinaDay(messages.repliedAt)} <= ${messages.dueOn}`,
      ),
      rated: sum(sql`${messages.rating} IS NOT NULL`),
      satisfied: sum(sql`${messages.rating} = 'satisfied'`),
    })
    .from(messages)
    .where(and(isNotNull(messages.unit), appraisal ? eq(messages.appraisal, appraisal) : undefined))
    .groupBy(messages.appraisal, messages.unit)
    .orderBy(asc(messages.appraisal), asc(messages.unit));
}
