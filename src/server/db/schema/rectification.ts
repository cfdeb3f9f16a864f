// The rectification ledger (整改台账): problems fed back to a unit, each with
// its measure, responsible post, deadline and evidence. Its status (整改中 /
// 已完成 / 逾期) is computed from the deadline and today, never stored.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { rectificationSources } from '../../../domain/schemas/rectification';

export const rectificationItems = sqliteTable(
  'rectification_items',
  {
    id: text('id').primaryKey(),
    appraisal: text('appraisal').notNull(),
    unit: text('unit').notNull(),
    source: text('source', { enum: rectificationSources }).notNull(),
    sourceNote: text('source_note'),
    /** The objection whose decision found the problem. */
    objection: text('objection'),
    problem: text('problem').notNull(),
    measure: text('measure').notNull(),
    responsible: text('responsible').notNull(),
    deadline: text('deadline').notNull(),
    completedOn: text('completed_on'),
    evidence: text('evidence'),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by'),
    updatedAt: text('updated_at').notNull(),
    /** Bumped by every change: an edit based on an older version changes nothing (409), whatever the clock says. */
    version: integer('version').notNull().default(1),
  },
  (t) => [index('rectification_unit').on(t.appraisal, t.unit)],
);
