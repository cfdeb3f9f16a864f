import { z } from 'zod';
import { id } from './common';

/** Question and option ids may carry a dot: a ballot's questions are "<subject>.<item>". */
export const key = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,95}$/, 'id 只能包含小写字母、数字、点和连字符');

export const option = z.object({ id: key, label: z.string().min(1).max(120) });
export type Option = z.infer<typeof option>;

/** Whom a question is about: a unit, a unit's leadership group, or an official. */
export const subjectKinds = ['unit', 'group', 'official'] as const;
export const subjectRef = z.object({ kind: z.enum(subjectKinds), id });
export type SubjectRef = z.infer<typeof subjectRef>;

const common = {
  id: key,
  subject: subjectRef.optional(),
  label: z.string().min(1).max(300),
  /** Optional helper text shown under the label. */
  hint: z.string().max(300).optional(),
  required: z.boolean().default(true),
  /**
   * `unknown`: the subject's 不了解 box (one option). Chosen, the subject's
   * other questions are left unanswered and its score leaves it out.
   */
  role: z.enum(['unknown']).optional(),
};

/** How many to choose, in the words a hint would use: the form says it from min/max already. */
const COUNT_WORDS =
  /可不选|可多选|多选|最多选|至少选|选择?\s*[0-9一二两三四五六七八九十]+\s*(?:至|到|-|~)?\s*[0-9一二两三四五六七八九十]*\s*[项个]/;

const uniqueOptions = (q: { options: Option[] }) => new Set(q.options.map((o) => o.id)).size === q.options.length;

export const choiceQuestion = z
  .object({ ...common, type: z.literal('choice'), options: z.array(option).min(2).max(50) })
  .refine(uniqueOptions, { message: '选项 id 重复', path: ['options'] });

export const multiQuestion = z
  .object({
    ...common,
    type: z.literal('multi'),
    options: z.array(option).min(1).max(200),
    min: z.number().int().min(0).default(0),
    max: z.number().int().min(1).optional(),
  })
  .refine(uniqueOptions, { message: '选项 id 重复', path: ['options'] })
  .refine((q) => q.max === undefined || (q.max >= q.min && q.max <= q.options.length), {
    message: 'max 必须不小于 min 且不大于选项数',
    path: ['max'],
  })
  .refine((q) => !q.hint || !COUNT_WORDS.test(q.hint), {
    message: '提示不要写选几项: 表单按 min/max 自动说明 (如“可不选, 最多选 3 项”), 写了会重复',
    path: ['hint'],
  });

export const textQuestion = z.object({
  ...common,
  type: z.literal('text'),
  maxLength: z.number().int().min(1).max(5000).default(500),
});

/** The one question model all instrument kinds expand into. */
export const question = z.discriminatedUnion('type', [choiceQuestion, multiQuestion, textQuestion]);
export type Question = z.infer<typeof question>;
export type QuestionInput = z.input<typeof question>;
