import { z } from 'zod';
import { email, id, phone } from './common';

/** An observer's public contact card (定点观察员 / 民意调查员). Accounts live in D1, not here. */
export const observer = z.object({
  id,
  appraisal: id,
  name: z.string().min(2).max(20),
  role: z.enum(['fixed-point', 'opinion-survey']),
  phone,
  email,
  units: z.array(id).default([]),
});
export type Observer = z.infer<typeof observer>;
