import { z } from 'zod';
import { dateRange, id, isoDate } from './common';
import { raterCategoryDef } from './rater-category';

/** The phases of one yearly round (seed 000 "六环", seed 004). */
export const phases = z.object({
  /** 考核预告: schedule and subjects announced. */
  notice: dateRange,
  /** 政绩公示: work summaries and annual reports public. */
  publicity: dateRange,
  /** 民意征集: online votes, questionnaires, ratings, forum, opinion box. */
  opinion: dateRange,
  /** 实地考核: appraisal teams visit units (interviews, ballots). */
  fieldwork: dateRange,
  /** 结果公示. */
  results: dateRange,
  /** 申诉截止: last day for a written objection. */
  objectionDeadline: isoDate,
});
export type Phases = z.infer<typeof phases>;

export const forumSettings = z.object({
  /** pre: posts wait for an observer; post: visible at once, can be hidden. */
  moderation: z.enum(['pre', 'post']).default('pre'),
  /** Posting needs a valid participation code (checked, never consumed or stored with the post). */
  requireCode: z.boolean().default(false),
  /** Reports that hide a post until it is reviewed. */
  reportThreshold: z.number().int().min(1).max(100).default(5),
});

/**
 * 申诉 / 质询 after the results (seed 000: within 10 days; seed 004: the lead
 * department answers, the leading group reviews). The window runs from each
 * result's publication; the two deadlines count working days from filing.
 */
export const objectionSettings = z.object({
  days: z.number().int().min(1).max(60).default(10),
  howTo: z.string(),
  /** Working days to accept an objection or refuse it with reasons (受理). */
  acceptWorkingDays: z.number().int().min(1).max(30).default(5),
  /** Working days from filing to the written answer (答复). */
  answerWorkingDays: z.number().int().min(1).max(60).default(15),
});

/** The opinion box: the reply deadline every message shows (e.g. 15 个工作日内答复). */
export const messageSettings = z.object({
  replyWorkingDays: z.number().int().min(1).max(60).default(15),
});

/** The rectification ledger (整改台账) of the round: the questionnaire that asks how rectification went links it. */
export const rectificationSettings = z.object({
  questionnaire: id.optional(),
});

/**
 * What the public may see of the counts (统计披露): no published count between
 * 1 and minCell-1 in any breakdown, and no score or share from fewer than
 * minCell answers. See src/domain/disclosure.ts.
 */
export const disclosureSettings = z.object({
  minCell: z.number().int().min(2).max(50).default(5),
});

export const appraisal = z.object({
  id,
  year: z.number().int().min(2000).max(2100),
  title: z.string().min(2).max(120),
  /** The issuing authority (e.g. 中共某县委组织部). */
  authority: z.string().min(2).max(80),
  region: z.string().min(2).max(40),
  summary: z.string().max(2000),
  phases,
  /** The six steps of the procedure, in order, as shown on the notice. */
  procedure: z.array(z.object({ title: z.string(), description: z.string() })).min(1),
  /** Ways to give an opinion besides the portal (phone, mail, boxes). */
  channels: z.array(z.object({ name: z.string(), detail: z.string() })).default([]),
  objection: objectionSettings,
  forum: forumSettings.default({ moderation: 'pre', requireCode: false, reportThreshold: 5 }),
  messages: messageSettings.default({ replyWorkingDays: 15 }),
  rectification: rectificationSettings.default({}),
  disclosure: disclosureSettings.default({ minCell: 5 }),
  /** 评议主体类别 of this round: who may rate, with their labels; instruments name them and weight them. */
  raterCategories: z
    .array(raterCategoryDef)
    .min(1)
    .refine((cs) => new Set(cs.map((c) => c.id)).size === cs.length, { message: '评议主体类别 id 重复' }),
});
export type Appraisal = z.infer<typeof appraisal>;
