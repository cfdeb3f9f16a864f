import { z } from 'zod';
import { raterCategory } from './rater-category';

/**
 * How an instrument's published counts become a subject's score: published
 * with the results, the feed and the open data, so anyone can recompute every
 * score from the counts (src/domain/tally.ts `subjectScores` is the one
 * implementation; tests/unit/score-rule.test.ts recomputes independently).
 */
export const scoreRule = z.object({
  /** Weight of each rater category in percent, summing to 100; empty: equal weights. */
  weights: z.record(raterCategory, z.number()),
  /** Points of each graded option; options without points (不了解, problems, text) are not scored. */
  gradeScores: z.record(z.string(), z.number()),
  /** Share of the subject's total score this instrument contributes, in percent. */
  share: z.number(),
  /** Whether 不了解 is offered: counted and published, never in a score's denominator. */
  unknown: z.boolean(),
  /** Known answers (responses that graded the subject) needed for a score; fewer: 样本不足. */
  minKnown: z.number().int(),
  /** The rule in words (zh-CN). */
  text: z.string(),
});
export type ScoreRule = z.infer<typeof scoreRule>;

/** Whether a round counts (e.g. ≥ 80% of the codes issued answered), per category, with the reason when not. */
export const validityResult = z.object({
  valid: z.boolean(),
  categories: z.array(
    z.object({
      raterCategory,
      /** Null where the public view suppressed it (src/domain/public-tally.ts). */
      responses: z.number().int().nullable(),
      codesIssued: z.number().int(),
      /** Percent required. */
      min: z.number(),
      /** Percent reached (responses / codes issued), one decimal; null with no codes issued. */
      reached: z.number().nullable(),
      met: z.boolean(),
    }),
  ),
  /** Why not, in words (zh-CN); empty when valid. */
  reasons: z.array(z.string()),
});
export type ValidityResult = z.infer<typeof validityResult>;
