import { z } from 'zod';
import { id, isoDateTime } from './common';
import { key, option, question } from './question';
import { codeCategory, raterCategory } from './rater-category';

/**
 * When tallies may be read by the public: `public` (while open, too),
 * `after_close`, or `internal` (only observers and the feed).
 */
export const tallyPolicy = z.enum(['public', 'after_close', 'internal']);

/** A promise of live per-option counts or results, which the privacy rules forbid before close. */
const LIVE_TALLY = /(投票情况|得票数?|票数|结果)\s*实时|实时\s*(公开|公布|显示)?\s*(投票)?(情况|得票|票数|结果)/;

const base = z.object({
  id,
  appraisal: id,
  title: z.string().min(2).max(120),
  description: z
    .string()
    .max(2000)
    .default('')
    .refine((s) => !LIVE_TALLY.test(s), {
      message: '不能承诺实时公开得票或结果: 得票在截止后才公布, 截止前只公开参与人数 (每满 5 人更新)',
    }),
  /** `code`: one response per one-time code of an allowed category; `public`: anyone, with Turnstile and rate limits. */
  access: z.enum(['code', 'public']),
  /** For `code` instruments, the categories whose codes may answer. */
  raterCategories: z.array(codeCategory).default([]),
  /** Weight of each rater category in a subject's score, in percent (e.g. 40/30/20/10); they sum to 100. */
  categoryWeights: z.record(raterCategory, z.number().min(0).max(100)).default({}),
  /** Score of each graded option id (e.g. good=100, fair=60, poor=0). */
  gradeScores: z.record(key, z.number().min(0).max(100)).default({}),
  /** Share of the subject's total appraisal score this instrument contributes, in percent (e.g. 20). */
  share: z.number().min(0).max(100).default(0),
  opensAt: isoDateTime,
  closesAt: isoDateTime,
  tallyPolicy: tallyPolicy.default('after_close'),
  /**
   * 不了解: each subject may be answered "don't know" instead of being graded;
   * counted and published, left out of the score's denominator. Default: on
   * when any category that may answer is external or public (internal raters
   * know their own unit).
   */
  unknown: z.boolean().optional(),
  /** Known answers a subject needs to be scored; below it the subject is "样本不足". */
  minKnown: z.number().int().min(1).max(1000).default(5),
  /**
   * When a round counts (e.g. at least 80% of the codes issued to a category
   * answered, as at an evaluation meeting): percent per rater category.
   */
  validity: z.object({ minTurnout: z.record(raterCategory, z.number().min(0).max(100)) }).optional(),
  /** A public instrument's short link, /s/<short>/, for posters and WeChat groups: lower-case letters and digits. */
  short: z
    .string()
    .regex(/^[a-z0-9]{3,16}$/, '短链接只能用 3 至 16 个小写字母或数字')
    .optional(),
});

const defaultGrades = [
  { id: 'good', label: '好' },
  { id: 'fair', label: '中' },
  { id: 'poor', label: '差' },
];

/** 民主测评: subjects x items graded 好/中/差, an overall grade, and the reverse-evaluation checklist. */
export const ballotSource = base.extend({
  kind: z.literal('ballot'),
  subjectKind: z.enum(['group', 'official']),
  subjects: z.array(id).min(1).max(200),
  items: z
    .array(z.object({ id: key, category: z.string().min(1).max(40), label: z.string().min(1).max(200) }))
    .min(1)
    .max(60),
  grades: z.array(option).min(2).max(10).default(defaultGrades),
  overall: z.object({ label: z.string().min(1).max(120), options: z.array(option).min(2).max(10) }).optional(),
  problems: z.array(option).max(20).default([]),
  /**
   * Which overall grades make 优秀率, 称职率 and the 不称职 share, and the share
   * of 不称职 that flags a subject for follow-up (practice: over one third).
   * Defaults: the first option, the first two, the last.
   */
  indicators: z
    .object({
      excellent: z.array(key).min(1).optional(),
      competent: z.array(key).min(1).optional(),
      incompetent: z.array(key).min(1).optional(),
      alertShare: z
        .number()
        .min(0)
        .max(1)
        .default(1 / 3),
    })
    .optional(),
});

/** 问卷: questions written out. */
export const questionnaireSource = base.extend({
  kind: z.literal('questionnaire'),
  questions: z.array(question).min(1).max(200),
});

