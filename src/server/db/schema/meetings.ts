// Evaluation meetings (测评大会) and their paper ballots. A meeting's counts
// are public after the meeting; a paper ballot is keyed twice by two
// observers, and only when the two keyings agree (or a third observer settles
// a mismatch from the sheet) does it become a `paper_ballots` row. The
// keyings, which name observers, are deleted in the batch that counts the
// ballot: the counted row carries no observer and, being WITHOUT ROWID and
// keyed by its serial (migration 0019), no order of keying. See docs/privacy.md.
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** A meeting recorded by a lead observer: where, when, who was there, and the ballot counts. */
export const meetings = sqliteTable(
  'meetings',
  {
    id: text('id').primaryKey(),
    appraisal: text('appraisal').notNull(),
    instrument: text('instrument').notNull(),
    /** The day of the meeting, YYYY-MM-DD; public from that day's end. */
    heldOn: text('held_on').notNull(),
    place: text('place').notNull(),
    /** The rater categories present, JSON array of ids. */
    categories: text('categories').notNull(),
    issued: integer('issued').notNull(),
    returned: integer('returned').notNull(),
    spoilt: integer('spoilt').notNull().default(0),
    recordedAt: text('recorded_at').notNull(),
  },
  (t) => [
    index('meetings_instrument').on(t.instrument),
    check('meetings_counts', sql`${t.issued} >= ${t.returned} AND ${t.returned} >= ${t.spoilt} AND ${t.spoilt} >= 0`),
  ],
);

/**
 * One observer's keying of one sheet, until the sheet is counted: `pass` 1
 * and 2 are the two independent keyings, 3 a third observer's reading of a
 * mismatch. Deleted when the ballot is counted (or the serial set aside).
 */
export const paperKeyings = sqliteTable(
  'paper_keyings',
  {
    meeting: text('meeting').notNull(),
    serial: text('serial').notNull(),
    pass: integer('pass').notNull(),
    observer: text('observer').notNull(),
    raterCategory: text('rater_category').notNull(),
    /** Canonical answers JSON, as `canonicalAnswers` writes them. */
    answers: text('answers').notNull(),
  },
  (t) => [primaryKey({ columns: [t.meeting, t.serial, t.pass] })],
);

/**
 * Counted paper ballots: serial, category and answers, nothing else (no
 * observer, no time). A serial counts once per instrument: the primary key.
 * Append-only, and each insert bumps `paper_tallies` (migration 0019).
 */
export const paperBallots = sqliteTable(
  'paper_ballots',
  {
    instrument: text('instrument').notNull(),
    serial: text('serial').notNull(),
    meeting: text('meeting').notNull(),
    raterCategory: text('rater_category').notNull(),
    answers: text('answers').notNull(),
  },
  (t) => [primaryKey({ columns: [t.instrument, t.serial] }), index('paper_ballots_meeting').on(t.meeting)],
);

/** Paper counters, same shape as `tallies`, kept apart so every figure keeps its source (paper / online). */
export const paperTallies = sqliteTable(
  'paper_tallies',
  {
    instrument: text('instrument').notNull(),
    question: text('question').notNull(),
    option: text('option').notNull(),
    raterCategory: text('rater_category').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.instrument, t.question, t.option, t.raterCategory] })],
);
