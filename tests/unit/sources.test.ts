// One tally, two sources (issue 19, src/domain/sources.ts): the counts a score
// is computed on are online + paper, each source's score is the rule on its
// own counts, the combined score the rule on the sum; the feed carries both
// sources, exact, and its digest covers paper ballots; the public view hides
// per-source cells so no hidden cell comes back from online + paper = total.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recoverable } from '../../src/domain/disclosure';
import { buildFeed } from '../../src/domain/feed';
import { expandInstrument } from '../../src/domain/instrument';
import { publicTally, publishedFigures, tallySystem } from '../../src/domain/public-tally';
import { instrumentSource } from '../../src/domain/schemas/instrument';
import type { TallyCount } from '../../src/domain/schemas/participation';
import { combineCounts, combineTurnout, sourceBreakdown } from '../../src/domain/sources';
import { countKey, subjectScores } from '../../src/domain/tally';
import { openWindow } from '../support/unit-fixtures';

const rating = expandInstrument(
  instrumentSource.parse({
    id: 'rating-t',
    appraisal: 'test-2026',
    kind: 'rating',
    title: '满意度评议',
    access: 'code',
    subjects: ['u1', 'u2'],
    raterCategories: ['npc_deputy', 'cppcc_member'],
    categoryWeights: { npc_deputy: 60, cppcc_member: 40 },
    scale: [
      { id: 'satisfied', label: '满意' },
      { id: 'basically', label: '基本满意' },
      { id: 'unsatisfied', label: '不满意' },
    ],
    gradeScores: { satisfied: 100, basically: 80, unsatisfied: 0 },
    minKnown: 1,
    ...openWindow,
  }),
);
const c = (question: string, option: string, raterCategory: string, count: number) =>
  ({ question, option, raterCategory, count }) as TallyCount;

const categories = ['npc_deputy', 'cppcc_member'] as const;
const options = ['satisfied', 'basically', 'unsatisfied'] as const;
const countsArb = fc
  .array(
    fc.record({
      question: fc.constantFrom('u1', 'u2'),
      option: fc.constantFrom(...options),
      raterCategory: fc.constantFrom(...categories),
      count: fc.integer({ min: 0, max: 40 }),
    }),
    { maxLength: 12 },
  )
  // One counter per key, as the database holds them.
  .map((xs) => [
    ...new Map(xs.map((x) => [countKey(x.question, x.option, x.raterCategory), x as TallyCount])).values(),
  ]);

describe('combineCounts', () => {
  it('is the per-key sum: every key of either source, nothing else, no zeros', () => {
    fc.assert(
      fc.property(countsArb, countsArb, (online, paper) => {
        const sum = combineCounts(online, paper);
        const of = (list: TallyCount[], k: string) =>
          list.filter((x) => countKey(x.question, x.option, x.raterCategory) === k).reduce((a, x) => a + x.count, 0);
        const keys = new Set([...online, ...paper].map((x) => countKey(x.question, x.option, x.raterCategory)));
        for (const k of keys) expect(of(sum, k)).toBe(of(online, k) + of(paper, k));
        expect(sum.every((x) => x.count > 0)).toBe(true);
        expect(new Set(sum.map((x) => countKey(x.question, x.option, x.raterCategory))).size).toBe(sum.length);
      }),
    );
  });

  it('is commutative and leaves online counts alone when there is no paper', () => {
    fc.assert(
      fc.property(countsArb, countsArb, (a, b) => {
        expect(combineCounts(a, b)).toEqual(combineCounts(b, a));
        expect(combineCounts(a, [])).toEqual(combineCounts([], a));
      }),
    );
  });

  it('adds turnout per category', () => {
    expect(
      combineTurnout(
        [
          { raterCategory: 'npc_deputy', responses: 18 },
          { raterCategory: 'cppcc_member', responses: 18 },
        ],
        [{ raterCategory: 'npc_deputy', responses: 24 }],
      ),
    ).toEqual([
      { raterCategory: 'npc_deputy', responses: 42 },
      { raterCategory: 'cppcc_member', responses: 18 },
    ]);
  });
});

