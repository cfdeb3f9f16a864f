// The demo seed's forum threads, opinion-box messages, objections and
// rectification ledger (see batch.ts for
// why admin/). Fixed ids, and a row already there is kept: a second seed
// changes nothing.
import { eq } from 'drizzle-orm';
import type { Database } from '../../env';
import {
  forumPosts,
  forumThreads,
  meetings,
  messageEvents,
  messages,
  objectionCredentials,
  objectionEvents,
  objections,
  paperBallots,
  paperKeyings,
  rectificationItems,
} from '../schema';
import { runBatch } from './batch';

export function insertDemoForum(
  db: Database,
  threads: (typeof forumThreads.$inferInsert)[],
  posts: (typeof forumPosts.$inferInsert)[],
) {
  return runBatch(db, [
    ...threads.map((t) => db.insert(forumThreads).values(t).onConflictDoNothing()),
    ...posts.map((p) => db.insert(forumPosts).values(p).onConflictDoNothing()),
  ]);
}

export function insertDemoMessage(db: Database, row: typeof messages.$inferInsert) {
  return db.insert(messages).values(row).onConflictDoNothing();
}

/** The demo's objections, ledger and answered messages, with their histories: fixed ids, kept if there. */
export function insertDemoFollowUp(
  db: Database,
  rows: {
    messages: (typeof messages.$inferInsert)[];
    messageEvents: (typeof messageEvents.$inferInsert)[];
    credentials: (typeof objectionCredentials.$inferInsert)[];
    objections: (typeof objections.$inferInsert)[];
    objectionEvents: (typeof objectionEvents.$inferInsert)[];
    ledger: (typeof rectificationItems.$inferInsert)[];
  },
) {
  return runBatch(db, [
    ...rows.messages.map((r) => db.insert(messages).values(r).onConflictDoNothing()),
    ...rows.messageEvents.map((r) => db.insert(messageEvents).values(r).onConflictDoNothing()),
    ...rows.credentials.map((r) => db.insert(objectionCredentials).values(r).onConflictDoNothing()),
    ...rows.objections.map((r) => db.insert(objections).values(r).onConflictDoNothing()),
    ...rows.objectionEvents.map((r) => db.insert(objectionEvents).values(r).onConflictDoNothing()),
    ...rows.ledger.map((r) => db.insert(rectificationItems).values(r).onConflictDoNothing()),
  ]);
}

/**
 * The demo meeting (issue 19) with its counted paper ballots and pending
 * keyings, in one batch. A meeting already there keeps everything as it is:
 * the ballots are append-only, so a second seed does not try again. False
 * when it was there.
 */
export async function insertDemoMeeting(
  db: Database,
  rows: {
    meeting: typeof meetings.$inferInsert;
    ballots: (typeof paperBallots.$inferInsert)[];
    keyings: (typeof paperKeyings.$inferInsert)[];
  },
): Promise<boolean> {
  const [there] = await db.select({ id: meetings.id }).from(meetings).where(eq(meetings.id, rows.meeting.id));
  if (there) return false;
  await runBatch(db, [
    db.insert(meetings).values(rows.meeting),
    // One statement per ballot: the triggers check each against the meeting and bump the paper counters.
    ...rows.ballots.map((b) => db.insert(paperBallots).values(b)),
    ...rows.keyings.map((k) => db.insert(paperKeyings).values(k).onConflictDoNothing()),
  ]);
  return true;
}
