import { z } from 'zod';
import { dateRange, id } from './common';

/** Front matter of a work summary (工作总结) or an official's annual report (述职报告); the body is Markdown. */
export const summary = z
  .object({
    appraisal: id,
    unit: id,
    kind: z.enum(['work-summary', 'annual-report']),
    /** Required for annual reports: whose report it is. */
    official: id.optional(),
    title: z.string().min(2).max(120),
    publicity: dateRange,
  })
  .refine((s) => s.kind === 'work-summary' || s.official !== undefined, {
    message: '述职报告必须注明 official',
    path: ['official'],
  });
export type Summary = z.infer<typeof summary>;