/** 满意度评议: each unit rated on a scale, with an optional comment. */
export const ratingSource = base.extend({
  kind: z.literal('rating'),
  subjects: z.array(id).min(1).max(300),
  scale: z
    .array(option)
    .min(2)
    .max(10)
    .default([
      { id: 'satisfied', label: '满意' },
      { id: 'basically', label: '基本满意' },
      { id: 'unsatisfied', label: '不满意' },
    ]),
  comment: z.object({ maxLength: z.number().int().min(1).max(2000) }).optional(),
});

/** 网上投票: choose between min and max candidates. */
export const voteSource = base.extend({
  kind: z.literal('vote'),
  prompt: z.string().min(1).max(300),
  candidates: z
    .array(option.extend({ subject: z.object({ kind: z.enum(['unit', 'group', 'official']), id }).optional() }))
    .min(2)
    .max(200),
  min: z.number().int().min(1).default(1),
  max: z.number().int().min(1),
});

function checkInstrument(
  src: z.infer<typeof base> & { kind: string; min?: number; max?: number; candidates?: unknown[] },
  ctx: z.RefinementCtx,
) {
  if (src.closesAt <= src.opensAt)
    ctx.addIssue({ code: 'custom', path: ['closesAt'], message: '截止时间必须晚于开始时间' });
  if (src.access === 'code' && src.raterCategories.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['raterCategories'], message: '凭码参与的测评必须列出可参与的评议主体类别' });
  }
  if (src.access === 'public' && src.raterCategories.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['raterCategories'], message: '公开参与的测评不设评议主体类别' });
  }
  const weights = Object.values(src.categoryWeights);
  if (weights.length > 0) {
    const sum = weights.reduce((s, w) => s + (w ?? 0), 0);
    if (Math.abs(sum - 100) > 1e-9) {
      ctx.addIssue({ code: 'custom', path: ['categoryWeights'], message: `评议主体权重之和应为 100, 实为 ${sum}` });
    }
  }
  if (src.short && src.access !== 'public') {
    ctx.addIssue({ code: 'custom', path: ['short'], message: '只有公开测评 (access: public) 才有短链接和海报' });
  }
  if (src.kind === 'vote' && src.max !== undefined && src.min !== undefined) {
    if (src.max < src.min || src.max > (src.candidates?.length ?? 0)) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: 'max 必须不小于 min 且不大于候选数' });
    }
  }
}

/** An instrument as authored in `src/content/instruments/`. */
export const instrumentSource = z
  .discriminatedUnion('kind', [ballotSource, questionnaireSource, ratingSource, voteSource])
  .superRefine(checkInstrument);
export type InstrumentSource = z.infer<typeof instrumentSource>;
export type InstrumentKind = InstrumentSource['kind'];

/**
 * The option ids behind each published indicator of a subject, and the
 * question they are read from: `overall` (a ballot's overall grade), `items`
 * (a ballot without one: every graded item), `scale` (a rating).
 */
export const indicatorRule = z.object({
  on: z.enum(['overall', 'items', 'scale']),
  /** 好评率 / 满意率: the best grade. */
  good: z.array(key),
  /** 优秀率, 称职率 and the 不称职 share (ballots about officials with an overall grade). */
  excellent: z.array(key).optional(),
  competent: z.array(key).optional(),
  incompetent: z.array(key).optional(),
  /** 不称职 share above which a subject is flagged for follow-up. */
  alertShare: z.number(),
});
export type IndicatorRule = z.infer<typeof indicatorRule>;

/** An instrument expanded into the one question model: what the API serves and validates against. */
export const instrument = base.extend({
  kind: z.enum(['ballot', 'questionnaire', 'rating', 'vote']),
  unknown: z.boolean(),
  indicators: indicatorRule.optional(),
  questions: z.array(question),
  /** For ballots: the grade options and the item categories, for grouping on screen. */
  layout: z
    .object({
      subjects: z.array(z.object({ kind: z.enum(['unit', 'group', 'official']), id })).default([]),
    })
    .default({ subjects: [] }),
});
export type Instrument = z.infer<typeof instrument>;

export const instrumentStatus = z.enum(['not_open', 'open', 'closed']);
export type InstrumentStatus = z.infer<typeof instrumentStatus>;

/** Staff's override of an instrument's window (paused, closed early), kept in D1 beside the content's dates. */
export const overrideStates = ['paused', 'closed'] as const;
export const overrideState = z.enum(overrideStates);
export type OverrideState = z.infer<typeof overrideState>;

export { raterCategory };
