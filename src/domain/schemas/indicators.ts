import { z } from 'zod';
import { id } from './common';

export const indicator = z.object({
  id,
  name: z.string().min(2).max(60),
  points: z.number().positive().max(100),
  standard: z.string().max(500),
});

export const indicatorArea = z.object({
  id,
  name: z.string().min(2).max(40),
  /** Share of the total score, in percent. */
  weight: z.number().positive().max(100),
  indicators: z.array(indicator).min(1),
});

/** 指标体系 of one appraisal: areas weights sum to 100; each area's points sum to its weight. */
export const indicatorSystem = z
  .object({
    id,
    appraisal: id,
    title: z.string().min(2).max(80),
    areas: z.array(indicatorArea).min(1),
  })
  .superRefine((sys, ctx) => {
    const total = sys.areas.reduce((s, a) => s + a.weight, 0);
    if (Math.abs(total - 100) > 1e-9) {
      ctx.addIssue({ code: 'custom', path: ['areas'], message: `各领域权重之和应为 100, 实为 ${total}` });
    }
    sys.areas.forEach((area, i) => {
      const points = area.indicators.reduce((s, x) => s + x.points, 0);
      if (Math.abs(points - area.weight) > 1e-9) {
        ctx.addIssue({
          code: 'custom',
          path: ['areas', i, 'indicators'],
          message: `“${area.name}”的指标分值之和应为 ${area.weight}, 实为 ${points}`,
        });
      }
    });
  });
export type IndicatorSystem = z.infer<typeof indicatorSystem>;
