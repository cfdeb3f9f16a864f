// The public view of one instrument's final tally: the exact figures (D1, the
// internal feed, the committed snapshot) turned into what anyone may see, with
// small-cell and secondary suppression (src/domain/disclosure.ts) applied to
// every count the public gets in any form: per-category counts, their totals
// per option and per question, turnout per category, known and 不了解 answers,
// answers per category behind a score, and the counts behind each share. The
// results pages, the open data and the public tally and turnout API all read
// this one function; only the authenticated feed keeps exact counts.
import { type CellSystem, isSmallCell, MARGIN_COST, mayPublishFigure, mergeAliases, suppress } from './disclosure';
import type { MeetingFigures } from './schemas/feed';
import type { Instrument } from './schemas/instrument';
import type { SubjectIndicators, SubjectScore, TallyCount } from './schemas/participation';
import type { ValidityResult } from './schemas/score-rule';
import type { Snapshot } from './schemas/snapshot';
import type { SourceFigures, SubjectSources } from './sources';
import { anchorOf } from './tally';

/** A published count: the number, or null with `suppressed` when the public may not see it. */
export interface PublicCell {
  count: number | null;
  suppressed?: true;
}
export type PublicCount = Omit<TallyCount, 'count'> & PublicCell;
export type PublicTotal = { question: string; option: string } & PublicCell;
export type PublicTurnout = { raterCategory: string; responses: number | null; suppressed?: true };

export interface PublicSubject extends Omit<SubjectScore, 'known' | 'unknown' | 'byCategory' | 'indicators'> {
  known: number | null;
  unknown: number | null;
  byCategory: { raterCategory: string; score: number | null; answers: number | null; suppressed?: true }[];
  indicators?: SubjectIndicators;
}

export interface ExactTally {
  counts: TallyCount[];
  turnout: { raterCategory: string; responses: number }[];
  subjects: SubjectScore[];
  validity: ValidityResult | null;
  /** The two sources of `counts` and `turnout` (their sums), when known; absent: all online. */
  sources?: { online: SourceFigures; paper: SourceFigures; subjects: SubjectSources[] };
}

/** One source's published figures: its responses, turnout per category and counts. */
export interface PublicSourcePart {
  responses: PublicCell;
  turnout: PublicTurnout[];
  counts: PublicCount[];
}
export type PublicSourceScore = { known: number | null; score: number | null };

/** Online and paper side by side, suppressed like every other table of the same answers. */
export interface PublicSources {
  online: PublicSourcePart;
  paper: PublicSourcePart;
  subjects: {
    subject: SubjectScore['subject'];
    online: PublicSourceScore;
    paper: PublicSourceScore;
    combined: PublicSourceScore;
  }[];
}

export interface PublicTally {
  /** The threshold k: counts of 1..k-1 are never published. */
  minCell: number;
  counts: PublicCount[];
  /** Per question and option over all rater categories (the results page's tables). */
  totals: PublicTotal[];
  /** Per question over all options and categories (the tables' 合计 column). */
  rows: ({ question: string } & PublicCell)[];
  /** All responses (the sum of turnout). */
  responses: PublicCell;
  turnout: PublicTurnout[];
  subjects: PublicSubject[];
  validity: ValidityResult | null;
  sources: PublicSources;
}

type Def = Pick<Instrument, 'questions' | 'gradeScores' | 'indicators'>;

const n = (q: string, o: string, c: string) => `n\u0000${q}\u0000${o}\u0000${c}`;
const tot = (q: string, o: string) => `T\u0000${q}\u0000${o}`;
const row = (q: string) => `R\u0000${q}`;
const turn = (c: string) => `t\u0000${c}`;
const answers = (s: string, c: string) => `a\u0000${s}\u0000${c}`;
const share = (s: string, which: string) => `g\u0000${s}\u0000${which}`;
// Per-source figures (issue 19): the same cells once per source, each source's sum the combined cell.
const sn = (src: string, q: string, o: string, c: string) => `sn\u0000${src}\u0000${q}\u0000${o}\u0000${c}`;
const st = (src: string, c: string) => `st\u0000${src}\u0000${c}`;
const sN = (src: string) => `sN\u0000${src}`;
const sk = (src: string, subject: string) => `sk\u0000${src}\u0000${subject}`;
const SOURCE_IDS = ['online', 'paper'] as const;