describe('sourceBreakdown', () => {
  it('per subject: each source scored on its own counts, the combined score is the rule on the sum', () => {
    fc.assert(
      fc.property(countsArb, countsArb, (online, paper) => {
        const rows = sourceBreakdown(rating, online, paper);
        const on = subjectScores(rating, online);
        const pa = subjectScores(rating, paper);
        const all = subjectScores(rating, combineCounts(online, paper));
        rows.forEach((r, i) => {
          expect(r.online).toEqual({ known: on[i]?.known, score: on[i]?.score });
          expect(r.paper).toEqual({ known: pa[i]?.known, score: pa[i]?.score });
          expect(r.combined).toEqual({ known: all[i]?.known, score: all[i]?.score });
          expect(r.combined.known).toBe(r.online.known + r.paper.known);
        });
      }),
    );
  });

  it('worked example: 60/40 weights on the summed counts, not the mean of the two scores', () => {
    // Online: npc 2 满意; paper: npc 2 不满意, cppcc 1 基本满意.
    const online = [c('u1', 'satisfied', 'npc_deputy', 2)];
    const paper = [c('u1', 'unsatisfied', 'npc_deputy', 2), c('u1', 'basically', 'cppcc_member', 1)];
    const [u1] = sourceBreakdown(rating, online, paper);
    expect(u1?.online).toEqual({ known: 2, score: 100 });
    // paper: npc mean 0, cppcc mean 80 → 0.6 × 0 + 0.4 × 80 = 32
    expect(u1?.paper).toEqual({ known: 3, score: 32 });
    // combined: npc (2×100 + 2×0)/4 = 50, cppcc 80 → 0.6 × 50 + 0.4 × 80 = 62
    expect(u1?.combined).toEqual({ known: 5, score: 62 });
  });
});

describe('the feed with paper ballots', () => {
  const online = [c('u1', 'satisfied', 'npc_deputy', 6), c('u1', 'basically', 'cppcc_member', 5)];
  const paper = [c('u1', 'satisfied', 'npc_deputy', 4), c('u1', 'unsatisfied', 'cppcc_member', 3)];
  const item = (p?: TallyCount[]) => ({
    instrument: rating,
    status: 'closed' as const,
    counts: online,
    turnout: [
      { raterCategory: 'npc_deputy', responses: 6 },
      { raterCategory: 'cppcc_member', responses: 5 },
    ],
    ...(p
      ? {
          paper: {
            counts: p,
            turnout: [
              { raterCategory: 'npc_deputy', responses: 4 },
              { raterCategory: 'cppcc_member', responses: 3 },
            ],
            meetings: [],
          },
        }
      : {}),
    issued: new Map([
      ['npc_deputy', 10],
      ['cppcc_member', 10],
    ]),
  });

  it('counts and turnout are online + paper, the sources exact beside them, scores on the sum', async () => {
    const feed = await buildFeed('test-2026', '2026-12-21T00:00:00Z', [item(paper)]);
    const [i] = feed.instruments;
    expect(i?.counts).toEqual(combineCounts(online, paper));
    expect(i?.turnout.map((t) => t.responses)).toEqual([10, 8]);
    expect(i?.sources?.online.counts).toEqual(combineCounts(online, []));
    expect(i?.sources?.paper.counts).toEqual(combineCounts(paper, []));
    expect(i?.subjects[0]?.score).toBe(subjectScores(rating, combineCounts(online, paper))[0]?.score);
    // 参评率 stays online responses per code issued.
    expect(i?.validity).toBeNull();
  });

  it('the digest changes with a paper count, and an all-online digest is as it was before paper existed', async () => {
    const none = await buildFeed('test-2026', 'x', [item()]);
    const empty = await buildFeed('test-2026', 'x', [{ ...item(), paper: { counts: [], turnout: [], meetings: [] } }]);
    expect(empty.digest).toBe(none.digest);
    const a = await buildFeed('test-2026', 'x', [item(paper)]);
    const moved = [c('u1', 'satisfied', 'npc_deputy', 3), c('u1', 'basically', 'npc_deputy', 1), paper[1]!];
    const b = await buildFeed('test-2026', 'x', [item(moved)]);
    expect(a.digest).not.toBe(none.digest);
    expect(b.digest).not.toBe(a.digest);
  });
});

