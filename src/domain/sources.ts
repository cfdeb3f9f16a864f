// One tally, two sources (issue 19): online responses (counters `tallies`,
// `turnout`) and paper ballots counted at an evaluation meeting (counters
// `paper_tallies`, one `paper_ballots` row per ballot). A score is always the
// instrument's rule (category weights, grade scores) applied to the summed
// counts; each source's own score is shown beside it so a reader sees where
// the figures come from. Pure: no I/O.
import type { SubjectScore, TallyCount } from './schemas/participation';
import type { SubjectRef } from './schemas/question';
import { countKey, subjectScores } from './tally';

export const SOURCES = ['online', 'paper'] as const;
export type Source = (typeof SOURCES)[number];

export interface TurnoutFigure {
  raterCategory: string;
  responses: number;
}

/** The exact figures of one source: per (question, option, category) counts and responses per category. */
export interface SourceFigures {
  counts: TallyCount[];
  turnout: TurnoutFigure[];
}

/** One subject's figures from one source, or from both: the ballots that graded it and the rule's score on them. */
export interface SourceScore {
  known: number;
  score: number | null;
}

/** Per subject: each source's ballots and score, and the combined score (the rule on the summed counts). */
export interface SubjectSources {
  subject: SubjectRef;
  online: SourceScore;
  paper: SourceScore;
  combined: SourceScore;
}

const byKey = (a: TallyCount, b: TallyCount) => {
  const x = countKey(a.question, a.option, a.raterCategory);
  const y = countKey(b.question, b.option, b.raterCategory);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** The counts a score is computed on: online + paper, per question, option and category; zeros dropped; sorted. */
export function combineCounts(online: readonly TallyCount[], paper: readonly TallyCount[]): TallyCount[] {
  const sum = new Map<string, TallyCount>();
  for (const c of [...online, ...paper]) {
    const k = countKey(c.question, c.option, c.raterCategory);
    const acc = sum.get(k);
    if (acc) acc.count += c.count;
    else sum.set(k, { ...c });
  }
  return [...sum.values()].filter((c) => c.count !== 0).sort(byKey);
}

/** Responses per category, online + paper, in the order of first appearance (online first). */
export function combineTurnout(online: readonly TurnoutFigure[], paper: readonly TurnoutFigure[]): TurnoutFigure[] {
  const sum = new Map<string, number>();
  for (const t of [...online, ...paper]) sum.set(t.raterCategory, (sum.get(t.raterCategory) ?? 0) + t.responses);
  return [...sum].map(([raterCategory, responses]) => ({ raterCategory, responses }));
}

/** Sorted copy, zeros dropped: one form of a source's counts wherever it is read from. */
export const canonicalCounts = (counts: readonly TallyCount[]) => counts.filter((c) => c.count !== 0).sort(byKey);

type Rule = Parameters<typeof subjectScores>[0];

const sourceScore = (s: SubjectScore | undefined): SourceScore => ({ known: s?.known ?? 0, score: s?.score ?? null });

/**
 * Per subject, online and paper side by side and the combined figure. Each
 * source's score is the rule applied to that source's counts alone (so it
 * too needs `minKnown` known answers); the combined score is the rule on the
 * sum, not a mix of the two scores (weights renormalise per category).
 */
export function sourceBreakdown(inst: Rule, online: TallyCount[], paper: TallyCount[]): SubjectSources[] {
  const on = subjectScores(inst, online);
  const pa = subjectScores(inst, paper);
  const all = subjectScores(inst, combineCounts(online, paper));
  return all.map((s, i) => ({
    subject: s.subject,
    online: sourceScore(on[i]),
    paper: sourceScore(pa[i]),
    combined: sourceScore(s),
  }));
}

/** The responses of a source: the sum of its turnout. */
export const responsesOf = (turnout: readonly TurnoutFigure[]) => turnout.reduce((n, t) => n + t.responses, 0);

/** Whether an instrument's figures include any paper ballot (then the sources are shown side by side). */
export const hasPaper = (paper: SourceFigures | undefined) => paper !== undefined && responsesOf(paper.turnout) > 0;
