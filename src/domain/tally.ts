// Counting: what a response adds to the tallies, the canonical form it is
// stored in, and the weighted score of each subject.
import { type Answers, coversInstrument, scopedSubjects } from './instrument';
import type { Instrument, InstrumentStatus } from './schemas/instrument';
import type { SubjectIndicators, SubjectScore, TallyCount } from './schemas/participation';
import type { SubjectRef } from './schemas/question';
import type { RaterCategory } from './schemas/rater-category';
import type { ScoreRule, ValidityResult } from './schemas/score-rule';

/** Text answers are counted under this option id; their text is kept only in the response. */
export const TEXT_OPTION = '_text';

/** The (question, option) pairs one validated response adds one to. */
export function tallyPairs(inst: Pick<Instrument, 'questions'>, answers: Answers): [string, string][] {
  const pairs: [string, string][] = [];
  for (const q of inst.questions) {
    const a = answers[q.id];
    if (a === undefined) continue;
    if (q.type === 'choice' && typeof a === 'string') pairs.push([q.id, a]);
    else if (q.type === 'multi' && Array.isArray(a)) for (const o of a) pairs.push([q.id, o]);
    else if (q.type === 'text' && typeof a === 'string' && a.trim() !== '') pairs.push([q.id, TEXT_OPTION]);
  }
  return pairs;
}

/** Canonical answers: keys sorted, multi choices sorted, text trimmed; one stored form per meaning. */
export function canonicalAnswers(answers: Answers): string {
  const out: Record<string, string | string[]> = {};
  for (const k of Object.keys(answers).sort()) {
    const v = answers[k] as string | string[];
    out[k] = Array.isArray(v) ? [...v].sort() : v.trim();
  }
  return JSON.stringify(out);
}

/** Recount tallies and turnout from stored responses (what `tally:verify` compares against the counters). */
export function recount(
  inst: Pick<Instrument, 'questions'>,
  responses: { raterCategory: string; answers: Answers }[],
): { counts: Map<string, number>; turnout: Map<string, number> } {
  const counts = new Map<string, number>();
  const turnout = new Map<string, number>();
  for (const r of responses) {
    turnout.set(r.raterCategory, (turnout.get(r.raterCategory) ?? 0) + 1);
    for (const [q, o] of tallyPairs(inst, r.answers)) {
      const k = countKey(q, o, r.raterCategory);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return { counts, turnout };
}
export const countKey = (question: string, option: string, category: string) =>
  `${question}\u0000${option}\u0000${category}`;

/** The subjects of an instrument, in order. */
export function subjectsOf(inst: Pick<Instrument, 'questions' | 'layout'>): SubjectRef[] {
  if (inst.layout.subjects.length > 0) return inst.layout.subjects;
  const seen = new Map<string, SubjectRef>();
  for (const q of inst.questions) if (q.subject) seen.set(`${q.subject.kind}:${q.subject.id}`, q.subject);
  return [...seen.values()];
}

/**
 * The question a subject's known answers are counted on: the one every
 * response that graded the subject answers exactly once (a ballot's overall
 * grade, else its first graded item; a rating's scale).
 */
export function anchorOf(inst: Pick<Instrument, 'questions' | 'gradeScores'>, subject: SubjectRef) {
  const own = inst.questions.filter(
    (q) => q.subject?.id === subject.id && q.subject.kind === subject.kind && q.role !== 'unknown',
  );
  const graded = own.filter((q) => q.type === 'choice' && q.options.some((o) => inst.gradeScores[o.id] !== undefined));
  return graded.find((q) => q.id.endsWith('.overall')) ?? graded[0] ?? own.find((q) => q.type === 'choice');
}

/** The rule that turns counts into scores, as published (feed, results, open data). */
export function scoreRuleOf(
  inst: Pick<Instrument, 'categoryWeights' | 'gradeScores' | 'share' | 'unknown' | 'minKnown'>,
): ScoreRule {
  const weights = inst.categoryWeights as Record<string, number>;
  const parts = [
    '票数按题目公布, 题目编号第一个点号之前的部分即评议对象编号 (如 fgj.theory 属于 fgj)。',
    '每个评议对象: 先按评议主体类别分别计算平均分 (该类别对该对象所有计分选项的得分之和 ÷ 作答次数, 选项分值见 gradeScores),',
    Object.keys(weights).length > 0
      ? '再按类别权重加权 (weights, 合计 100%); 某类别无人作答时, 其余类别的权重按比例放大到 100%。'
      : '再对各类别的平均分取算术平均。',
    inst.unknown ? '选择“不了解”的答卷计数公布, 但不计入得分, 也不计入分母。' : '',
    `了解该对象的答卷少于 ${inst.minKnown} 份时标为“样本不足”, 不计分。`,
    inst.share > 0 ? `得分 × ${inst.share}% 为本测评计入该对象考核总分的分值。` : '',
    '得分四舍五入保留两位小数。',
  ];
  return {
    weights,
    gradeScores: inst.gradeScores,
    share: inst.share,
    unknown: inst.unknown,
    minKnown: inst.minKnown,
    text: parts.filter(Boolean).join(''),
  };
}

const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10000) / 10000 : null);

