import { describe, expect, it } from 'vitest';
import {
  answersSchema,
  coversInstrument,
  expandInstrument,
  instrumentStatus,
  scopedSubjects,
} from '../../src/domain/instrument';
import { instrumentSource } from '../../src/domain/schemas/instrument';
import { canonicalAnswers, subjectScores, tallyPairs } from '../../src/domain/tally';
import { openWindow } from '../support/unit-fixtures';

const ballot = expandInstrument(
  instrumentSource.parse({
    id: 'b',
    appraisal: 'a',
    kind: 'ballot',
    title: '测评',
    access: 'code',
    raterCategories: ['npc_deputy'],
    opensAt: '2026-11-20T08:00:00+08:00',
    closesAt: '2026-12-20T18:00:00+08:00',
    subjectKind: 'official',
    subjects: ['o1', 'o2'],
    // The base layout; 不了解 and scopes have tests of their own below.
    unknown: false,
    minKnown: 1,
    items: [
      { id: 'de', category: '德', label: '政治品质' },
      { id: 'neng', category: '能', label: '业务能力' },
    ],
    overall: {
      label: '总体评价',
      options: [
        { id: 'excellent', label: '优秀' },
        { id: 'competent', label: '称职' },
      ],
    },
    problems: [{ id: 'p1', label: '服务意识不强' }],
  }),
);

describe('instrument engine', () => {
  it('expands a ballot into subjects x items, the overall grade and the problem checklist', () => {
    expect(ballot.questions.map((q) => q.id)).toEqual([
      'o1.de',
      'o1.neng',
      'o1.overall',
      'o1.problems',
      'o2.de',
      'o2.neng',
      'o2.overall',
      'o2.problems',
    ]);
    expect(ballot.questions[0]).toMatchObject({ type: 'choice', subject: { kind: 'official', id: 'o1' }, hint: '德' });
    expect(ballot.questions[3]).toMatchObject({ type: 'multi', required: false, min: 0, max: 1 });
  });

  it('validates answers with one schema: required, options, extra questions', () => {
    const s = answersSchema(ballot);
    const full = {
      'o1.de': 'good',
      'o1.neng': 'fair',
      'o1.overall': 'excellent',
      'o2.de': 'poor',
      'o2.neng': 'good',
      'o2.overall': 'competent',
    };
    expect(s.safeParse(full).success).toBe(true);
    expect(s.safeParse({ ...full, 'o1.problems': ['p1'] }).success).toBe(true);
    const missing = s.safeParse({ ...full, 'o2.de': undefined });
    expect(missing.success).toBe(false);
    expect(s.safeParse({ ...full, 'o1.de': 'great' }).success).toBe(false);
    expect(s.safeParse({ ...full, extra: 'x' }).success).toBe(false);
  });

  it('knows the status at an instant and honours a staff override', () => {
    expect(instrumentStatus(ballot, new Date('2026-11-20T00:00:00Z'))).toBe('open');
    expect(instrumentStatus(ballot, new Date('2026-11-19T23:59:59Z'))).toBe('not_open');
    expect(instrumentStatus(ballot, new Date('2026-12-20T10:00:00Z'))).toBe('closed');
    expect(instrumentStatus(ballot, new Date('2026-11-25T00:00:00Z'), 'closed')).toBe('closed');
    expect(instrumentStatus(ballot, new Date('2026-11-25T00:00:00Z'), 'paused')).toBe('not_open');
  });

  it('turns answers into tally pairs and one canonical stored form', () => {
    const a = { 'o1.problems': ['p1'], 'o1.de': 'good', 'o2.overall': 'competent' };
    expect(tallyPairs(ballot, a)).toEqual([
      ['o1.de', 'good'],
      ['o1.problems', 'p1'],
      ['o2.overall', 'competent'],
    ]);
    expect(canonicalAnswers({ b: [' y', 'x'].map((s) => s.trim()), a: ' t ' })).toBe('{"a":"t","b":["x","y"]}');
  });

  it('scores subjects with equal category weights when none are set', () => {
    const scores = subjectScores({ ...ballot, gradeScores: { good: 100, poor: 0 }, share: 50 }, [
      { question: 'o1.de', option: 'good', raterCategory: 'npc_deputy', count: 3 },
      { question: 'o1.de', option: 'poor', raterCategory: 'party_deputy', count: 1 },
    ]);
    expect(scores[0]).toMatchObject({ subject: { id: 'o1' }, score: 50, contribution: 25 });
    expect(scores[1]).toMatchObject({ subject: { id: 'o2' }, score: null });
  });
});

