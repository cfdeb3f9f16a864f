import * as zm from 'zod/mini';
import type { Instrument, InstrumentSource, InstrumentStatus, OverrideState } from './schemas/instrument';
import type { Question } from './schemas/question';

/**
 * Expand an authored instrument into the one question model. Question ids are
 * stable ("<subject>.<item>") so tallies stay comparable across edits of labels.
 */
export function expandInstrument(src: InstrumentSource): Instrument {
  const { kind } = src;
  const base = {
    id: src.id,
    appraisal: src.appraisal,
    title: src.title,
    description: src.description,
    access: src.access,
    raterCategories: src.raterCategories,
    categoryWeights: src.categoryWeights,
    gradeScores: src.gradeScores,
    share: src.share,
    opensAt: src.opensAt,
    closesAt: src.closesAt,
    tallyPolicy: src.tallyPolicy,
  };
  switch (src.kind) {
    case 'ballot': {
      const questions: Question[] = [];
      for (const s of src.subjects) {
        const subject = { kind: src.subjectKind, id: s };
        for (const item of src.items) {
          questions.push({
            id: `${s}.${item.id}`,
            type: 'choice',
            subject,
            label: item.label,
            hint: item.category,
            required: true,
            options: src.grades,
          });
        }
        if (src.overall) {
          questions.push({
            id: `${s}.overall`,
            type: 'choice',
            subject,
            label: src.overall.label,
            required: true,
            options: src.overall.options,
          });
        }
        if (src.problems.length > 0) {
          questions.push({
            id: `${s}.problems`,
            type: 'multi',
            subject,
            label: '存在的主要问题 (反向测评, 可多选, 可不选)',
            required: false,
            options: src.problems,
            min: 0,
            max: src.problems.length,
          });
        }
      }
      return {
        ...base,
        kind,
        questions,
        layout: { subjects: src.subjects.map((id) => ({ kind: src.subjectKind, id })) },
      };
    }
    case 'rating': {
      const questions: Question[] = [];
      for (const s of src.subjects) {
        const subject = { kind: 'unit' as const, id: s };
        questions.push({ id: s, type: 'choice', subject, label: '满意度', required: true, options: src.scale });
        if (src.comment) {
          questions.push({
            id: `${s}.comment`,
            type: 'text',
            subject,
            label: '意见建议 (选填)',
            required: false,
            maxLength: src.comment.maxLength,
          });
        }
      }
      return { ...base, kind, questions, layout: { subjects: src.subjects.map((id) => ({ kind: 'unit', id })) } };
    }
    case 'vote':
      return {
        ...base,
        kind,
        questions: [
          {
            id: 'choice',
            type: 'multi',
            label: src.prompt,
            required: true,
            options: src.candidates.map(({ id, label }) => ({ id, label })),
            min: src.min,
            max: src.max,
          },
        ],
        layout: { subjects: src.candidates.flatMap((c) => (c.subject ? [c.subject] : [])) },
      };
    case 'questionnaire':
      return { ...base, kind, questions: src.questions, layout: { subjects: [] } };
  }
}

/**
 * The status at `now`. A staff override in D1 (closed early, paused) wins over
 * the dates; a paused instrument reads as not open.
 */
export function instrumentStatus(
  inst: Pick<Instrument, 'opensAt' | 'closesAt'>,
  now: Date,
  override?: OverrideState | null,
): InstrumentStatus {
  if (override === 'closed') return 'closed';
  const t = now.toISOString();
  if (t >= inst.closesAt) return 'closed';
  if (t < inst.opensAt || override === 'paused') return 'not_open';
  return 'open';
}

// zod/mini: the island validates with this schema too, and classic zod alone
// would be ~19 KB of the participation pages' 40 KB JavaScript budget.
const required = (q: Question) => (iss: { input?: unknown }) =>
  iss.input === undefined ? '请回答本题' : q.type === 'text' ? '请填写文字' : '不是本题的有效选项';

const questionAnswer = (q: Question): zm.ZodMiniType => {
  switch (q.type) {
    case 'choice': {
      const ids = q.options.map((o) => o.id) as [string, ...string[]];
      return zm.enum(ids, { error: required(q) });
    }
    case 'multi': {
      const ids = q.options.map((o) => o.id) as [string, ...string[]];
      const max = q.max ?? q.options.length;
      return zm.array(zm.enum(ids, { error: '不是本题的有效选项' }), { error: required(q) }).check(
        zm.minLength(q.min, { error: `至少选择 ${q.min} 项` }),
        zm.maxLength(max, { error: `最多选择 ${max} 项` }),
        zm.refine((a: string[]) => new Set(a).size === a.length, { error: '选项重复' }),
      );
    }
    case 'text':
      return zm
        .string({ error: required(q) })
        .check(
          zm.trim(),
          zm.minLength(q.required ? 1 : 0, { error: '请填写本题' }),
          zm.maxLength(q.maxLength, { error: `不超过 ${q.maxLength} 个字符` }),
        );
  }
};

/**
 * The zod schema of a response's answers to this instrument: the island
 * validates the form with it, the API validates the request with it.
 * Unknown question ids are refused; optional questions may be left out.
 */
export type AnswersSchema = zm.ZodMiniType<Record<string, string | string[]>>;
const schemas = new WeakMap<object, AnswersSchema>();

export function answersSchema(inst: Pick<Instrument, 'questions'>): AnswersSchema {
  // Built once per definition: a ballot has hundreds of questions, and the API validates with it on every request.
  const cached = schemas.get(inst.questions);
  if (cached) return cached;
  const shape: Record<string, zm.ZodMiniType> = {};
  for (const q of inst.questions) {
    const s = questionAnswer(q);
    shape[q.id] = q.required && !(q.type === 'multi' && q.min === 0) ? s : zm.optional(s);
  }
  const schema = zm.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? '没有这道题' : undefined),
  }) as unknown as AnswersSchema;
  schemas.set(inst.questions, schema);
  return schema;
}
export type Answers = Record<string, string | string[]>;
