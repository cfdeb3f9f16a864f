import { z } from 'zod';
import { email, id, isoDate, phone } from './common';

const person = z.object({ name: z.string().min(2).max(20), post: z.string().min(2).max(60) });

export const team = z.object({
  id,
  appraisal: id,
  name: z.string().min(2).max(40),
  leader: person,
  members: z.array(person).min(1),
  phone,
  email,
  /** The units this team appraises and the day it appraises each. */
  units: z.array(z.object({ unit: id, date: isoDate })).min(1),
});
export type Team = z.infer<typeof team>;
