// Counting: what a response adds to the tallies, the canonical form it is
// stored in, and the weighted score of each subject.
import type { Answers } from './instrument';
import type { Instrument, InstrumentStatus } from './schemas/instrument';
import type { SubjectScore, TallyCount } from './schemas/participation';
import type { RaterCategory } from './schemas/rater-category';

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

/**
 * Weighted score of every subject: per rater category the mean grade score of
 * its graded answers about the subject, then the categories combined by their
 * weights (renormalised over categories that answered; equal weights when the
 * instrument sets none). Example: 40/30/20/10 with 好=100, 中=60, 差=0.
 */
export function subjectScores(
  inst: Pick<Instrument, 'questions' | 'categoryWeights' | 'gradeScores' | 'share' | 'layout'>,
  counts: TallyCount[],
): SubjectScore[] {
  const questionSubject = new Map(inst.questions.filter((q) => q.subject).map((q) => [q.id, q.subject]));
  const subjects = inst.layout.subjects.length
    ? inst.layout.subjects
    : [...new Map([...questionSubject.values()].map((s) => [`${s?.kind}:${s?.id}`, s])).values()].filter((s) => !!s);
  return subjects.map((subject) => {
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
    const score = weightSum > 0 ? round(weighted / weightSum) : null;
    return {
      subject,
      score,
      contribution: score === null ? null : round((score * inst.share) / 100),
      byCategory,
    };
  });
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
