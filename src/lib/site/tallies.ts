// The committed tally snapshots (src/content/snapshots, issue 7) turned into
// what the results page shows: per instrument, the turnout, each subject's
// score and, per question, the count of every option over all rater
// categories. Pure: the pages and the open data build on the same figures.

import type { Instrument, Option, Question, Snapshot, SubjectRef } from '../../domain/schemas';
import { TEXT_OPTION } from '../../domain/tally';

type SnapshotInstrument = Snapshot['instruments'][number];

export interface TallyRow {
  question: string;
  label: string;
  counts: number[];
  total: number;
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
  turnout: SnapshotInstrument['turnout'];
  responses: number;
  subjects: { subject: SubjectRef; score: number }[];
  tables: TallyTable[];
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
): InstrumentTally {
  const sums = new Map<string, number>();
  for (const c of snap.counts) {
    const k = `${c.question}\u0000${c.option}`;
    sums.set(k, (sums.get(k) ?? 0) + c.count);
  }
  const countedQuestions = [...new Set(snap.counts.map((c) => c.question))];
  const questions: Question[] =
    definition?.questions.filter((q) => q.type !== 'text') ??
    countedQuestions.map((id) => ({
      id,
      type: 'choice' as const,
      label: id,
      required: true,
      options: [...new Set(snap.counts.filter((c) => c.question === id).map((c) => c.option))]
        .filter((o) => o !== TEXT_OPTION)
        .map((o) => ({ id: o, label: o })),
    }));
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
    const counts = q.options.map((o) => sums.get(`${q.id}\u0000${o.id}`) ?? 0);
    table.rows.push({
      question: q.id,
      label: rowLabel(q, perSubject, name),
      counts,
      total: counts.reduce((a, b) => a + b, 0),
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
    turnout: snap.turnout,
    responses: snap.turnout.reduce((n, t) => n + t.responses, 0),
    subjects: snap.subjects.flatMap((s) => (s.score === null ? [] : [{ subject: s.subject, score: s.score }])),
    tables: [...tables.values()],
  };
}