/** 好评率, 优秀率, 称职率, 不称职 share and the alert, from the counts of the indicator's question. */
function indicatorsOf(
  inst: Pick<Instrument, 'questions' | 'gradeScores' | 'indicators'>,
  subject: SubjectRef,
  counts: TallyCount[],
): SubjectIndicators | undefined {
  const rule = inst.indicators;
  if (!rule) return undefined;
  const own = inst.questions.filter(
    (q) => q.subject?.id === subject.id && q.subject.kind === subject.kind && q.role !== 'unknown',
  );
  const on =
    rule.on === 'overall'
      ? own.filter((q) => q.id.endsWith('.overall'))
      : own.filter((q) => q.type === 'choice' && q.options.some((o) => inst.gradeScores[o.id] !== undefined));
  const ids = new Set(on.map((q) => q.id));
  const of = (options?: string[]) =>
    options === undefined
      ? undefined
      : counts.filter((c) => ids.has(c.question) && options.includes(c.option)).reduce((n, c) => n + c.count, 0);
  const all = counts.filter((c) => ids.has(c.question)).reduce((n, c) => n + c.count, 0);
  const out: SubjectIndicators = { good: share(of(rule.good) ?? 0, all), alert: false };
  if (rule.excellent) out.excellent = share(of(rule.excellent) ?? 0, all);
  if (rule.competent) out.competent = share(of(rule.competent) ?? 0, all);
  if (rule.incompetent) {
    out.incompetent = share(of(rule.incompetent) ?? 0, all);
    out.alert = all > 0 && (of(rule.incompetent) ?? 0) / all > rule.alertShare;
  }
  return out;
}

/**
 * Weighted score of every subject (the rule of `scoreRuleOf`): per rater
 * category the mean grade score of its graded answers about the subject, then
 * the categories combined by their weights (renormalised over categories that
 * answered; equal weights when the instrument sets none). 不了解 and other
 * unscored options stay out of every mean. A subject with fewer known answers
 * than `minKnown` is "insufficient" and gets no score. Example: 40/30/20/10
 * with 好=100, 中=60, 差=0.
 */