/** One source's figures as the audit reads them: exact, or published (null where suppressed). */
export interface SourceTableFigures {
  counts: { question: string; option: string; raterCategory: string; count: number | null }[];
  turnout: { raterCategory: string; responses: number | null }[];
  /** Published responses of the source (proof mode); summed from turnout otherwise. */
  responses?: number | null;
}

/**
 * The figures of one instrument and how they add up. `value` gives each
 * figure's exact value, or null where it is not known (the proof test builds
 * the same system from published answers, suppressed figures unknown).
 */
export interface TallyFigures {
  counts: { question: string; option: string; raterCategory: string; count: number | null }[];
  turnout: { raterCategory: string; responses: number | null }[];
  subjects: { subject: SubjectScore['subject']; byCategory: { raterCategory: string; answers: number | null }[] }[];
  /** The published margins (proof mode); without them they are summed from the counts (exact mode). */
  totals?: { question: string; option: string; count: number | null }[];
  rows?: { question: string; count: number | null }[];
  responses?: number | null;
  /** Whether a subject's share (good, excellent, …) was published (proof mode). */
  sharePublished?: (subject: string, which: string) => boolean;
  /**
   * Online and paper tables of the same answers, when the instrument has paper
   * ballots: each source's counts, turnout and responses, and per subject the
   * known answers of each source. Online turnout is public by other means (the
   * spent-token list); paper turnout is not.
   */
  sources?: {
    online: SourceTableFigures;
    paper: SourceTableFigures;
    subjects: { subject: SubjectScore['subject']; online: { known: number | null }; paper: { known: number | null } }[];
  };
}

/**
 * The figures of one instrument and how they add up. In exact mode every value
 * is known; in proof mode (the test) the values are the published ones, null
 * where suppressed, and `unknownIds` lists those.
 */
