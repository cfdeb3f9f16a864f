// The demo seed's forum threads and opinion-box message (see batch.ts for
// why admin/). Fixed ids, and a row already there is kept: a second seed
// changes nothing.
import type { Database } from '../../env';
import { forumPosts, forumThreads, messages } from '../schema';
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
