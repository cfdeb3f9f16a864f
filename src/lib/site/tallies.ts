// The committed tally snapshots (src/content/snapshots, issue 7) turned into
// what the results page shows: per instrument, the turnout, each subject's
// score and, per question, the count of every option over all rater
// categories. Pure: the pages and the open data build on the same figures.

import type { PublicInstrument, PublicSources } from '../../domain/public-tally';
import type { Instrument, Option, Question, SubjectRef } from '../../domain/schemas';
import type { SubjectIndicators, TallyCount } from '../../domain/schemas/participation';
import type { ScoreRule, ValidityResult } from '../../domain/schemas/score-rule';
import { explainScore, TEXT_OPTION } from '../../domain/tally';

type SnapshotInstrument = PublicInstrument;

/** Null: suppressed (shown as "<k"). */
export interface TallyRow {
  question: string;
  label: string;
  counts: (number | null)[];
  total: number | null;
}

/** Questions sharing one list of options form one table (a rating's units; a ballot's items). */
export interface TallyTable {
  options: Option[];
  rows: TallyRow[];
}

export interface InstrumentTally {
  id: string;
  title: string;
  kind: SnapshotInstrument['kind'];
  status: SnapshotInstrument['status'];
  digest: string;
  receipts: number;
  /** Answered with codes: its spent blind-signed tokens are public after the close. */
  coded: boolean;
  /** `online`: the online responses of the category (all of them without paper ballots), for 参与率. */
  turnout: (SnapshotInstrument['turnout'][number] & { label: string; online: number | null })[];
  /** Null where suppressed. */
  responses: number | null;
  /** The disclosure threshold k: suppressed counts read "<k". */
  minCell: number;
  /** Scored subjects, for the chart. */
  subjects: { subject: SubjectRef; score: number }[];
  /** Every subject: score or 样本不足, known and 不了解 answers, the practice's indicators. */
  details: SubjectDetail[];
  tables: TallyTable[];
  rule: ScoreRule;
  validity: ValidityResult | null;
  /** The arithmetic of the first scored subject's score, as the worked example. */
  example: { subject: SubjectRef; steps: NonNullable<ReturnType<typeof explainScore>> } | null;
  /** A category's label. */
  categoryLabel: (id: string) => string;
  /** An option's label (the first question that offers it); its id for options no longer defined. */
  optionLabel: (id: string) => string;
  /**
   * Online and paper side by side (issue 19), through the public view: each
   * source's responses and per subject its ballots and score, and the
   * combined figure. Null when the instrument has no paper ballot.
   */
  sources: {
    online: number | null;
    paper: number | null;
    total: number | null;
    subjects: PublicSources['subjects'];
    meetings: SnapshotInstrument['meetings'];
  } | null;
}

export interface SubjectDetail {
  subject: SubjectRef;
  status: 'scored' | 'insufficient';
  score: number | null;
  known: number | null;
  unknown: number | null;
  indicators?: SubjectIndicators;
}

export type SubjectNamer = (kind: SubjectRef['kind'], id: string) => string;

function rowLabel(q: Question, perSubject: Map<string, number>, name: SubjectNamer): string {
  if (!q.subject) return q.label;
  const subject = name(q.subject.kind, q.subject.id);
  return (perSubject.get(`${q.subject.kind}/${q.subject.id}`) ?? 0) > 1 ? `${subject} · ${q.label}` : subject;
}

/**
 * `definition` is the instrument as authored (expanded), for question and
 * option labels; without it the ids are shown, so a snapshot of an
 * instrument since removed from content still renders.
 */