export function subjectScores(
  inst: Pick<
    Instrument,
    'questions' | 'categoryWeights' | 'gradeScores' | 'share' | 'layout' | 'minKnown' | 'indicators'
  >,
  counts: TallyCount[],
): SubjectScore[] {
  const questionSubject = new Map(
    inst.questions.filter((q) => q.subject && q.role !== 'unknown').map((q) => [q.id, q.subject]),
  );
  const unknownOf = new Map(
    inst.questions.filter((q) => q.role === 'unknown' && q.subject).map((q) => [q.subject?.id as string, q.id]),
  );
  return subjectsOf(inst).map((subject) => {
    const sums = new Map<RaterCategory, { points: number; answers: number }>();
    for (const c of counts) {
      const s = questionSubject.get(c.question);
      const score = inst.gradeScores[c.option];
      if (!s || s.kind !== subject.kind || s.id !== subject.id || score === undefined) continue;
      const acc = sums.get(c.raterCategory) ?? { points: 0, answers: 0 };
      acc.points += score * c.count;
      acc.answers += c.count;
      sums.set(c.raterCategory, acc);
    }
    const anchor = anchorOf(inst, subject);
    const known = counts.filter((c) => c.question === anchor?.id).reduce((n, c) => n + c.count, 0);
    const unknownId = unknownOf.get(subject.id);
    const unknown = counts.filter((c) => c.question === unknownId).reduce((n, c) => n + c.count, 0);
    const byCategory = [...sums]
      .filter(([, v]) => v.answers > 0)
      .map(([raterCategory, v]) => ({ raterCategory, score: round(v.points / v.answers), answers: v.answers }));
    const configured = Object.keys(inst.categoryWeights).length > 0;
    let weightSum = 0;
    let weighted = 0;
    for (const [cat, v] of sums) {
      if (v.answers === 0) continue;
      const w = configured ? (inst.categoryWeights[cat] ?? 0) : 1;
      weightSum += w;
      weighted += w * (v.points / v.answers);
    }
    const enough = known >= inst.minKnown;
    const score = enough && weightSum > 0 ? round(weighted / weightSum) : null;
    const indicators = indicatorsOf(inst, subject, counts);
    return {
      subject,
      status: enough ? 'scored' : 'insufficient',
      known,
      unknown,
      score,
      // score × share% in hundredths: (score × share) / 100 would round 8.915 down through binary fractions.
      contribution: score === null ? null : Math.round(score * inst.share) / 100,
      byCategory,
      ...(indicators ? { indicators } : {}),
    };
  });
}

/**
 * Whether the round counts: for each category the instrument names, the
 * responses must reach its minimum share of the codes issued (e.g. 80%, as at
 * an evaluation meeting). Null when the instrument sets no such rule.
 */
export function validityOf(
  inst: Pick<Instrument, 'validity'>,
  turnout: { raterCategory: string; responses: number; codesIssued: number | null }[],
  label: (category: string) => string = (c) => c,
): ValidityResult | null {
  const rule = inst.validity?.minTurnout;
  if (!rule) return null;
  const categories = Object.entries(rule).map(([raterCategory, min]) => {
    const t = turnout.find((x) => x.raterCategory === raterCategory);
    const responses = t?.responses ?? 0;
    const codesIssued = t?.codesIssued ?? 0;
    const reached = codesIssued > 0 ? Math.round((responses / codesIssued) * 1000) / 10 : null;
    return { raterCategory, responses, codesIssued, min, reached, met: reached !== null && reached >= min };
  });
  const reasons = categories
    .filter((c) => !c.met)
    .map((c) =>
      c.reached === null
        ? `${label(c.raterCategory)}未发放参与码`
        : `${label(c.raterCategory)}参评率 ${c.reached}% (${c.responses}/${c.codesIssued}), 低于 ${c.min}%`,
    );
  return { valid: reasons.length === 0, categories, reasons };
}

/** Live codes of an appraisal, counted per rater category and scope ('*', or a targeted batch's subjects). */
export interface ScopedCount {
  raterCategory: string;
  scope: string;
  n: number;
}

/**
 * The codes that may answer an instrument, per category and per subject: an
 * untargeted code counts everywhere its category may answer; a targeted one
 * (定点定向) only where its subjects are rated, and for those subjects only.
 */
