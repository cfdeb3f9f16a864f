// The opinion box (民意调查箱). A message is anonymous unless the sender
// leaves contact details, which are stored only encrypted (AES-GCM, key
// CONTACT_KEY) and decrypted only for observers.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
  messageEventKinds,
  messageStatuses,
  messageSubjectKinds,
  messageTopics,
  replyRatings,
} from '../../../domain/schemas/message';

export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    /** HMAC of the tracking number; the number itself is shown to the sender once and never stored. */
    trackingHash: text('tracking_hash').notNull(),
    appraisal: text('appraisal').notNull(),
    subjectKind: text('subject_kind', { enum: messageSubjectKinds }),
    subjectId: text('subject_id'),
    /** The unit concerned (an official's unit), for observers' scopes. */
    unit: text('unit'),
    topic: text('topic', { enum: messageTopics }).notNull().default('other'),
    body: text('body').notNull(),
    /** base64(iv ‖ AES-GCM ciphertext) of the contact JSON, or null (anonymous). */
    contact: text('contact'),
    status: text('status', { enum: messageStatuses }).notNull(),
    reply: text('reply'),
    repliedAt: text('replied_at'),
    assignee: text('assignee'),
    receivedAt: text('received_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** The reply deadline (China date, working days from receipt or from reopening). */
    dueOn: text('due_on'),
    /** The writer agreed to publish the message and its reply (never the contact). */
    publishConsent: integer('publish_consent', { mode: 'boolean' }).notNull().default(false),
    /** An observer published it (only with consent, only once answered). */
    published: integer('published', { mode: 'boolean' }).notNull().default(false),
    rating: text('rating', { enum: replyRatings }),
    /** Set when the writer reopened it: a message reopens once. */
    reopenedAt: text('reopened_at'),
  },
  (t) => [
    uniqueIndex('messages_tracking').on(t.trackingHash),
    index('messages_queue').on(t.status, t.receivedAt),
    index('messages_assignee').on(t.assignee),
    index('messages_unit').on(t.appraisal, t.unit),
  ],
);

/** The writer's history of a message: each step and its day (never who acted, never a note). */
export const messageEvents = sqliteTable(
  'message_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    message: text('message')
      .notNull()
      .references(() => messages.id),
    at: text('at').notNull(),
    kind: text('kind', { enum: messageEventKinds }).notNull(),
    status: text('status', { enum: messageStatuses }).notNull(),
    /** The writer's reason when reopening. */
    text: text('text'),
  },
  (t) => [index('message_events_message').on(t.message)],
);

/** Internal notes of the observers on a message; never shown to the sender. */
export const messageNotes = sqliteTable(
  'message_notes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    message: text('message')
      .notNull()
      .references(() => messages.id),
    observer: text('observer'),
    at: text('at').notNull(),
    text: text('text').notNull(),
  },
  (t) => [index('message_notes_message').on(t.message)],
);
