import { z } from 'zod';
import { id } from './common';

export const official = z.object({
  id,
  name: z.string().min(2).max(20),
  post: z.string().min(2).max(60),
  unit: id,
});
export type Official = z.infer<typeof official>;
