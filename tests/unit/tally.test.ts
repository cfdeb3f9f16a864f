// Counting (src/domain/tally.ts): what one response adds to the counters, the
// one stored form of its answers, the recount that `tally:verify` trusts, the
// weighted score of a subject, and the public turnout that must not let a
// single response be timed. The ballot expansion itself is in instrument.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/domain/instrument';
import type { Instrument } from '../../src/domain/schemas/instrument';
import type { TallyCount } from '../../src/domain/schemas/participation';
import {
  canonicalAnswers,
  codesIssued,
  countKey,
  recount,
  round,
  scoreRuleOf,
  shownTurnout,
  subjectScores,
  TEXT_OPTION,
  TURNOUT_STEP,
  talliesReleased,
  tallyPairs,
  validityOf,
} from '../../src/domain/tally';
import { opts } from '../support/unit-fixtures';

const questions: Instrument['questions'] = [
  { id: 'c', type: 'choice', label: 'C', required: true, options: opts('a', 'b') },
  { id: 'm', type: 'multi', label: 'M', required: true, options: opts('x', 'y', 'z'), min: 0 },
  { id: 't', type: 'text', label: 'T', required: false, maxLength: 50 },
];
const inst = { questions };

describe('tallyPairs', () => {
  it('counts every option of a multi-choice answer, not the answer once', () => {
    expect(tallyPairs(inst, { m: ['x', 'z'] })).toEqual([
      ['m', 'x'],
      ['m', 'z'],
    ]);
  });

  it('counts a text answer under one option, never its text, and only when it has any', () => {
    expect(tallyPairs(inst, { t: ' 有意见 ' })).toEqual([['t', TEXT_OPTION]]);
    expect(tallyPairs(inst, { t: '   ' })).toEqual([]);
    expect(tallyPairs(inst, { t: '' })).toEqual([]);
  });

  it('skips unanswered questions, answers of the wrong shape and ids the instrument does not have', () => {
    expect(tallyPairs(inst, {})).toEqual([]);
    expect(tallyPairs(inst, { c: ['a'], m: 'x', other: 'a' })).toEqual([]);
    expect(tallyPairs(inst, { m: [] })).toEqual([]);
  });

  it('follows the order of the questions, not of the answer keys', () => {
    expect(tallyPairs(inst, { t: 'x', m: ['y'], c: 'b' })).toEqual([
      ['c', 'b'],
      ['m', 'y'],
      ['t', TEXT_OPTION],
    ]);
  });
});

describe('canonicalAnswers', () => {
  const answers = fc.record(
    { c: fc.constantFrom('a', 'b'), m: fc.subarray(['x', 'y', 'z']), t: fc.string({ maxLength: 10 }) },
    { requiredKeys: [] },
  );
  const shuffled = (a: Answers, seed: number): Answers => {
    const keys = Object.keys(a);
    const rot = (xs: string[]) => xs.map((_, i) => xs[(i + seed) % xs.length] as string);
    return Object.fromEntries(rot(keys).map((k) => [k, Array.isArray(a[k]) ? rot(a[k]) : (a[k] as string)]));
  };

  it('is one string per meaning: the order of keys and of multi choices, and spaces around text, do not matter', () => {
    fc.assert(
      fc.property(answers, fc.nat(5), (a, seed) => {
        const b = shuffled(a as Answers, seed);
        if (typeof b.t === 'string') b.t = ` ${b.t}\n`;
        expect(canonicalAnswers(b)).toBe(canonicalAnswers(a as Answers));
      }),
    );
  });

  it('differs when an answer differs', () => {
    expect(canonicalAnswers({ c: 'a' })).not.toBe(canonicalAnswers({ c: 'b' }));
    expect(canonicalAnswers({ m: ['x'] })).not.toBe(canonicalAnswers({ m: ['x', 'y'] }));
    expect(canonicalAnswers({ t: 'a b' })).not.toBe(canonicalAnswers({ t: 'ab' }));
  });

  it('leaves the answers it is given untouched', () => {
    const a = { m: ['z', 'x'], t: ' t ' };
    canonicalAnswers(a);
    expect(a).toEqual({ m: ['z', 'x'], t: ' t ' });
  });
});

