// Small-cell and secondary suppression (src/domain/disclosure.ts) and the one
// public view of a tally built on it (src/domain/public-tally.ts): no count of
// 1..k-1 leaves, and no hidden count can be solved back from what is published.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CellSystem, mergeAliases, recoverable, suppress } from '../../src/domain/disclosure';
import { cellText, publicTally, publishedFigures, tallySystem } from '../../src/domain/public-tally';
import type { Instrument } from '../../src/domain/schemas/instrument';
import type { TallyCount } from '../../src/domain/schemas/participation';
import { subjectScores } from '../../src/domain/tally';
import { opts } from '../support/unit-fixtures';

/** A rows × columns table with its row totals, column totals and grand total, as a cell system. */
function table(values: number[][]): CellSystem {
  const cells: CellSystem['cells'] = new Map();
  const sums: CellSystem['sums'] = [];
  const cols = values[0]?.length ?? 0;
  values.forEach((row, i) => {
    row.forEach((v, j) => {
      cells.set(`c${i},${j}`, { value: v });
    });
    cells.set(`r${i}`, { value: row.reduce((a, b) => a + b, 0) });
    sums.push({ total: `r${i}`, parts: row.map((_, j) => `c${i},${j}`) });
  });
  for (let j = 0; j < cols; j++) {
    cells.set(`k${j}`, { value: values.reduce((a, r) => a + (r[j] ?? 0), 0) });
    sums.push({ total: `k${j}`, parts: values.map((_, i) => `c${i},${j}`) });
  }
  cells.set('all', { value: values.flat().reduce((a, b) => a + b, 0) });
  sums.push({ total: 'all', parts: values.map((_, i) => `r${i}`) });
  return { cells, sums };
}

const small = (sys: CellSystem, hidden: Set<string>, k: number) =>
  [...sys.cells].filter(([id, c]) => !hidden.has(id) && c.value > 0 && c.value < k).map(([id]) => id);

describe('suppress', () => {
  it('hides 1..k-1 and keeps zeros and counts of k or more', () => {
    const sys = table([[0, 1, 4, 5, 12]]);
    const hidden = suppress(sys, 5);
    expect(hidden.has('c0,1')).toBe(true);
    expect(hidden.has('c0,2')).toBe(true);
    expect(hidden.has('c0,0')).toBe(false);
    expect(hidden.has('c0,4')).toBe(false);
  });

  it('hides a second cell where one hidden cell would follow from the row total', () => {
    // 13 + 3 + 2 = 18 with 18 published: both small cells hide, and since their column
    // totals would give them back, cells of the other row hide too.
    const sys = table([
      [13, 3, 2],
      [12, 5, 1],
    ]);
    const hidden = suppress(sys, 5);
    expect(small(sys, hidden, 5)).toEqual([]);
    expect(recoverable(sys, hidden)).toEqual([]);
    for (const s of sys.sums) {
      const n = [s.total, ...s.parts].filter((id) => hidden.has(id)).length;
      expect(n === 0 || n >= 2, `${s.total}: ${n} hidden`).toBe(true);
    }
  });

  it('finds what primary suppression alone leaves recomputable (the check can fail)', () => {
    const sys = table([
      [13, 3, 7],
      [12, 6, 9],
    ]);
    const primaryOnly = new Set(['c0,1']);
    expect(recoverable(sys, primaryOnly)).toEqual(['c0,1']);
    // Two hidden in the row but the column still gives one back: 3 = k1 − 6.
    expect(recoverable(sys, new Set(['c0,1', 'c0,0']))).toContain('c0,1');
  });

  it('leaves nothing small and nothing recomputable on random tables with margins', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 14 }), { minLength: 2, maxLength: 4 }), {
          minLength: 2,
          maxLength: 4,
        }),
        fc.integer({ min: 2, max: 6 }),
        (rows, k) => {
          const width = Math.min(...rows.map((r) => r.length));
          const sys = table(rows.map((r) => r.slice(0, width)));
          const hidden = suppress(sys, k);
          expect(small(sys, hidden, k)).toEqual([]);
          expect(recoverable(sys, hidden)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('links two tables of the same responses (turnout = one question answered by every response)', () => {
    // Turnout 18 per category is published; one option count of 1 would follow from the other two.
    const sys: CellSystem = {
      cells: new Map([
        ['a', { value: 12 }],
        ['b', { value: 5 }],
        ['c', { value: 1 }],
        ['t', { value: 18, cost: 1e6 }],
      ]),
      sums: [{ total: 't', parts: ['a', 'b', 'c'] }],
    };
    const hidden = suppress(sys, 5);
    expect(hidden).toEqual(new Set(['c', 'b']));
    expect(recoverable(sys, hidden)).toEqual([]);
  });

  it('merges two names of one sum so they hide together', () => {
    const sys: CellSystem = {
      cells: new Map([
        ['x', { value: 3 }],
        ['y', { value: 9 }],
        ['t', { value: 12 }],
        ['answers', { value: 12 }],
      ]),
      sums: [
        { total: 't', parts: ['x', 'y'] },
        { total: 'answers', parts: ['x', 'y'] },
      ],
    };
    const { sys: merged, alias } = mergeAliases(sys);
    expect(alias.get('answers')).toBe('t');
    expect(merged.sums).toHaveLength(1);
  });
});