export function instrumentTally(
  snap: SnapshotInstrument,
  definition: Instrument | undefined,
  name: SubjectNamer,
  categoryLabel: (id: string) => string = (id) => id,
): InstrumentTally {
  // The public view's totals, suppressed ones null: never summed here from the per-category cells.
  const sums = new Map(snap.totals.map((t) => [`${t.question}\u0000${t.option}`, t.count]));
  const rowTotals = new Map(snap.rows.map((r) => [r.question, r.count]));
  const countedQuestions = [...new Set(snap.counts.map((c) => c.question))];
  const questions: Question[] =
    definition?.questions.filter((q) => q.type !== 'text' && q.role !== 'unknown') ??
    countedQuestions.map((id) => ({
      id,
      type: 'choice' as const,
      label: id,
      required: true,
      options: [...new Set(snap.counts.filter((c) => c.question === id).map((c) => c.option))]
        .filter((o) => o !== TEXT_OPTION)
        .map((o) => ({ id: o, label: o })),
    }));
  const paper = snap.sources.paper.responses.count !== 0;
  const perSubject = new Map<string, number>();
  for (const q of questions) {
    if (q.subject)
      perSubject.set(
        `${q.subject.kind}/${q.subject.id}`,
        (perSubject.get(`${q.subject.kind}/${q.subject.id}`) ?? 0) + 1,
      );
  }
  const tables = new Map<string, TallyTable>();
  for (const q of questions) {
    if (q.type === 'text') continue;
    const key = q.options.map((o) => `${o.id}=${o.label}`).join('|');
    let table = tables.get(key);
    if (!table) {
      table = { options: q.options, rows: [] };
      tables.set(key, table);
    }
    const counts = q.options.map((o) => {
      const v = sums.get(`${q.id}\u0000${o.id}`);
      return v === undefined ? 0 : v;
    });
    table.rows.push({
      question: q.id,
      label: rowLabel(q, perSubject, name),
      counts,
      total: rowTotals.has(q.id) ? (rowTotals.get(q.id) ?? null) : 0,
    });
  }
  return {
    id: snap.id,
    title: snap.title,
    kind: snap.kind,
    status: snap.status,
    digest: snap.digest,
    receipts: snap.receipts.length,
    coded: snap.turnout.some((t) => t.codesIssued !== null),
    // With paper ballots, 参与率 is the online responses per code issued (as the validity rule counts them).
    turnout: snap.turnout.map((t) => ({
      ...t,
      label: categoryLabel(t.raterCategory),
      online: paper
        ? (snap.sources.online.turnout.find((x) => x.raterCategory === t.raterCategory)?.responses ?? 0)
        : t.responses,
    })),
    responses: snap.responses.count,
    minCell: snap.minCell,
    subjects: snap.subjects.flatMap((s) => (s.score === null ? [] : [{ subject: s.subject, score: s.score }])),
    details: snap.subjects.map(({ subject, status, score, known, unknown, indicators }) => ({
      subject,
      status,
      score,
      known,
      unknown,
      ...(indicators ? { indicators } : {}),
    })),
    tables: [...tables.values()],
    rule: snap.rule,
    validity: snap.validity,
    example: exampleOf(snap, definition),
    categoryLabel,
    optionLabel: optionLabels(definition),
    sources: paper
      ? {
          online: snap.sources.online.responses.count,
          paper: snap.sources.paper.responses.count,
          total: snap.responses.count,
          subjects: snap.sources.subjects,
          meetings: snap.meetings,
        }
      : null,
  };
}

/** Option id → label over an instrument's questions (a ballot's items and its overall grade share ids like 'good'). */
export function optionLabels(definition: Pick<Instrument, 'questions'> | undefined): (id: string) => string {
  const labels = new Map<string, string>();
  for (const q of definition?.questions ?? []) {
    if (q.type === 'text' || q.role === 'unknown') continue;
    for (const o of q.options) if (!labels.has(o.id)) labels.set(o.id, o.label);
  }
  return (id) => labels.get(id) ?? id;
}

/** The worked example: the first subject that was scored, recomputed step by step from the published counts. */
function exampleOf(snap: SnapshotInstrument, definition: Instrument | undefined): InstrumentTally['example'] {
  if (!definition) return null;
  // Only from published cells: the first scored subject none of whose counts was suppressed.
  const own = (s: SubjectRef) => snap.counts.filter((c) => c.question === s.id || c.question.startsWith(`${s.id}.`));
  const first = snap.subjects.find(
    (s) => s.status === 'scored' && s.score !== null && own(s.subject).every((c) => c.count !== null),
  );
  if (!first) return null;
  const published = snap.counts.flatMap((c) => (c.count === null ? [] : [{ ...c, count: c.count }]));
  const steps = explainScore(definition, first.subject, published);
  return steps ? { subject: first.subject, steps } : null;
}

/**
 * Made-up counts for the worked example on an instrument's own page (before
 * any result exists): for its first subject, each category a few answers on
 * one scored question, best grades most often, and one 不了解 where offered.
 */
export function illustrativeCounts(inst: Instrument): { subject: SubjectRef; counts: TallyCount[] } | null {
  const subject = inst.layout.subjects[0];
  if (!subject) return null;
  const own = inst.questions.filter((q) => q.subject?.id === subject.id && q.subject.kind === subject.kind);
  const question =
    own.find((q) => q.id.endsWith('.overall')) ??
    own.find((q) => q.type === 'choice' && q.options.some((o) => inst.gradeScores[o.id] !== undefined));
  if (!question || question.type === 'text') return null;
  const scored = question.options
    .filter((o) => inst.gradeScores[o.id] !== undefined)
    .sort((a, b) => (inst.gradeScores[b.id] ?? 0) - (inst.gradeScores[a.id] ?? 0));
  const categories = inst.access === 'public' ? ['public'] : inst.raterCategories;
  const pattern = [
    [6, 3, 1],
    [4, 4, 2],
    [5, 2, 1],
    [3, 3, 0],
  ];
  const counts: TallyCount[] = [];
  categories.forEach((raterCategory, i) => {
    const ns = pattern[i % pattern.length] as number[];
    scored.slice(0, 3).forEach((o, j) => {
      if ((ns[j] ?? 0) > 0) counts.push({ question: question.id, option: o.id, raterCategory, count: ns[j] as number });
    });
  });
  const unknown = own.find((q) => q.role === 'unknown');
  if (unknown && categories[0]) {
    counts.push({ question: unknown.id, option: 'unknown', raterCategory: categories[0], count: 1 });
  }
  return { subject, counts };
}
