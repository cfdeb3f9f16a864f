import { z } from 'zod';
import { id } from './common';
import { instrument, instrumentStatus } from './instrument';
import { subjectScore, tallyCount } from './participation';
import { raterCategory } from './rater-category';
import { scoreRule, validityResult } from './score-rule';

/** The tallies of one instrument as the internal appraisal system receives them. */
export const feedInstrument = z.object({
  id,
  title: z.string(),
  kind: instrument.shape.kind,
  status: instrumentStatus,
  /** Share of a subject's total score this instrument contributes, in percent. */
  share: z.number(),
  categoryWeights: z.record(z.string(), z.number()),
  gradeScores: z.record(z.string(), z.number()),
  turnout: z.array(z.object({ raterCategory, responses: z.number().int(), codesIssued: z.number().int().nullable() })),
  counts: z.array(tallyCount),
  subjects: z.array(subjectScore),
  /** How the counts become the subjects' scores, so anyone can recompute them. */
  rule: scoreRule,
  /** Whether the round counts, when the instrument sets a minimum turnout; null otherwise. */
  validity: validityResult.nullable(),
  /** SHA-256 of this instrument's counts and turnout (canonical JSON). */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
});
export type FeedInstrument = z.infer<typeof feedInstrument>;

export const feedBody = z
  .object({
    appraisal: id,
    asOf: z.string(),
    /** SHA-256 of the exact tally set: every instrument's digest, in order. Changes exactly when a count changes. */
    digest: z.string().regex(/^[0-9a-f]{64}$/),
    /** Pass as `since` to receive only instruments whose tallies changed after this answer. */
    cursor: z.string(),
    instruments: z.array(feedInstrument),
  })
  .meta({ id: 'Feed' });
export type FeedBody = z.infer<typeof feedBody>;

export const feedQuery = z.object({
  since: z.string().max(4000).optional(),
  format: z.enum(['json', 'csv']).optional(),
});