export function tallySystem(def: Def | undefined, figures: TallyFigures): CellSystem & { unknownIds: Set<string> } {
  const cells: CellSystem['cells'] = new Map();
  const sums: CellSystem['sums'] = [];
  const unknownIds = new Set<string>();
  // Margins readers need most (turnout, then totals) are the last a secondary suppression takes.
  const put = (id: string, v: number | null, weight = 0, derived = false, known = false) => {
    // A withheld share is no count shown as suppressed: it is an aggregate the public simply lacks.
    if (v === null && !derived) unknownIds.add(id);
    cells.set(id, {
      value: v ?? 0,
      cost: (v ?? 0) + weight,
      ...(v === null && derived ? { hidden: true } : {}),
      ...(known && v !== null ? { known } : {}),
    });
  };
  const categories = figures.turnout.map((t) => t.raterCategory);
  const byQuestion = new Map<string, Map<string, Map<string, number | null>>>();
  for (const c of figures.counts) {
    const opts = byQuestion.get(c.question) ?? new Map<string, Map<string, number | null>>();
    const cats = opts.get(c.option) ?? new Map<string, number | null>();
    cats.set(c.raterCategory, c.count);
    opts.set(c.option, cats);
    byQuestion.set(c.question, opts);
    put(n(c.question, c.option, c.raterCategory), c.count);
  }
  const sumOf = (xs: (number | null)[]) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);
  const published = <T extends { count: number | null }>(
    list: T[] | undefined,
    match: (x: T) => boolean,
    exact: number,
  ) => (list ? (list.find(match)?.count ?? null) : exact);
  for (const [q, opts] of byQuestion) {
    for (const [o, cats] of opts) {
      const exact = sumOf([...cats.values()]);
      put(
        tot(q, o),
        published(figures.totals, (x) => x.question === q && x.option === o, exact),
        1000,
      );
      sums.push({ total: tot(q, o), parts: [...cats.keys()].map((c) => n(q, o, c)) });
    }
    const exact = sumOf([...opts.values()].flatMap((cats) => [...cats.values()]));
    put(
      row(q),
      published(figures.rows, (x) => x.question === q, exact),
      1000,
    );
    sums.push({ total: row(q), parts: [...opts.keys()].map((o) => tot(q, o)) });
  }
  // Turnout per category is public anyway (one published token per response, one receipt per response):
  // the audit counts it as known, and hiding it never protects a cell.
  // With paper ballots only the online part is public that way: the sum is then an ordinary (dear) margin.
  const src = figures.sources;
  for (const t of figures.turnout) put(turn(t.raterCategory), t.responses, MARGIN_COST, false, src === undefined);
  put(
    'N',
    figures.responses !== undefined ? figures.responses : sumOf(figures.turnout.map((t) => t.responses)),
    MARGIN_COST,
    false,
    src === undefined,
  );
  sums.push({ total: 'N', parts: categories.map(turn) });
  const questions = def?.questions ?? [];
  const unknownBox = new Map(questions.filter((q) => q.role === 'unknown' && q.subject).map((q) => [q.subject!.id, q]));
  // A required choice is answered once by every response, unless it chose the subject's 不了解 box.
  // Where targeted codes skip a subject this is only an upper bound: treating it as exact suppresses more, never less.
  for (const q of questions) {
    if (q.type !== 'choice' || !q.required || q.role === 'unknown') continue;
    const box = q.subject ? unknownBox.get(q.subject.id) : undefined;
    for (const c of categories) {
      const parts = q.options.map((o) => n(q.id, o.id, c));
      if (box && box.type !== 'text') parts.push(...box.options.map((o) => n(box.id, o.id, c)));
      sums.push({ total: turn(c), parts });
    }
  }
  if (src) sourceCells(def, figures, src, put, sums, categories);
  for (const s of figures.subjects) {
    const own = questions.filter(
      (q) => q.subject?.id === s.subject.id && q.subject.kind === s.subject.kind && q.role !== 'unknown',
    );
    for (const b of s.byCategory) {
      const id = answers(s.subject.id, b.raterCategory);
      put(id, b.answers, 1000);
      sums.push({
        total: id,
        parts: own.flatMap((q) =>
          q.type === 'text'
            ? []
            : q.options.filter((o) => def?.gradeScores[o.id] !== undefined).map((o) => n(q.id, o.id, b.raterCategory)),
        ),
      });
    }
    // The counts behind each published share (numerator and denominator), so a share never gives a hidden cell away.
    const rule = def?.indicators;
    if (!rule) continue;
    const on =
      rule.on === 'overall'
        ? own.filter((q) => q.id.endsWith('.overall'))
        : own.filter((q) => q.type === 'choice' && q.options.some((o) => def?.gradeScores[o.id] !== undefined));
    const parts = (options?: string[]) =>
      on.flatMap((q) =>
        q.type === 'text'
          ? []
          : q.options.filter((o) => !options || options.includes(o.id)).map((o) => tot(q.id, o.id)),
      );
    const groups: [string, string[] | undefined][] = [
      ['all', undefined],
      ['good', rule.good],
      ['excellent', rule.excellent],
      ['competent', rule.competent],
      ['incompetent', rule.incompetent],
    ];
    for (const [which, options] of groups) {
      if (which !== 'all' && !options) continue;
      const ps = parts(options).filter((p) => cells.has(p));
      const id = share(s.subject.id, which);
      const exact = sumOf(ps.map((p) => cells.get(p)?.value ?? 0));
      put(id, !figures.sharePublished || figures.sharePublished(s.subject.id, which) ? exact : null, 1000, true);
      sums.push({ total: id, parts: ps });
    }
  }
  return { cells, sums, unknownIds };
}

/**
 * The per-source tables and how they tie to the combined one: each combined
 * count, turnout and subject total is online + paper; each source's turnout
 * answers its required questions like the combined turnout does; each
 * source's known answers about a subject are its anchor question's total.
 */