export function codesIssued(
  inst: Pick<Instrument, 'questions' | 'layout' | 'raterCategories'>,
  rows: ScopedCount[],
): { byCategory: Map<string, number>; bySubject: Map<string, number> } {
  const byCategory = new Map<string, number>();
  const bySubject = new Map<string, number>();
  const subjects = subjectsOf(inst).map((s) => s.id);
  for (const r of rows) {
    if (!inst.raterCategories.includes(r.raterCategory) || !coversInstrument(inst, r.scope)) continue;
    byCategory.set(r.raterCategory, (byCategory.get(r.raterCategory) ?? 0) + r.n);
    const covered = scopedSubjects(inst, r.scope);
    for (const s of subjects) if (covered === null || covered.has(s)) bySubject.set(s, (bySubject.get(s) ?? 0) + r.n);
  }
  return { byCategory, bySubject };
}

/** Two decimals, as published. */
export const round = (x: number) => Math.round(x * 100) / 100;

/**
 * Per-option counts leave the database only after an instrument closes, for
 * anyone (observers, the internal feed, the public): two reads around one
 * ballot would otherwise show the whole ballot as the cells that moved.
 */
export const talliesReleased = (status: InstrumentStatus) => status === 'closed';

/** Public turnout moves in steps of this many responses before close. */
export const TURNOUT_STEP = 5;

/**
 * The turnout figure shown to the public: before close rounded down to a
 * multiple of TURNOUT_STEP, so a shown figure changes only after at least that
 * many new responses (no single response can be timed); exact after close.
 */
export const shownTurnout = (responses: number, closed: boolean) =>
  closed ? responses : Math.floor(responses / TURNOUT_STEP) * TURNOUT_STEP;

/** One category's part of a worked example: its graded answers, points and mean. */
export interface ExampleCategory {
  raterCategory: string;
  /** Answers per scored option: [option id, count, points each]. */
  options: [string, number, number][];
  points: number;
  answers: number;
  mean: number;
  weight: number;
}

/**
 * The arithmetic behind one subject's published score, step by step, from the
 * published counts and the rule (for the worked example on the results and
 * instrument pages). Null when the subject has no scored answer.
 */
export function explainScore(
  inst: Pick<
    Instrument,
    'questions' | 'categoryWeights' | 'gradeScores' | 'share' | 'layout' | 'minKnown' | 'indicators'
  >,
  subject: SubjectRef,
  counts: TallyCount[],
): { categories: ExampleCategory[]; weightSum: number; score: number | null; unknown: number; known: number } | null {
  const own = new Set(
    inst.questions
      .filter((q) => q.subject?.id === subject.id && q.subject.kind === subject.kind && q.role !== 'unknown')
      .map((q) => q.id),
  );
  const byCategory = new Map<string, Map<string, number>>();
  for (const c of counts) {
    if (!own.has(c.question) || inst.gradeScores[c.option] === undefined) continue;
    const m = byCategory.get(c.raterCategory) ?? new Map<string, number>();
    m.set(c.option, (m.get(c.option) ?? 0) + c.count);
    byCategory.set(c.raterCategory, m);
  }
  if (byCategory.size === 0) return null;
  const configured = Object.keys(inst.categoryWeights).length > 0;
  const categories = [...byCategory].map(([raterCategory, m]) => {
    const options = [...m].map(([o, n]) => [o, n, inst.gradeScores[o] as number] as [string, number, number]);
    const points = options.reduce((s, [, n, p]) => s + n * p, 0);
    const answers = options.reduce((s, [, n]) => s + n, 0);
    return {
      raterCategory,
      options,
      points,
      answers,
      mean: round(points / answers),
      weight: configured ? (inst.categoryWeights[raterCategory] ?? 0) : 1,
    };
  });
  const [scored] = subjectScores(
    { ...inst, layout: { subjects: [subject] } },
    counts.filter((c) => own.has(c.question) || c.question.startsWith(`${subject.id}.`)),
  );
  return {
    categories,
    weightSum: categories.reduce((s, c) => s + c.weight, 0),
    score: scored?.score ?? null,
    unknown: scored?.unknown ?? 0,
    known: scored?.known ?? 0,
  };
}
