import { z } from 'zod';
import { id } from './common';

/** Unit categories of a performance appraisal (seed 004). */
export const unitCategory = z.enum(['economic', 'enforcement', 'party', 'stationed']);
export type UnitCategory = z.infer<typeof unitCategory>;

export const unit = z.object({
  id,
  name: z.string().min(2).max(60),
  /** A short name used in tables and charts. */
  shortName: z.string().min(1).max(20).optional(),
  category: unitCategory,
  /** The unit this one belongs to, if any. */
  parent: id.optional(),
  profile: z.string().max(2000),
  address: z.string().max(120).optional(),
  phone: z.string().max(24).optional(),
});
export type Unit = z.infer<typeof unit>;