function sourceCells(
  def: Def | undefined,
  figures: TallyFigures,
  src: NonNullable<TallyFigures['sources']>,
  put: (id: string, v: number | null, weight?: number, derived?: boolean, known?: boolean) => void,
  sums: CellSystem['sums'],
  combinedCategories: string[],
) {
  const sumOf = (xs: (number | null)[]) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);
  const keys = new Map<string, [string, string, string]>();
  for (const c of figures.counts)
    keys.set(n(c.question, c.option, c.raterCategory), [c.question, c.option, c.raterCategory]);
  const categories = new Set(combinedCategories);
  for (const id of SOURCE_IDS) {
    const part = src[id];
    for (const c of part.counts) {
      put(sn(id, c.question, c.option, c.raterCategory), c.count);
      keys.set(n(c.question, c.option, c.raterCategory), [c.question, c.option, c.raterCategory]);
    }
    // Online turnout is the spent-token list's, public anyway; paper turnout per category is not.
    for (const t of part.turnout) {
      put(st(id, t.raterCategory), t.responses, MARGIN_COST, false, id === 'online');
      categories.add(t.raterCategory);
    }
    // Each source's total is public by other means too: online, the spent-token list; paper, the meetings'
    // counts (returned − spoilt, and the ballots counted), which the appraisal page publishes.
    put(
      sN(id),
      part.responses !== undefined ? part.responses : sumOf(part.turnout.map((t) => t.responses)),
      MARGIN_COST,
      false,
      true,
    );
    sums.push({ total: sN(id), parts: part.turnout.map((t) => st(id, t.raterCategory)) });
  }
  for (const [key, [q, o, c]] of keys) sums.push({ total: key, parts: SOURCE_IDS.map((id) => sn(id, q, o, c)) });
  for (const c of categories) sums.push({ total: turn(c), parts: SOURCE_IDS.map((id) => st(id, c)) });
  sums.push({ total: 'N', parts: SOURCE_IDS.map(sN) });
  const questions = def?.questions ?? [];
  const unknownBox = new Map(questions.filter((q) => q.role === 'unknown' && q.subject).map((q) => [q.subject!.id, q]));
  for (const q of questions) {
    if (q.type !== 'choice' || !q.required || q.role === 'unknown') continue;
    const box = q.subject ? unknownBox.get(q.subject.id) : undefined;
    for (const id of SOURCE_IDS)
      for (const t of src[id].turnout) {
        const c = t.raterCategory;
        const parts = q.options.map((o) => sn(id, q.id, o.id, c));
        if (box && box.type !== 'text') parts.push(...box.options.map((o) => sn(id, box.id, o.id, c)));
        sums.push({ total: st(id, c), parts });
      }
  }
  for (const s of src.subjects) {
    const anchor = def ? anchorOf(def, s.subject) : undefined;
    if (!anchor || anchor.type === 'text') continue;
    for (const id of SOURCE_IDS) {
      put(sk(id, s.subject.id), s[id].known, 1000);
      sums.push({
        total: sk(id, s.subject.id),
        parts: anchor.options.flatMap((o) => [...categories].map((c) => sn(id, anchor.id, o.id, c))),
      });
    }
  }
}

const cell = (v: number, hidden: boolean): PublicCell => (hidden ? { count: null, suppressed: true } : { count: v });