const rating = expandInstrument(
  instrumentSource.parse({
    id: 'r',
    appraisal: 'a',
    kind: 'rating',
    title: '满意度评议',
    access: 'public',
    ...openWindow,
    subjects: ['u1', 'u2'],
    unknown: false,
    comment: { maxLength: 5 },
  }),
);
const vote = expandInstrument(
  instrumentSource.parse({
    id: 'v',
    appraisal: 'a',
    kind: 'vote',
    title: '网上投票',
    access: 'public',
    ...openWindow,
    prompt: '选出两项',
    candidates: [
      { id: 'c1', label: '甲', subject: { kind: 'unit', id: 'u1' } },
      { id: 'c2', label: '乙' },
      { id: 'c3', label: '丙', subject: { kind: 'official', id: 'o1' } },
    ],
    min: 1,
    max: 2,
  }),
);

describe('other kinds', () => {
  it('expands a rating into one scale question per unit and an optional comment', () => {
    expect(rating.questions.map((q) => [q.id, q.type, q.required])).toEqual([
      ['u1', 'choice', true],
      ['u1.comment', 'text', false],
      ['u2', 'choice', true],
      ['u2.comment', 'text', false],
    ]);
    expect(rating.questions[0]).toMatchObject({
      subject: { kind: 'unit', id: 'u1' },
      options: [{ id: 'satisfied' }, { id: 'basically' }, { id: 'unsatisfied' }],
    });
    expect(rating.layout.subjects).toEqual([
      { kind: 'unit', id: 'u1' },
      { kind: 'unit', id: 'u2' },
    ]);
  });

  it('expands a vote into one multi-choice question with its bounds; the layout holds the candidates with a subject', () => {
    expect(vote.questions).toEqual([
      {
        id: 'choice',
        type: 'multi',
        label: '选出两项',
        required: true,
        options: [
          { id: 'c1', label: '甲' },
          { id: 'c2', label: '乙' },
          { id: 'c3', label: '丙' },
        ],
        min: 1,
        max: 2,
      },
    ]);
    expect(vote.layout.subjects).toEqual([
      { kind: 'unit', id: 'u1' },
      { kind: 'official', id: 'o1' },
    ]);
  });

  it('keeps the settings every kind shares (weights, share, dates in UTC, tally policy)', () => {
    expect(rating).toMatchObject({
      id: 'r',
      access: 'public',
      raterCategories: [],
      opensAt: '2026-11-20T00:00:00.000Z',
      closesAt: '2026-12-20T10:00:00.000Z',
      tallyPolicy: 'after_close',
      share: 0,
    });
  });
});

describe('answers schema', () => {
  const s = answersSchema(vote);
  const r = answersSchema(rating);

  it('holds a multi-choice answer to its min, max and distinct options', () => {
    expect(s.safeParse({ choice: ['c1'] }).success).toBe(true);
    expect(s.safeParse({ choice: ['c1', 'c3'] }).success).toBe(true);
    expect(s.safeParse({ choice: [] }).success).toBe(false);
    expect(s.safeParse({ choice: ['c1', 'c2', 'c3'] }).success).toBe(false);
    expect(s.safeParse({ choice: ['c1', 'c1'] }).success).toBe(false);
    expect(s.safeParse({ choice: 'c1' }).success).toBe(false);
    expect(s.safeParse({}).success).toBe(false);
  });

  it('trims a text answer before its length is checked, and lets an optional one be left out', () => {
    expect(r.parse({ u1: 'satisfied', u2: 'basically', 'u1.comment': '  12345  ' })).toEqual({
      u1: 'satisfied',
      u2: 'basically',
      'u1.comment': '12345',
    });
    expect(r.safeParse({ u1: 'satisfied', u2: 'basically', 'u1.comment': '123456' }).success).toBe(false);
    expect(r.safeParse({ u1: 'satisfied', u2: 'basically' }).success).toBe(true);
    expect(r.safeParse({ u1: 'satisfied', u2: 'basically', 'u1.comment': 5 }).success).toBe(false);
  });

  it('refuses a blank required text', () => {
    const q = answersSchema({ questions: [{ id: 't', type: 'text', label: 'T', required: true, maxLength: 10 }] });
    expect(q.safeParse({ t: '   ' }).success).toBe(false);
    expect(q.safeParse({ t: ' x ' }).success).toBe(true);
  });

  it('refuses inherited and prototype keys as unknown questions', () => {
    expect(r.safeParse(JSON.parse('{"u1":"satisfied","u2":"basically","__proto__":"x"}')).success).toBe(false);
    expect(r.safeParse({ u1: 'satisfied', u2: 'basically', constructor: 'x' }).success).toBe(false);
  });

  it('is built once per instrument definition', () => {
    expect(answersSchema(vote)).toBe(s);
    expect(answersSchema({ questions: vote.questions })).toBe(s);
    expect(answersSchema(rating)).not.toBe(s);
  });
});