describe('recount', () => {
  const response = fc.record({
    raterCategory: fc.constantFrom('party_deputy', 'npc_deputy', 'public'),
    answers: fc.record(
      { c: fc.constantFrom('a', 'b'), m: fc.subarray(['x', 'y', 'z']), t: fc.constantFrom('', ' ', '意见') },
      { requiredKeys: [] },
    ),
  });

  it('adds up to one turnout per response and one count per tally pair', () => {
    fc.assert(
      fc.property(fc.array(response, { maxLength: 30 }), (rs) => {
        const { counts, turnout } = recount(inst, rs as { raterCategory: string; answers: Answers }[]);
        const sum = (m: Map<string, number>) => [...m.values()].reduce((s, n) => s + n, 0);
        expect(sum(turnout)).toBe(rs.length);
        expect(sum(counts)).toBe(rs.reduce((s, r) => s + tallyPairs(inst, r.answers as Answers).length, 0));
        for (const [cat, n] of turnout) expect(n).toBe(rs.filter((r) => r.raterCategory === cat).length);
        // A multi-choice option is counted once per response that chose it.
        const chose = (o: string) =>
          rs.filter((r) => r.raterCategory === 'public' && (r.answers.m ?? []).includes(o)).length;
        expect(counts.get(countKey('m', 'y', 'public')) ?? 0).toBe(chose('y'));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps categories apart', () => {
    const { counts } = recount(inst, [
      { raterCategory: 'party_deputy', answers: { c: 'a' } },
      { raterCategory: 'npc_deputy', answers: { c: 'a' } },
    ]);
    expect(counts.get(countKey('c', 'a', 'party_deputy'))).toBe(1);
    expect(counts.get(countKey('c', 'a', 'npc_deputy'))).toBe(1);
  });

  it('keys cannot collide across question, option and category', () => {
    expect(countKey('a.b', 'c', 'x')).not.toBe(countKey('a', 'b.c', 'x'));
    expect(countKey('a', 'b', 'cx')).not.toBe(countKey('a', 'bc', 'x'));
  });
});

describe('subjectScores', () => {
  const grades = opts('good', 'fair', 'poor');
  const unit = (id: string) => ({ kind: 'unit' as const, id });
  const scored = {
    questions: [
      { id: 'u1.i1', type: 'choice', subject: unit('u1'), label: 'i1', required: true, options: grades },
      { id: 'u1.i2', type: 'choice', subject: unit('u1'), label: 'i2', required: true, options: grades },
      {
        id: 'u1.problems',
        type: 'multi',
        subject: unit('u1'),
        label: 'p',
        required: false,
        options: opts('p1'),
        min: 0,
      },
      { id: 'u2.i1', type: 'choice', subject: unit('u2'), label: 'i1', required: true, options: grades },
      { id: 'general', type: 'choice', label: 'g', required: true, options: grades },
    ] as Instrument['questions'],
    gradeScores: { good: 100, fair: 60, poor: 0 },
    // Seed 001's weights of the four staff groups, on the categories we have.
    categoryWeights: { party_deputy: 40, npc_deputy: 30, cppcc_member: 20, masses_rep: 10 },
    share: 20,
    layout: { subjects: [unit('u1'), unit('u2')] },
    // These hand-made counts are small: score any subject with one known answer.
    minKnown: 1,
  };
  const count = (question: string, option: string, raterCategory: string, n: number) =>
    ({ question, option, raterCategory, count: n }) as TallyCount;

  it('weights the categories 40/30/20/10 as computed by hand', () => {
    const [u1] = subjectScores(scored, [
      count('u1.i1', 'good', 'party_deputy', 3), // party: (3*100 + 1*60) / 4 = 90
      count('u1.i2', 'fair', 'party_deputy', 1),
      count('u1.i1', 'poor', 'npc_deputy', 1), // npc: (0 + 100) / 2 = 50
      count('u1.i2', 'good', 'npc_deputy', 1),
      count('u1.i1', 'fair', 'cppcc_member', 2), // cppcc: 60
      count('u1.i1', 'good', 'masses_rep', 1), // masses: 100
    ]);
    // 0.4*90 + 0.3*50 + 0.2*60 + 0.1*100 = 36 + 15 + 12 + 10 = 73; x20% = 14.6
    expect(u1?.score).toBe(73);
    expect(u1?.contribution).toBe(14.6);
    expect(u1?.byCategory).toEqual([
      { raterCategory: 'party_deputy', score: 90, answers: 4 },
      { raterCategory: 'npc_deputy', score: 50, answers: 2 },
      { raterCategory: 'cppcc_member', score: 60, answers: 2 },
      { raterCategory: 'masses_rep', score: 100, answers: 1 },
    ]);
  });

  it('renormalises the weights over the categories that answered', () => {
    const [u1] = subjectScores(scored, [
      count('u1.i1', 'good', 'party_deputy', 1), // 100, weight 40
      count('u1.i1', 'poor', 'masses_rep', 1), // 0, weight 10
    ]);
    expect(u1?.score).toBe(80); // (40*100 + 10*0) / 50
  });

  it('scores each subject only from its own questions, ignoring ungraded options and unrelated questions', () => {
    const [u1, u2] = subjectScores(scored, [
      count('u1.i1', 'good', 'party_deputy', 2),
      count('u1.problems', 'p1', 'party_deputy', 5),
      count('general', 'poor', 'party_deputy', 9),
      count('u2.i1', 'poor', 'party_deputy', 1),
    ]);
    expect(u1).toMatchObject({ score: 100, byCategory: [{ raterCategory: 'party_deputy', answers: 2 }] });
    expect(u2).toMatchObject({ score: 0, contribution: 0 });
  });

  it('has no score (not zero) without graded answers', () => {
    const empty = { status: 'insufficient', known: 0, unknown: 0, score: null, contribution: null, byCategory: [] };
    expect(subjectScores(scored, [])).toEqual([
      { subject: unit('u1'), ...empty },
      { subject: unit('u2'), ...empty },
    ]);
  });

  it('finds the subjects in the questions when the layout names none, each once', () => {
    const s = subjectScores({ ...scored, layout: { subjects: [] } }, []);
    expect(s.map((x) => x.subject)).toEqual([unit('u1'), unit('u2')]);
  });

  it('stays between the lowest and the highest grade score, whatever the counts', () => {
    const cell = fc.record({
      question: fc.constantFrom('u1.i1', 'u1.i2'),
      option: fc.constantFrom('good', 'fair', 'poor', 'p1'),
      raterCategory: fc.constantFrom('party_deputy', 'npc_deputy', 'cppcc_member', 'masses_rep', 'public'),
      count: fc.nat(1000),
    });
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 20 }), (cells) => {
        const [u1] = subjectScores(scored, cells as TallyCount[]);
        if (u1?.score === null) return;
        expect(u1?.score).toBeGreaterThanOrEqual(0);
        expect(u1?.score).toBeLessThanOrEqual(100);
      }),
    );
  });
});

