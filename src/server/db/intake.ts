// The two submission views of migration 0010 (`spend_intake`, `public_intake`),
// described as tables so drizzle's query builder can insert into them. An
// INSERT into a view runs its INSTEAD OF trigger: the whole guarded write of a
// submission in one statement. Not part of drizzle-kit's schema (schema/index.ts):
// the views and their triggers are written by hand in the migration.
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const spendIntake = sqliteTable('spend_intake', {
  tokenHash: text('token_hash').notNull(),
  instrument: text('instrument').notNull(),
  raterCategory: text('rater_category').notNull(),
  scope: text('scope').notNull(),
  msg: text('msg').notNull(),
  sig: text('sig').notNull(),
  responseId: text('response_id').notNull(),
  recordedOn: text('recorded_on').notNull(),
  answers: text('answers').notNull(),
  receipt: text('receipt').notNull(),
  /** JSON [[question, option], …]: the tally bumps. */
  pairs: text('pairs').notNull(),
});

export const publicIntake = sqliteTable('public_intake', {
  instrument: text('instrument').notNull(),
  responseId: text('response_id').notNull(),
  recordedOn: text('recorded_on').notNull(),
  answers: text('answers').notNull(),
  receipt: text('receipt').notNull(),
  pairs: text('pairs').notNull(),
  requestKey: text('request_key').notNull(),
  requestWindow: integer('request_window').notNull(),
  requestMax: integer('request_max').notNull(),
  requestExpires: integer('request_expires').notNull(),
});
