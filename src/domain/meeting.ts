// The rules of a meeting's paper ballots, pure: what a lead may record for an
// instrument, what a keyed sheet may say, and where a sheet stands from its
// keyings. A sheet counts once two observers' independent readings agree
// (category and every answer), or, when they differ, as a third observer
// reads it from the paper. The route stores; these decide.
import { answersSchema } from './instrument';
import { type PaperQuestion, paperQuestions, takesPaper } from './paper';
import type { Instrument } from './schemas/instrument';
import type { SheetDifference } from './schemas/meeting';
import { canonicalAnswers } from './tally';

type Answers = Record<string, string | string[]>;

export { takesPaper };

export interface Issue {
  path: (string | number)[];
  message: string;
}

type Inst = Pick<Instrument, 'id' | 'questions' | 'raterCategories' | 'access'>;

/** Problems of a meeting's categories for this instrument (each must be one of its rater categories). */
export function meetingIssues(inst: Inst, categories: string[]): Issue[] {
  if (!takesPaper(inst))
    return [{ path: ['instrument'], message: '该测评不使用纸质选票 (只有凭参与码的测评召开测评大会)' }];
  const allowed = new Set(inst.raterCategories);
  return categories.flatMap((c, i) =>
    allowed.has(c) ? [] : [{ path: ['categories', i], message: `评议主体类别 ${c} 不参与本项测评` }],
  );
}

const paperOf = new WeakMap<
  object,
  { questions: PaperQuestion[]; byId: Map<string, Instrument['questions'][number]> }
>();
/** The printed questions, once per instrument definition (so answersSchema's cache holds). */
function paper(inst: Pick<Instrument, 'questions'>) {
  let p = paperOf.get(inst.questions);
  if (!p) {
    p = { questions: paperQuestions(inst), byId: new Map(inst.questions.map((q) => [q.id, q])) };
    paperOf.set(inst.questions, p);
  }
  return p;
}

/** The questions a sheet is keyed against: the online form's minus free text. */
export const keyedQuestions = (inst: Pick<Instrument, 'questions'>): PaperQuestion[] => paper(inst).questions;

/**
 * A keyed sheet checked against the instrument and the meeting: the category
 * one of the meeting's, the answers those of a printed sheet (every required
 * item, known grades, no unknown question, no text). Each issue names its
 * field; an empty list means the sheet is valid, and `canonical` is what is stored.
 */
export function checkSheet(
  inst: Pick<Instrument, 'questions'>,
  meetingCategories: string[],
  sheet: { raterCategory: string; answers: Record<string, unknown> },
): { issues: Issue[]; canonical: string | null } {
  const issues: Issue[] = [];
  if (!meetingCategories.includes(sheet.raterCategory)) {
    issues.push({ path: ['raterCategory'], message: `评议主体类别 ${sheet.raterCategory} 未出席本次测评大会` });
  }
  const { questions, byId } = paper(inst);
  const label = (qid: string) => {
    const q = byId.get(qid);
    return q ? `${qid} (${q.label})` : qid;
  };
  const answers: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sheet.answers)) {
    const q = byId.get(k);
    if (q?.type === 'text') {
      issues.push({ path: ['answers', k], message: `${label(k)}: 文字意见不录入 (纸质选票只录入选项)` });
    } else if (!q) {
      issues.push({ path: ['answers', k], message: `${k}: 本测评没有这道题` });
    } else answers[k] = v;
  }
  const parsed = answersSchema({ questions }).safeParse(answers);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const k = String(i.path[0] ?? '');
      issues.push({
        path: ['answers', ...i.path.map((p) => (typeof p === 'number' ? p : String(p)))],
        message: `${label(k)}: ${i.message}`,
      });
    }
  }
  if (issues.length > 0 || !parsed.success) return { issues, canonical: null };
  return { issues, canonical: canonicalAnswers(parsed.data as Answers) };
}

/** A stored keying: who read the sheet, as which pass, and what they read. */
export interface Keying {
  pass: number;
  observer: string;
  raterCategory: string;
  /** Canonical answers JSON. */
  answers: string;
}

/** Two readings agree when the category and every answer are identical (canonical JSON). */
export const keyingsAgree = (
  a: Pick<Keying, 'raterCategory' | 'answers'>,
  b: Pick<Keying, 'raterCategory' | 'answers'>,
) => a.raterCategory === b.raterCategory && a.answers === b.answers;

/** Where a sheet stands from its keyings (counted sheets have none left). */
export function sheetStateOf(keyings: Pick<Keying, 'pass'>[]): 'new' | 'awaiting_second' | 'awaiting_third' {
  const passes = new Set(keyings.map((k) => k.pass));
  if (passes.has(2)) return 'awaiting_third';
  if (passes.has(1)) return 'awaiting_second';
  return 'new';
}

/**
 * What this observer's keying would be: the next pass, or why they may not
 * key the sheet (they keyed it already: the readings must be independent).
 */
export function nextKeying(
  keyings: Keying[],
  observer: string,
): { pass: 1 | 2 | 3; against?: Keying } | { refused: 'same_observer' | 'settled' } {
  if (keyings.some((k) => k.observer === observer)) return { refused: 'same_observer' };
  const state = sheetStateOf(keyings);
  if (state === 'new') return { pass: 1 };
  if (state === 'awaiting_second') return { pass: 2, against: keyings.find((k) => k.pass === 1) as Keying };
  if (keyings.some((k) => k.pass === 3)) return { refused: 'settled' };
  return { pass: 3 };
}

const parse = (json: string): Answers => JSON.parse(json) as Answers;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The items where two readings differ, in the form's order (the category box
 * first): what the third observer checks on the paper. Agreed items are not shown.
 */
export function sheetDifferences(
  inst: Pick<Instrument, 'questions'>,
  first: Pick<Keying, 'raterCategory' | 'answers'>,
  second: Pick<Keying, 'raterCategory' | 'answers'>,
): SheetDifference[] {
  const out: SheetDifference[] = [];
  if (first.raterCategory !== second.raterCategory) {
    out.push({ field: 'raterCategory', first: first.raterCategory, second: second.raterCategory });
  }
  const a = parse(first.answers);
  const b = parse(second.answers);
  for (const q of keyedQuestions(inst)) {
    if (!same(a[q.id], b[q.id])) out.push({ field: q.id, first: a[q.id] ?? null, second: b[q.id] ?? null });
  }
  return out;
}

/**
 * Whether a meeting's figures are public: from the end of its day in China's
 * calendar (Asia/Shanghai), i.e. once `today` there is a later date.
 */
export const meetingPublic = (heldOn: string, today: string) => heldOn < today;