describe('publicTally', () => {
  const unit = (id: string) => ({ kind: 'unit' as const, id });
  const grades = opts('good', 'fair', 'poor');
  const inst = {
    questions: [
      { id: 'u1', type: 'choice', subject: unit('u1'), label: 'u1', required: true, options: grades },
      { id: 'u2', type: 'choice', subject: unit('u2'), label: 'u2', required: true, options: grades },
    ] as Instrument['questions'],
    gradeScores: { good: 100, fair: 60, poor: 0 },
    categoryWeights: {},
    share: 10,
    layout: { subjects: [unit('u1'), unit('u2')] },
    minKnown: 1,
    indicators: { on: 'graded', good: ['good'], alertShare: 1 / 3 },
  } as unknown as Instrument;
  const count = (question: string, option: string, raterCategory: string, n: number) =>
    ({ question, option, raterCategory, count: n }) as TallyCount;
  const counts = [
    count('u1', 'good', 'npc_deputy', 14),
    count('u1', 'fair', 'npc_deputy', 4),
    count('u1', 'good', 'cppcc_member', 9),
    count('u1', 'fair', 'cppcc_member', 6),
    count('u1', 'poor', 'cppcc_member', 3),
    count('u2', 'good', 'npc_deputy', 18),
    count('u2', 'good', 'cppcc_member', 18),
  ];
  const turnout = [
    { raterCategory: 'npc_deputy', responses: 18 },
    { raterCategory: 'cppcc_member', responses: 18 },
  ];
  const exact = { counts, turnout, subjects: subjectScores(inst, counts), validity: null };

  it('publishes no count of 1..k-1 in any form, and none that can be solved back', () => {
    const p = publicTally(inst, exact, 5);
    const shown = [
      ...p.counts.map((c) => c.count),
      ...p.totals.map((c) => c.count),
      ...p.rows.map((c) => c.count),
      ...p.turnout.map((t) => t.responses),
      p.responses.count,
      ...p.subjects.flatMap((s) => [s.known, s.unknown, ...s.byCategory.map((b) => b.answers)]),
    ];
    expect(shown.filter((n) => n !== null && n > 0 && n < 5)).toEqual([]);
    expect(
      p.counts.find((c) => c.question === 'u1' && c.option === 'fair' && c.raterCategory === 'npc_deputy'),
    ).toEqual({ question: 'u1', option: 'fair', raterCategory: 'npc_deputy', count: null, suppressed: true });
    // The proof as the e2e test runs it: the same relations, built from published figures only.
    const sys = tallySystem(inst, publishedFigures(p));
    expect(recoverable(sys, sys.unknownIds)).toEqual([]);
    // Turnout is public anyway (the spent-token list): never hidden, always known to the audit.
    expect(p.turnout.map((t) => t.responses)).toEqual([18, 18]);
  });

  it('keeps the exact figures out of nothing but what it hides (scores from k answers stay)', () => {
    const p = publicTally(inst, exact, 5);
    const u2 = p.subjects.find((s) => s.subject.id === 'u2');
    expect(u2?.score).toBe(100);
    expect(u2?.known).toBe(36);
  });

  it('withholds a score and its shares below k answers (on top of minKnown)', () => {
    const few = [count('u1', 'good', 'npc_deputy', 3), count('u2', 'good', 'npc_deputy', 3)];
    const p = publicTally(
      inst,
      {
        counts: few,
        turnout: [{ raterCategory: 'npc_deputy', responses: 3 }],
        subjects: subjectScores(inst, few),
        validity: null,
      },
      5,
    );
    for (const s of p.subjects) {
      expect(s.status).toBe('insufficient');
      expect(s.score).toBeNull();
      expect(s.indicators).toBeUndefined();
      expect(s.known).toBeNull();
    }
    expect(p.turnout).toEqual([{ raterCategory: 'npc_deputy', responses: null, suppressed: true }]);
  });

  it('shows a suppressed count as "<k"', () => {
    expect(cellText({ count: null, suppressed: true }, 5)).toBe('<5');
    expect(cellText({ count: 12 }, 5)).toBe('12');
    expect(cellText({ count: 0 }, 10)).toBe('0');
  });
});
