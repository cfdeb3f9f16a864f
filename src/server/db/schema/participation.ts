// Participation: codes, redemptions, responses, tallies, turnout, limits.
// Column comments say why a column exists; see docs/privacy.md for what must
// never be added here.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** One-time participation codes (一人一号): only the keyed hash is kept, never the code. */
export const codes = sqliteTable(
  'codes',
  {
    /** HMAC-SHA256(CODE_PEPPER, normalised code), hex. */
    hash: text('hash').primaryKey(),
    appraisal: text('appraisal').notNull(),
    raterCategory: text('rater_category').notNull(),
    /** The issuing batch, so a lost or leaked print run can be revoked whole. */
    batch: text('batch').notNull(),
    issuedOn: text('issued_on').notNull(),
    revokedOn: text('revoked_on'),
  },
  (t) => [index('codes_batch').on(t.batch), index('codes_appraisal_category').on(t.appraisal, t.raterCategory)],
);

/**
 * That a code has answered an instrument. The primary key makes a second use
 * fail inside the submission batch. No time, no response id: nothing here
 * leads to a response.
 */
export const redemptions = sqliteTable(
  'redemptions',
  {
    codeHash: text('code_hash').notNull(),
    instrument: text('instrument').notNull(),
  },
  (t) => [primaryKey({ columns: [t.codeHash, t.instrument] })],
);

/**
 * Stored responses. A random id in a WITHOUT ROWID table (see the custom
 * migration) so neither a column nor the storage order lines up with
 * redemptions; the date only, never the time.
 */
export const responses = sqliteTable(
  'responses',
  {
    id: text('id').primaryKey(),
    instrument: text('instrument').notNull(),
    raterCategory: text('rater_category').notNull(),
    recordedOn: text('recorded_on').notNull(),
    /** The validated answers, canonical JSON. */
    answers: text('answers').notNull(),
    receipt: text('receipt').notNull(),
  },
  (t) => [uniqueIndex('responses_receipt').on(t.receipt), index('responses_instrument').on(t.instrument)],
);

/** Exact counters, bumped in the same batch that stores the response (WITHOUT ROWID: migration 0007). Text answers are counted, not kept here. */
export const tallies = sqliteTable(
  'tallies',
  {
    instrument: text('instrument').notNull(),
    question: text('question').notNull(),
    option: text('option').notNull(),
    raterCategory: text('rater_category').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.instrument, t.question, t.option, t.raterCategory] })],
);

/** Responses per instrument and rater category (turnout), counted by a trigger on `responses` (migration 0006). */
export const turnout = sqliteTable(
  'turnout',
  {
    instrument: text('instrument').notNull(),
    raterCategory: text('rater_category').notNull(),
    responses: integer('responses').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.instrument, t.raterCategory] })],
);

/** Staff overrides of an instrument's window (closed early, paused). Dates live in content. */
export const instrumentStates = sqliteTable('instrument_states', {
  instrument: text('instrument').primaryKey(),
  state: text('state', { enum: ['paused', 'closed'] }).notNull(),
  changedAt: text('changed_at').notNull(),
});

/**
 * Fixed-window rate-limit counters. The key is an HMAC of the client address
 * with a secret that rotates daily, never the address itself. WITHOUT ROWID
 * (migration 0009): every limited request bumps one.
 */
export const rateLimits = sqliteTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    window: integer('window').notNull(),
    hits: integer('hits').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.window] })],
);
