import { z } from 'zod';
import { id, isoDate } from './common';
import { subjectRef } from './question';

/** 结果公示: the department's final grades or bands, authored as content. */
export const result = z.object({
  appraisal: id,
  title: z.string().min(2).max(120),
  publishedOn: isoDate,
  /** The bands or grades used, best first (e.g. 先进 / 达标 / 诫勉). */
  bands: z.array(z.string().min(1).max(20)).min(2).max(8),
  entries: z
    .array(
      z.object({
        subject: subjectRef,
        band: z.string().min(1).max(20),
        /** Comprehensive score out of 100, if published. */
        score: z.number().min(0).max(100).optional(),
        /** Public satisfaction score out of 100 (e.g. 93.8). */
        satisfaction: z.number().min(0).max(100).optional(),
      }),
    )
    .min(1),
  note: z.string().max(2000).default(''),
});
export type Result = z.infer<typeof result>;
