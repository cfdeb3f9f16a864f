// Objections to a published result (申诉 / 质询). Filed by the appraised with
// a per-subject credential (only its keyed hash is stored, under a label of
// its own: never a participation code); not anonymous, but the contact is
// stored only encrypted, as the opinion box's is.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { objectionDecisions, objectionKinds, objectionStatuses } from '../../../domain/schemas/objection';
import { subjectKinds } from '../../../domain/schemas/question';

/** Issued by `npm run codes -- objection`; a re-issue revokes the subject's earlier credential. */
export const objectionCredentials = sqliteTable(
  'objection_credentials',
  {
    /** HMAC-SHA256(CODE_PEPPER, "objection:" ‖ normalised credential), hex. */
    hash: text('hash').primaryKey(),
    appraisal: text('appraisal').notNull(),
    subjectKind: text('subject_kind', { enum: subjectKinds }).notNull(),
    subjectId: text('subject_id').notNull(),
    /** The subject's unit (an official's unit), for the observers' scopes. */
    unit: text('unit').notNull(),
    issuedOn: text('issued_on').notNull(),
    revokedOn: text('revoked_on'),
  },
  (t) => [index('objection_credentials_subject').on(t.appraisal, t.subjectKind, t.subjectId)],
);

export const objections = sqliteTable(
  'objections',
  {
    id: text('id').primaryKey(),
    /** HMAC of the tracking number (shown to the objector once). */
    trackingHash: text('tracking_hash').notNull(),
    appraisal: text('appraisal').notNull(),
    subjectKind: text('subject_kind', { enum: subjectKinds }).notNull(),
    subjectId: text('subject_id').notNull(),
    unit: text('unit').notNull(),
    kind: text('kind', { enum: objectionKinds }).notNull(),
    matter: text('matter').notNull(),
    grounds: text('grounds').notNull(),
    attachments: text('attachments'),
    /** base64(iv ‖ AES-GCM ciphertext) of the contact JSON (CONTACT_KEY). */
    contact: text('contact').notNull(),
    status: text('status', { enum: objectionStatuses }).notNull(),
    filedAt: text('filed_at').notNull(),
    /** Deadlines in working days from filing, fixed when filed (China dates). */
    acceptDue: text('accept_due').notNull(),
    answerDue: text('answer_due').notNull(),
    /** The reviewer (复核人). */
    assignee: text('assignee'),
    refusal: text('refusal'),
    decision: text('decision', { enum: objectionDecisions }),
    reasons: text('reasons'),
    reply: text('reply'),
    answeredAt: text('answered_at'),
    /** The decision is published (units and groups only: never a person). */
    public: integer('public', { mode: 'boolean' }).notNull().default(false),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('objections_tracking').on(t.trackingHash),
    index('objections_queue').on(t.appraisal, t.status, t.filedAt),
    index('objections_public').on(t.appraisal, t.public),
  ],
);

/** Each step of an objection; notes are internal, every other step is shown to the objector (without its author). */
export const objectionEvents = sqliteTable(
  'objection_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    objection: text('objection')
      .notNull()
      .references(() => objections.id),
    at: text('at').notNull(),
    status: text('status', { enum: objectionStatuses }).notNull(),
    observer: text('observer'),
    text: text('text'),
    internal: integer('internal', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('objection_events_objection').on(t.objection)],
);