/** The public view of an instrument's exact final tally, with k = the appraisal's `disclosure.minCell`. */
export function publicTally(def: Def | undefined, exact: ExactTally, k: number): PublicTally {
  // One order for the same figures, whoever reads them (D1 for the API, the snapshot for the site): ties in
  // secondary suppression then fall the same way, and two views never hide different cells of one table.
  const by = (...keys: string[]) => keys.join('\u0000');
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const canonical = {
    ...exact,
    counts: [...exact.counts].sort((a, b) =>
      cmp(by(a.question, a.option, a.raterCategory), by(b.question, b.option, b.raterCategory)),
    ),
    turnout: [...exact.turnout].filter((t) => t.responses > 0).sort((a, b) => cmp(a.raterCategory, b.raterCategory)),
  };
  const withPaper = exact.sources?.paper.turnout.some((t) => t.responses > 0) === true;
  const sortCounts = (list: TallyCount[]) =>
    [...list]
      .filter((c) => c.count > 0)
      .sort((a, b) => cmp(by(a.question, a.option, a.raterCategory), by(b.question, b.option, b.raterCategory)));
  const sortTurnout = (list: { raterCategory: string; responses: number }[]) =>
    [...list].filter((t) => t.responses > 0).sort((a, b) => cmp(a.raterCategory, b.raterCategory));
  const sources =
    withPaper && exact.sources
      ? {
          online: {
            counts: sortCounts(exact.sources.online.counts),
            turnout: sortTurnout(exact.sources.online.turnout),
          },
          paper: { counts: sortCounts(exact.sources.paper.counts), turnout: sortTurnout(exact.sources.paper.turnout) },
          subjects: exact.sources.subjects,
        }
      : undefined;
  // The exact sources ride along in `exact`: the system gets the sorted ones, and only when there is paper.
  const { sources: _exactSources, ...combined } = canonical;
  const full = tallySystem(def, { ...combined, ...(sources ? { sources } : {}) });
  const { sys: merged, alias } = mergeAliases(full);
  const hidden = suppress(merged, k);
  const is = (id: string) => hidden.has(alias.get(id) ?? id);
  const sys = full;
  const totals: PublicTotal[] = [...sys.cells.keys()]
    .filter((id) => id.startsWith('T\u0000'))
    .map((id) => {
      const [, question, option] = id.split('\u0000') as [string, string, string];
      return { question, option, ...cell(sys.cells.get(id)?.value ?? 0, is(id)) };
    });
  const rows = [...sys.cells.keys()]
    .filter((id) => id.startsWith('R\u0000'))
    .map((id) => ({ question: id.slice(2), ...cell(sys.cells.get(id)?.value ?? 0, is(id)) }));
  const anchors = new Map(def ? exact.subjects.map((s) => [s.subject.id, anchorOf(def, s.subject)?.id]) : []);
  const unknownBoxes = new Map(
    (def?.questions ?? []).filter((q) => q.role === 'unknown' && q.subject).map((q) => [q.subject!.id, q.id]),
  );
  // known/不了解 are their questions' row totals; without a definition they stand alone (primary rule only).
  const rowCount = (question: string | undefined, value: number) =>
    question !== undefined && sys.cells.has(row(question))
      ? is(row(question))
        ? null
        : value
      : value > 0 && value < k
        ? null
        : value;
  const publicCounts = exact.counts.map((c) => ({
    ...c,
    ...cell(c.count, is(n(c.question, c.option, c.raterCategory))),
  }));
  const subjects = exact.subjects.map(({ indicators: exactIndicators, ...s }): PublicSubject => {
    const enough = mayPublishFigure(s.known, k);
    const shareOf = (which: string, v: number | null | undefined) =>
      v === undefined ? undefined : is(share(s.subject.id, which)) || is(share(s.subject.id, 'all')) ? null : v;
    const x = exactIndicators;
    const indicators = x && {
      ...x,
      good: shareOf('good', x.good) ?? null,
      ...(x.excellent !== undefined ? { excellent: shareOf('excellent', x.excellent) } : {}),
      ...(x.competent !== undefined ? { competent: shareOf('competent', x.competent) } : {}),
      ...(x.incompetent !== undefined ? { incompetent: shareOf('incompetent', x.incompetent) } : {}),
    };
    return {
      ...s,
      status: enough ? s.status : 'insufficient',
      known: rowCount(anchors.get(s.subject.id), s.known),
      unknown: rowCount(unknownBoxes.get(s.subject.id), s.unknown),
      score: enough ? s.score : null,
      contribution: enough ? s.contribution : null,
      byCategory: s.byCategory.map((b) =>
        is(answers(s.subject.id, b.raterCategory))
          ? { raterCategory: b.raterCategory, score: null, answers: null, suppressed: true as const }
          : { ...b, score: mayPublishFigure(b.answers, k) ? b.score : null },
      ),
      ...(indicators && enough ? { indicators } : {}),
    };
  });
  // Turnout is never a secondary choice without paper (see tallySystem); a small one is still not printed here.
  // With paper ballots the combined turnout is no longer public by other means, so it may be hidden like any margin.
  const smallTurnout = (c: string) =>
    isSmallCell(exact.turnout.find((t) => t.raterCategory === c)?.responses ?? 0, k) || (withPaper && is(turn(c)));
  const turnout = exact.turnout.map(({ raterCategory, responses }) =>
    smallTurnout(raterCategory)
      ? { raterCategory, responses: null, suppressed: true as const }
      : { raterCategory, responses },
  );
  const responses = cell(
    sys.cells.get('N')?.value ?? 0,
    isSmallCell(sys.cells.get('N')?.value ?? 0, k) || (withPaper && is('N')),
  );
  const publicSources = ((): PublicSources => {
    if (!sources || !exact.sources) {
      // All online: the online table is the combined one, the paper table empty.
      return {
        online: { responses, turnout, counts: publicCounts },
        paper: { responses: { count: 0 }, turnout: [], counts: [] },
        subjects: subjects.map((x) => ({
          subject: x.subject,
          online: { known: x.known, score: x.score },
          paper: { known: 0, score: null },
          combined: { known: x.known, score: x.score },
        })),
      };
    }
    const part = (id: (typeof SOURCE_IDS)[number]): PublicSourcePart => {
      const ex = exact.sources![id];
      const total = ex.turnout.reduce((a, t) => a + t.responses, 0);
      return {
        responses: cell(total, isSmallCell(total, k) || is(sN(id))),
        turnout: ex.turnout.map(({ raterCategory, responses: r }) =>
          isSmallCell(r, k) || is(st(id, raterCategory))
            ? { raterCategory, responses: null, suppressed: true as const }
            : { raterCategory, responses: r },
        ),
        counts: sources[id].counts.map((c) => ({
          ...c,
          ...cell(c.count, is(sn(id, c.question, c.option, c.raterCategory))),
        })),
      };
    };
    const published = new Map(subjects.map((x) => [x.subject.id, x]));
    return {
      online: part('online'),
      paper: part('paper'),
      subjects: exact.sources.subjects.map((x) => {
        const score = (id: (typeof SOURCE_IDS)[number]): PublicSourceScore => {
          const hide = is(sk(id, x.subject.id)) || isSmallCell(x[id].known, k);
          return {
            known: hide ? null : x[id].known,
            score: !hide && mayPublishFigure(x[id].known, k) ? x[id].score : null,
          };
        };
        const p = published.get(x.subject.id);
        return {
          subject: x.subject,
          online: score('online'),
          paper: score('paper'),
          combined: { known: p?.known ?? null, score: p?.score ?? null },
        };
      }),
    };
  })();
  return {
    minCell: k,
    counts: publicCounts,
    totals,
    rows,
    responses,
    turnout,
    subjects,
    validity: publicValidity(exact.validity, smallTurnout),
    sources: publicSources,
  };
}

