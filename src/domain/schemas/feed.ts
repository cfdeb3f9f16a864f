import { z } from 'zod';
import { id } from './common';
import { instrument, instrumentStatus } from './instrument';
import { subjectScore, tallyCount } from './participation';
import { subjectRef } from './question';
import { raterCategory } from './rater-category';
import { scoreRule, validityResult } from './score-rule';

const sourceTurnout = z.array(z.object({ raterCategory, responses: z.number().int() }));
const sourceScore = z.object({
  /** Ballots of this source that graded the subject. */
  known: z.number().int(),
  /** The rule applied to this source's counts alone (null below the instrument's minimum of known answers). */
  score: z.number().nullable(),
});

/** A meeting's public counts, and how many of its paper ballots are counted. */
export const meetingFigures = z.object({
  id: z.string(),
  heldOn: z.string(),
  place: z.string(),
  categories: z.array(raterCategory),
  issued: z.number().int(),
  returned: z.number().int(),
  spoilt: z.number().int(),
  counted: z.number().int(),
});
export type MeetingFigures = z.infer<typeof meetingFigures>;

/**
 * The two sources of one instrument's figures (issue 19), exact: online
 * responses and paper ballots keyed from a meeting. `counts` and `turnout`
 * of the instrument are their sums; each subject's combined score is the rule
 * on the sums, shown beside each source's own score.
 */
export const feedSources = z.object({
  online: z.object({ turnout: sourceTurnout, counts: z.array(tallyCount) }),
  paper: z.object({ turnout: sourceTurnout, counts: z.array(tallyCount), meetings: z.array(meetingFigures) }),
  subjects: z.array(z.object({ subject: subjectRef, online: sourceScore, paper: sourceScore, combined: sourceScore })),
});
export type FeedSources = z.infer<typeof feedSources>;

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
  /** Online responses + paper ballots per category. */
  turnout: z.array(z.object({ raterCategory, responses: z.number().int(), codesIssued: z.number().int().nullable() })),
  /** Online + paper counts (what the scores are computed on); per source in `sources`. */
  counts: z.array(tallyCount),
  subjects: z.array(subjectScore),
  /** How the counts become the subjects' scores, so anyone can recompute them. */
  rule: scoreRule,
  /** Whether the round counts, when the instrument sets a minimum turnout; null otherwise. */
  validity: validityResult.nullable(),
  /** Online and paper side by side. Absent in snapshots taken before paper ballots were counted (all online). */
  sources: feedSources.optional(),
  /** SHA-256 of this instrument's counts and turnout (canonical JSON; with paper ballots, each source's too). */
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