describe('the public view of two sources', () => {
  const exact = (online: TallyCount[], paper: TallyCount[]) => {
    const turn = (list: TallyCount[]) =>
      categories.map((raterCategory) => ({
        raterCategory,
        responses: list
          .filter((x) => x.question === 'u1' && x.raterCategory === raterCategory)
          .reduce((a, x) => a + x.count, 0),
      }));
    const counts = combineCounts(online, paper);
    return {
      counts,
      turnout: turn(counts),
      subjects: subjectScores(rating, counts),
      validity: null,
      sources: {
        online: { counts: online, turnout: turn(online) },
        paper: { counts: paper, turnout: turn(paper) },
        subjects: sourceBreakdown(rating, online, paper),
      },
    };
  };
  // Every ballot answers u1 and u2: u1 in full, u2 the same grades.
  const both = (list: TallyCount[]) => [...list, ...list.map((x) => ({ ...x, question: 'u2' }))];
  const online = both([
    c('u1', 'satisfied', 'npc_deputy', 12),
    c('u1', 'basically', 'npc_deputy', 6),
    c('u1', 'satisfied', 'cppcc_member', 10),
    c('u1', 'unsatisfied', 'cppcc_member', 8),
  ]);
  const paper = both([
    c('u1', 'satisfied', 'npc_deputy', 20),
    c('u1', 'unsatisfied', 'npc_deputy', 2),
    c('u1', 'satisfied', 'cppcc_member', 9),
    c('u1', 'basically', 'cppcc_member', 7),
  ]);

  it('hides a small paper cell, and nothing hidden is recomputable from online + paper = total', () => {
    const p = publicTally(rating, exact(online, paper), 5);
    const cell = p.sources.paper.counts.find(
      (x) => x.question === 'u1' && x.option === 'unsatisfied' && x.raterCategory === 'npc_deputy',
    );
    expect(cell).toMatchObject({ count: null, suppressed: true });
    // The combined cell (2 paper + 0 online) is the same small count: hidden too.
    expect(
      p.counts.find((x) => x.question === 'u1' && x.option === 'unsatisfied' && x.raterCategory === 'npc_deputy'),
    ).toMatchObject({ count: null, suppressed: true });
    const sys = tallySystem(rating, publishedFigures(p));
    expect(recoverable(sys, sys.unknownIds)).toEqual([]);
    for (const s of p.sources.subjects)
      for (const x of [s.online, s.paper]) if (x.score !== null) expect(x.known).toBeGreaterThanOrEqual(5);
  });

  it('the proof fails when a per-source cell is published unsuppressed', () => {
    const p = publicTally(rating, exact(online, paper), 5);
    // Publish one hidden paper cell as it is: the audit must now find hidden cells it gives away.
    const leaked = {
      ...p,
      sources: {
        ...p.sources,
        paper: {
          ...p.sources.paper,
          counts: p.sources.paper.counts.map((x) =>
            x.suppressed && x.question === 'u1'
              ? {
                  ...x,
                  count:
                    paper.find(
                      (y) => y.question === x.question && y.option === x.option && y.raterCategory === x.raterCategory,
                    )?.count ?? 0,
                  suppressed: undefined,
                }
              : x,
          ),
        },
      },
    };
    const sys = tallySystem(rating, publishedFigures(leaked as typeof p));
    expect(recoverable(sys, sys.unknownIds).length).toBeGreaterThan(0);
  });

  it('without paper the online table is the combined one and the paper table empty', () => {
    const p = publicTally(rating, { ...exact(online, []), sources: undefined }, 5);
    expect(p.sources.online.counts).toEqual(p.counts);
    expect(p.sources.paper).toEqual({ responses: { count: 0 }, turnout: [], counts: [] });
  });
});
