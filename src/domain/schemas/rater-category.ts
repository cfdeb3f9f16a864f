import { z } from 'zod';

/**
 * 评议主体类别. Code holders belong to one of the first five; `public` is
 * anyone answering a public instrument without a code.
 */
export const raterCategories = [
  'party_deputy', // 党代表
  'npc_deputy', // 人大代表
  'cppcc_member', // 政协委员
  'masses_rep', // 群众代表
  'service_recipient', // 服务对象
  'public', // 社会公众 (no code)
] as const;
export const raterCategory = z.enum(raterCategories);
export type RaterCategory = z.infer<typeof raterCategory>;

/** The categories that can hold a one-time code. */
export const codeCategory = raterCategory.exclude(['public']);
export type CodeCategory = z.infer<typeof codeCategory>;