/** A hidden turnout hides its rate too (rate × codes issued would give it back); the verdict stays. */
function publicValidity(v: ValidityResult | null, hidden: (category: string) => boolean): ValidityResult | null {
  if (!v?.categories.some((c) => hidden(c.raterCategory))) return v;
  const failing = v.categories.filter((c) => !c.met);
  return {
    ...v,
    categories: v.categories.map((c) => (hidden(c.raterCategory) ? { ...c, responses: null, reached: null } : c)),
    reasons: v.reasons.map((r, i) =>
      failing[i] && hidden(failing[i].raterCategory) ? r.replace(/参评率.*$/, `参评率低于 ${failing[i].min}%`) : r,
    ),
  };
}

type SnapshotInstrument = Snapshot['instruments'][number];
export type PublicInstrument = Omit<SnapshotInstrument, 'counts' | 'turnout' | 'subjects' | 'validity' | 'sources'> &
  Omit<PublicTally, 'turnout'> & {
    turnout: (PublicTurnout & { codesIssued: number | null })[];
    meetings: Omit<MeetingFigures, 'counted'>[];
  };
export type PublicSnapshot = Omit<Snapshot, 'instruments'> & { instruments: PublicInstrument[] };

/** A committed snapshot (exact) as the site publishes it; `definition` gives each instrument as expanded. */
export function publicSnapshot(
  snap: Snapshot,
  definition: (instrument: string) => Def | undefined,
  k: number,
): PublicSnapshot {
  return {
    ...snap,
    instruments: snap.instruments.map((i) => {
      const p = publicTally(definition(i.id), i, k);
      const issued = new Map(i.turnout.map((t) => [t.raterCategory, t.codesIssued]));
      return {
        ...i,
        ...p,
        turnout: p.turnout.map((t) => ({ ...t, codesIssued: issued.get(t.raterCategory) ?? null })),
        // A meeting's counts are public after it; how many of its ballots were counted is the paper turnout's
        // business (suppressed there when small), so it is not repeated here.
        meetings: (i.sources?.paper.meetings ?? []).map(({ counted: _c, ...m }) => m),
      };
    }),
  };
}

/**
 * What a reader can put into the audit from a published tally: the figures as
 * published (null where suppressed), the per-source tables included when the
 * instrument has paper ballots. The proof tests build the system from this.
 */
export function publishedFigures(
  p: Pick<PublicTally, 'counts' | 'totals' | 'rows' | 'turnout' | 'responses' | 'subjects' | 'sources'>,
): TallyFigures {
  const src = p.sources;
  const withPaper = src !== undefined && src.paper.turnout.length > 0;
  const part = (x: PublicSourcePart): SourceTableFigures => ({
    counts: x.counts,
    turnout: x.turnout,
    responses: x.responses.count,
  });
  return {
    counts: p.counts,
    totals: p.totals,
    rows: p.rows,
    turnout: p.turnout,
    responses: p.responses.count,
    subjects: p.subjects,
    ...(withPaper && src
      ? {
          sources: {
            online: part(src.online),
            paper: part(src.paper),
            subjects: src.subjects.map((x) => ({
              subject: x.subject,
              online: { known: x.online.known },
              paper: { known: x.paper.known },
            })),
          },
        }
      : {}),
  };
}

/** A published count as text: the number, or "<k" where suppressed. */
export const cellText = (c: PublicCell | number | null, k: number) =>
  typeof c === 'number' ? String(c) : c === null || c.count === null ? `<${k}` : String(c.count);