describe('status at the edges', () => {
  it('opens at the opening instant and closes at the closing instant itself', () => {
    expect(instrumentStatus(ballot, new Date('2026-11-20T00:00:00.000Z'))).toBe('open');
    expect(instrumentStatus(ballot, new Date('2026-12-20T09:59:59.999Z'))).toBe('open');
    expect(instrumentStatus(ballot, new Date('2026-12-20T10:00:00.000Z'))).toBe('closed');
  });

  it('lets an early close win before opening, and a pause never open a closed instrument', () => {
    expect(instrumentStatus(ballot, new Date('2026-11-01T00:00:00Z'), 'closed')).toBe('closed');
    expect(instrumentStatus(ballot, new Date('2026-12-21T00:00:00Z'), 'paused')).toBe('closed');
    expect(instrumentStatus(ballot, new Date('2026-11-25T00:00:00Z'), null)).toBe('open');
  });
});

// 不了解 and 定点定向 (issue 18): who rates whom, and "don't know" instead of a guess.
const units = (extra: object = {}) =>
  expandInstrument(
    instrumentSource.parse({
      id: 'r2',
      appraisal: 'a',
      kind: 'rating',
      title: '满意度评议',
      access: 'code',
      raterCategories: ['npc_deputy', 'service_recipient'],
      ...openWindow,
      subjects: ['u1', 'u2', 'u3'],
      ...extra,
    }),
    { npc_deputy: 'external', service_recipient: 'external', staff: 'internal' },
  );

describe('不了解 (unknown)', () => {
  it('is offered on each subject when external raters answer, not when only internal ones do, unless the content says', () => {
    expect(
      units()
        .questions.filter((q) => q.role === 'unknown')
        .map((q) => q.id),
    ).toEqual(['u1.unknown', 'u2.unknown', 'u3.unknown']);
    expect(units({ raterCategories: ['staff'] }).unknown).toBe(false);
    expect(units({ raterCategories: ['staff'], unknown: true }).unknown).toBe(true);
    expect(units({ unknown: false }).questions.some((q) => q.role === 'unknown')).toBe(false);
  });

  it('replaces the subject’s answers: with 不了解 nothing else about it is asked, or accepted', () => {
    const s = answersSchema(units());
    const all = { u1: 'satisfied', u2: 'basically', u3: 'unsatisfied' };
    expect(s.safeParse(all).success).toBe(true);
    expect(s.safeParse({ ...all, u2: undefined, 'u2.unknown': ['unknown'] }).success).toBe(true);
    const both = s.safeParse({ ...all, 'u2.unknown': ['unknown'] });
    expect(both.success).toBe(false);
    expect(both.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['u2', '已选“不了解”, 本对象的题目不用作答'],
    ]);
    const missing = s.safeParse({ u1: 'satisfied', u3: 'satisfied' });
    expect(missing.error?.issues.map((i) => i.path.join('.'))).toEqual(['u2']);
    expect(s.safeParse({ ...all, 'u2.unknown': ['yes'] }).success).toBe(false);
  });

  it('is counted on its own question, never as a grade', () => {
    const pairs = tallyPairs(units(), { u1: 'satisfied', 'u2.unknown': ['unknown'], u3: 'satisfied' });
    expect(pairs).toEqual([
      ['u1', 'satisfied'],
      ['u2.unknown', 'unknown'],
      ['u3', 'satisfied'],
    ]);
  });
});

describe('定点定向 (targeted codes)', () => {
  it('answers only about the subjects of the scope: the others may not be answered, those in it must be', () => {
    const s = answersSchema(units(), 'u2');
    expect(s.safeParse({ u2: 'satisfied' }).success).toBe(true);
    expect(s.safeParse({ 'u2.unknown': ['unknown'] }).success).toBe(true);
    const other = s.safeParse({ u2: 'satisfied', u1: 'satisfied' });
    expect(other.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['u1', '您的参与码不涉及这个评议对象'],
    ]);
    expect(s.safeParse({}).error?.issues.map((i) => i.path.join('.'))).toEqual(['u2']);
    // A scope of several subjects, and the untargeted schema for comparison.
    expect(answersSchema(units(), 'u1,u3').safeParse({ u1: 'satisfied', u3: 'basically' }).success).toBe(true);
    expect(answersSchema(units()).safeParse({ u2: 'satisfied' }).success).toBe(false);
  });

  it('covers an instrument with one of its subjects, or one without subjects, and no other', () => {
    expect(coversInstrument(units(), '*')).toBe(true);
    expect(coversInstrument(units(), 'u3')).toBe(true);
    expect(coversInstrument(units(), 'x9,u1')).toBe(true);
    expect(coversInstrument(units(), 'x9')).toBe(false);
    // A vote's one question rates no subject of its own: any code of an allowed category may vote.
    expect(coversInstrument(vote, 'x9')).toBe(true);
    expect(
      coversInstrument(
        { questions: [{ id: 'q', type: 'choice', label: 'q', required: true, options: [] }] } as never,
        'x9',
      ),
    ).toBe(true);
    expect(scopedSubjects(units(), 'u3,x9')).toEqual(new Set(['u3']));
  });
});