describe('round', () => {
  it('rounds to two decimals, as published', () => {
    expect(round(73.456)).toBe(73.46);
    expect(round(66.666666)).toBe(66.67);
    expect(round(100 / 3)).toBe(33.33);
  });
});

describe('what leaves before close', () => {
  it('releases per-option counts only once an instrument is closed', () => {
    expect(talliesReleased('closed')).toBe(true);
    expect(talliesReleased('open')).toBe(false);
    expect(talliesReleased('not_open')).toBe(false);
  });

  it('shows turnout in steps of 5 rounded down before close, so one response cannot be timed', () => {
    expect(TURNOUT_STEP).toBe(5);
    expect([0, 1, 4, 5, 9, 10, 14].map((n) => shownTurnout(n, false))).toEqual([0, 0, 0, 5, 5, 10, 10]);
    expect(shownTurnout(14, true)).toBe(14);
  });

  it('never shows more than there is, and moves only after TURNOUT_STEP new responses', () => {
    fc.assert(
      fc.property(fc.nat(100_000), (n) => {
        const shown = shownTurnout(n, false);
        expect(shown % TURNOUT_STEP).toBe(0);
        expect(shown).toBeLessThanOrEqual(n);
        expect(n - shown).toBeLessThan(TURNOUT_STEP);
        expect(shownTurnout(n + 1, false) - shown).toBeLessThanOrEqual(TURNOUT_STEP);
      }),
    );
  });
});

