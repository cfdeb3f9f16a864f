// The opinion box (民意调查箱). A message is anonymous unless the sender
// leaves contact details, which are stored only encrypted (AES-GCM, key
// CONTACT_KEY) and decrypted only for observers.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { messageStatuses, messageSubjectKinds } from '../../../domain/schemas/message';

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
    body: text('body').notNull(),
    /** base64(iv ‖ AES-GCM ciphertext) of the contact JSON, or null (anonymous). */
    contact: text('contact'),
    status: text('status', { enum: messageStatuses }).notNull(),
    reply: text('reply'),
    repliedAt: text('replied_at'),
    assignee: text('assignee'),
    receivedAt: text('received_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('messages_tracking').on(t.trackingHash),
    index('messages_queue').on(t.status, t.receivedAt),
    index('messages_assignee').on(t.assignee),
  ],
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
