// The forum (互动论坛): threads, posts and reports. An author is a display
// name and nothing else: no address, account, agent or code is stored.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { postStatuses } from '../../../domain/schemas/forum';

export const forumThreads = sqliteTable(
  'forum_threads',
  {
    id: text('id').primaryKey(),
    appraisal: text('appraisal').notNull(),
    /** The unit the thread is about, if any (observers' scopes are units). */
    unit: text('unit'),
    title: text('title').notNull(),
    createdAt: text('created_at').notNull(),
    /** Last visible activity, for ordering the list. */
    lastPostAt: text('last_post_at').notNull(),
  },
  (t) => [index('forum_threads_list').on(t.appraisal, t.lastPostAt)],
);

/**
 * Posts, the opening post of a thread included (`opening`): a thread is
 * visible exactly when its opening post is. `reports` counts distinct
 * reporters; `reviewed_reports` is the count an observer last looked at, so a
 * post approved after reports goes back to the queue only with new ones.
 */
export const forumPosts = sqliteTable(
  'forum_posts',
  {
    id: text('id').primaryKey(),
    thread: text('thread')
      .notNull()
      .references(() => forumThreads.id),
    appraisal: text('appraisal').notNull(),
    unit: text('unit'),
    opening: integer('opening', { mode: 'boolean' }).notNull(),
    displayName: text('display_name').notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: postStatuses }).notNull(),
    hiddenReason: text('hidden_reason'),
    reports: integer('reports').notNull().default(0),
    reviewedReports: integer('reviewed_reports').notNull().default(0),
    createdAt: text('created_at').notNull(),
    moderatedAt: text('moderated_at'),
    moderatedBy: text('moderated_by'),
    /** HMAC of the tracking number the author was given: follows the post, says nothing of who wrote it. */
    trackingHash: text('tracking_hash'),
  },
  (t) => [
    index('forum_posts_thread').on(t.thread, t.status, t.createdAt),
    index('forum_posts_status').on(t.status, t.createdAt),
    uniqueIndex('forum_posts_tracking').on(t.trackingHash),
  ],
);

/**
 * One row per (post, reporter), so one person cannot hide a post alone. The
 * reporter is the rate-limit client key: an HMAC of the address with a secret
 * that rotates daily, never the address.
 */
export const forumReports = sqliteTable(
  'forum_reports',
  {
    post: text('post').notNull(),
    reporter: text('reporter').notNull(),
  },
  (t) => [primaryKey({ columns: [t.post, t.reporter] })],
);