// The rater model's figures (issue 18): 不了解 outside the denominator, 样本不足, the practice's
// indicators, the validity of a round, and codes issued to targeted batches.
describe('the rater model in the scores', () => {
  const overall = (s: string) =>
    ({
      id: `${s}.overall`,
      type: 'choice',
      subject: { kind: 'official', id: s },
      label: '总体评价',
      required: true,
      options: [
        { id: 'excellent', label: '优秀' },
        { id: 'competent', label: '称职' },
        { id: 'basic', label: '基本称职' },
        { id: 'incompetent', label: '不称职' },
      ],
    }) as Instrument['questions'][number];
  const off = (s: string) => ({ kind: 'official' as const, id: s });
  const unit = (id: string) => ({ kind: 'unit' as const, id });
  const officials = {
    questions: [
      {
        id: 'o1.unknown',
        type: 'multi',
        subject: off('o1'),
        role: 'unknown',
        label: '不了解',
        required: false,
        options: [{ id: 'unknown', label: '不了解' }],
        min: 0,
        max: 1,
      },
      overall('o1'),
    ] as Instrument['questions'],
    gradeScores: { excellent: 100, competent: 80, basic: 60, incompetent: 0 },
    categoryWeights: { npc_deputy: 50, party_deputy: 50 },
    share: 20,
    layout: { subjects: [off('o1')] },
    minKnown: 3,
    indicators: {
      on: 'overall' as const,
      good: ['excellent'],
      excellent: ['excellent'],
      competent: ['excellent', 'competent'],
      incompetent: ['incompetent'],
      alertShare: 1 / 3,
    },
  };
  const count = (question: string, option: string, raterCategory: string, n: number) =>
    ({ question, option, raterCategory, count: n }) as TallyCount;
  const base = [
    count('o1.overall', 'excellent', 'npc_deputy', 2),
    count('o1.overall', 'competent', 'npc_deputy', 2),
    count('o1.overall', 'incompetent', 'party_deputy', 1),
    count('o1.overall', 'competent', 'party_deputy', 1),
  ];

  it('leaves 不了解 out of the denominator: any number of them changes no score, only the published count', () => {
    const [without] = subjectScores(officials, base);
    const [withUnknown] = subjectScores(officials, [...base, count('o1.unknown', 'unknown', 'npc_deputy', 7)]);
    // npc: (200 + 160) / 4 = 90; party: (0 + 80) / 2 = 40; 50/50 → 65.
    expect(without?.score).toBe(65);
    expect(withUnknown?.score).toBe(65);
    expect([withUnknown?.known, withUnknown?.unknown]).toEqual([6, 7]);
  });

  it('marks a subject with fewer known answers than the minimum 样本不足, with no score', () => {
    const [few] = subjectScores(officials, base.slice(0, 1));
    expect(few).toMatchObject({ status: 'insufficient', known: 2, score: null, contribution: null });
    const [enough] = subjectScores({ ...officials, minKnown: 2 }, base.slice(0, 1));
    expect(enough).toMatchObject({ status: 'scored', known: 2, score: 100 });
  });

  it('gives 优秀率, 称职率 and the 不称职 share, and flags above one third (not at it)', () => {
    const [s] = subjectScores(officials, base);
    expect(s?.indicators).toEqual({
      good: 0.3333,
      excellent: 0.3333,
      competent: 0.8333,
      incompetent: 0.1667,
      alert: false,
    });
    const third = [
      count('o1.overall', 'incompetent', 'npc_deputy', 1),
      count('o1.overall', 'competent', 'npc_deputy', 2),
    ];
    expect(subjectScores({ ...officials, minKnown: 1 }, third)[0]?.indicators?.alert).toBe(false);
    const over = [...third, count('o1.overall', 'incompetent', 'party_deputy', 1)];
    expect(subjectScores({ ...officials, minKnown: 1 }, over)[0]?.indicators?.alert).toBe(true);
  });

  it('says a round is not valid when a category stays below its minimum turnout, and why', () => {
    const rule = { validity: { minTurnout: { staff: 80, middle_manager: 80 } } };
    const v = validityOf(
      rule,
      [
        { raterCategory: 'staff', responses: 16, codesIssued: 20 },
        { raterCategory: 'middle_manager', responses: 7, codesIssued: 10 },
      ],
      (c) => (c === 'staff' ? '一般干部' : '中层干部'),
    );
    expect(v).toMatchObject({ valid: false, reasons: ['中层干部参评率 70% (7/10), 低于 80%'] });
    expect(v?.categories.map((c) => [c.raterCategory, c.reached, c.met])).toEqual([
      ['staff', 80, true],
      ['middle_manager', 70, false],
    ]);
    expect(validityOf({}, [])).toBeNull();
    expect(validityOf(rule, [])?.reasons).toEqual(['staff未发放参与码', 'middle_manager未发放参与码']);
  });

  it('counts a targeted batch for its own subjects only, an untargeted one for all, and only allowed categories', () => {
    const inst = {
      raterCategories: ['service_recipient', 'npc_deputy'],
      layout: { subjects: [unit('u1'), unit('u2')] },
      questions: [
        { id: 'u1', type: 'choice', subject: unit('u1'), label: 'x', required: true, options: [] },
        { id: 'u2', type: 'choice', subject: unit('u2'), label: 'x', required: true, options: [] },
      ] as Instrument['questions'],
    };
    const issued = codesIssued(inst, [
      { raterCategory: 'npc_deputy', scope: '*', n: 10 },
      { raterCategory: 'service_recipient', scope: 'u1', n: 20 },
      { raterCategory: 'service_recipient', scope: 'x9', n: 5 },
      { raterCategory: 'masses_rep', scope: '*', n: 7 },
    ]);
    expect(issued.byCategory).toEqual(
      new Map([
        ['npc_deputy', 10],
        ['service_recipient', 20],
      ]),
    );
    expect(issued.bySubject).toEqual(
      new Map([
        ['u1', 30],
        ['u2', 10],
      ]),
    );
  });

  it('states the rule it applies: weights, points, 不了解, the minimum and the share', () => {
    const rule = scoreRuleOf({ ...officials, unknown: true });
    expect(rule).toMatchObject({
      weights: { npc_deputy: 50, party_deputy: 50 },
      share: 20,
      unknown: true,
      minKnown: 3,
    });
    expect(rule.text).toContain('不了解');
    expect(rule.text).toContain('少于 3 份');
    expect(rule.text).toContain('× 20%');
  });
});
