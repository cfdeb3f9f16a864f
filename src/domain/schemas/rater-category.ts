import { z } from 'zod';

/**
 * 评议主体类别: who rates. Each appraisal lists its own (content:
 * `raterCategories` of src/content/appraisals/*.yaml), with a Chinese label
 * and a group, because the practice weights internal raters (本单位班子成员,
 * 中层干部 …, seed 001) as well as deputies, service recipients and the
 * public (seeds 000, 003, 004). `public` is the one category of public
 * instruments: anyone, without a code.
 */
export const raterCategoryId = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, '评议主体类别 id 只能包含小写字母、数字和下划线, 以字母开头');
export type RaterCategory = z.infer<typeof raterCategoryId>;

/** The category of public instruments (no code). */
export const PUBLIC_CATEGORY = 'public';

/**
 * internal: staff of the appraised unit, who know it (no 不了解 by default);
 * external: deputies, members, service recipients and others with a code;
 * public: anyone, without a code.
 */
export const raterGroups = ['internal', 'external', 'public'] as const;
export const raterGroup = z.enum(raterGroups);
export type RaterGroup = z.infer<typeof raterGroup>;

export const raterCategoryDef = z
  .object({
    id: raterCategoryId,
    label: z.string().min(1).max(30),
    group: raterGroup,
    /** Who belongs to it, for the notice and the code slips (e.g. 在编在岗的中层正副职). */
    description: z.string().max(200).optional(),
  })
  .refine((c) => (c.id === PUBLIC_CATEGORY) === (c.group === 'public'), {
    message: `只有 id 为 ${PUBLIC_CATEGORY} 的类别属于 public 组 (社会公众, 无需参与码)`,
    path: ['group'],
  });
export type RaterCategoryDef = z.infer<typeof raterCategoryDef>;

/** The ids of schemas that used the fixed list: any category id; the content check ties it to its appraisal. */
export const raterCategory = raterCategoryId;
/** A category that holds one-time codes: any but `public`. */
export const codeCategory = raterCategoryId.refine((c) => c !== PUBLIC_CATEGORY, {
  message: '社会公众不使用参与码',
});
export type CodeCategory = z.infer<typeof codeCategory>;
