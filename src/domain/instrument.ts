import * as zm from 'zod/mini';
import type {
  IndicatorRule,
  Instrument,
  InstrumentSource,
  InstrumentStatus,
  OverrideState,
} from './schemas/instrument';
import type { Question, SubjectRef } from './schemas/question';
import type { RaterGroup } from './schemas/rater-category';

/** The suffix of a subject's 不了解 question ("<subject>.unknown") and its one option. */
export const UNKNOWN = 'unknown';
export const unknownQuestionId = (subject: string) => `${subject}.${UNKNOWN}`;

function unknownQuestion(subject: SubjectRef): Question {
  return {
    id: unknownQuestionId(subject.id),
    type: 'multi',
    subject,
    role: 'unknown',
    label: '不了解该对象',
    hint: '选择后不再评价该对象; 计入“不了解”人数, 不计入得分',
    required: false,
    options: [{ id: UNKNOWN, label: '不了解' }],
    min: 0,
    max: 1,
  };
}

/**
 * 不了解 is on unless the instrument says otherwise and every category that
 * may answer is internal (staff know their own unit).
 */
function unknownOn(src: InstrumentSource, groups: Record<string, RaterGroup>): boolean {
  if (src.kind !== 'ballot' && src.kind !== 'rating') return false;
  if (src.unknown !== undefined) return src.unknown;
  if (src.access === 'public') return true;
  return src.raterCategories.some((c) => groups[c] !== 'internal');
}

function indicatorRule(src: InstrumentSource): IndicatorRule | undefined {
  if (src.kind === 'rating') return { on: 'scale', good: [src.scale[0]?.id as string], alertShare: 1 / 3 };
  if (src.kind !== 'ballot') return undefined;
  const given = src.indicators;
  const overall = src.overall?.options.map((o) => o.id) ?? [];
  if (overall.length === 0) return { on: 'items', good: [src.grades[0]?.id as string], alertShare: 1 / 3 };
  return {
    on: 'overall',
    good: overall.slice(0, 1),
    ...(src.subjectKind === 'official' || given
      ? {
          excellent: given?.excellent ?? overall.slice(0, 1),
          competent: given?.competent ?? overall.slice(0, 2),
          incompetent: given?.incompetent ?? overall.slice(-1),
        }
      : {}),
    alertShare: given?.alertShare ?? 1 / 3,
  };
}

/**
 * Expand an authored instrument into the one question model. Question ids are
 * stable ("<subject>.<item>") so tallies stay comparable across edits of labels.
 */
export function expandInstrument(src: InstrumentSource, groups: Record<string, RaterGroup> = {}): Instrument {
  const { kind } = src;
  const unknown = unknownOn(src, groups);
  const indicators = indicatorRule(src);
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
    minKnown: src.minKnown,
    ...(src.validity ? { validity: src.validity } : {}),
    unknown,
    ...(indicators ? { indicators } : {}),
  };
  switch (src.kind) {
    case 'ballot': {
      const questions: Question[] = [];
      for (const s of src.subjects) {
        const subject = { kind: src.subjectKind, id: s };
        if (unknown) questions.push(unknownQuestion(subject));
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
        if (unknown) questions.push(unknownQuestion(subject));
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
 *
 * Questions about a subject follow the subject's rules instead of their own
 * `required`: a subject outside `scope` (the subjects a targeted code may
 * rate, 定点定向) must not be answered at all; a subject answered 不了解 must
 * have no other answer; any other subject in scope needs every required one.
 */
export type AnswersSchema = zm.ZodMiniType<Record<string, string | string[]>>;
const schemas = new WeakMap<object, Map<string, AnswersSchema>>();

const MESSAGES = {
  required: '请回答本题',
  outOfScope: '您的参与码不涉及这个评议对象',
  answeredUnknown: '已选“不了解”, 本对象的题目不用作答',
};

/** The subjects a scope lets a code rate in this instrument; null: all of them. */
/** The ids of the subjects an instrument's questions rate (a vote's candidates are options, not rated subjects). */
export const ratedSubjectIds = (inst: Pick<Instrument, 'questions'>): string[] => [
  ...new Set(inst.questions.flatMap((q) => (q.subject ? [q.subject.id] : []))),
];

export function scopedSubjects(
  inst: Pick<Instrument, 'questions'>,
  scope: string | null | undefined,
): Set<string> | null {
  if (!scope || scope === '*') return null;
  const wanted = new Set(scope.split(','));
  return new Set(inst.questions.flatMap((q) => (q.subject && wanted.has(q.subject.id) ? [q.subject.id] : [])));
}

/**
 * Whether a code of this scope may answer the instrument: an untargeted code
 * always, a targeted one (定点定向) where the instrument has none of its
 * subjects to rate only if it rates no subject at all (a questionnaire).
 */
export function coversInstrument(inst: Pick<Instrument, 'questions'>, scope: string | null | undefined): boolean {
  const subjects = scopedSubjects(inst, scope);
  return subjects === null || subjects.size > 0 || !inst.questions.some((q) => q.subject);
}

export function answersSchema(inst: Pick<Instrument, 'questions'>, scope?: string | null): AnswersSchema {
  // Built once per definition and scope: a ballot has hundreds of questions, and the API validates with it on every request.
  const key = scope ?? '*';
  let byScope = schemas.get(inst.questions);
  const cached = byScope?.get(key);
  if (cached) return cached;
  const inScope = scopedSubjects(inst, scope);
  const shape: Record<string, zm.ZodMiniType> = {};
  const bySubject = new Map<string, Question[]>();
  for (const q of inst.questions) {
    const s = questionAnswer(q);
    if (q.subject) {
      shape[q.id] = zm.optional(s);
      bySubject.set(q.subject.id, [...(bySubject.get(q.subject.id) ?? []), q]);
    } else {
      shape[q.id] = q.required && !(q.type === 'multi' && q.min === 0) ? s : zm.optional(s);
    }
  }
  let schema = zm.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? '没有这道题' : undefined),
  }) as unknown as AnswersSchema;
  if (bySubject.size > 0) {
    schema = schema.check(
      zm.superRefine((answers: Record<string, string | string[]>, ctx) => {
        const issue = (q: Question, message: string) =>
          ctx.addIssue({ code: 'custom', message, path: [q.id], input: answers[q.id] });
        for (const [subject, questions] of bySubject) {
          const answered = questions.filter((q) => answers[q.id] !== undefined);
          if (inScope && !inScope.has(subject)) {
            for (const q of answered) issue(q, MESSAGES.outOfScope);
            continue;
          }
          const unknown = questions.find((q) => q.role === 'unknown');
          const saysUnknown = unknown !== undefined && (answers[unknown.id]?.length ?? 0) > 0;
          for (const q of questions) {
            if (q === unknown) continue;
            if (saysUnknown && answers[q.id] !== undefined) issue(q, MESSAGES.answeredUnknown);
            const needed = q.required && !(q.type === 'multi' && q.min === 0);
            if (!saysUnknown && needed && answers[q.id] === undefined) issue(q, MESSAGES.required);
          }
        }
      }),
    ) as AnswersSchema;
  }
  if (!byScope) {
    byScope = new Map();
    schemas.set(inst.questions, byScope);
  }
  byScope.set(key, schema);
  return schema;
}
export type Answers = Record<string, string | string[]>;
