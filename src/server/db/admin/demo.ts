// The demo seed's forum threads, opinion-box messages, objections and
// rectification ledger (see batch.ts for
// why admin/). Fixed ids, and a row already there is kept: a second seed
// changes nothing.
import type { Database } from '../../env';
import {
  forumPosts,
  forumThreads,
  messageEvents,
  messages,
  objectionCredentials,
  objectionEvents,
  objections,
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
