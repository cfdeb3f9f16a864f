import { describe, expect, it } from 'vitest';
import { answersSchema, expandInstrument, instrumentStatus } from '../../src/domain/instrument';
import { instrumentSource } from '../../src/domain/schemas/instrument';
import { canonicalAnswers, subjectScores, tallyPairs } from '../../src/domain/tally';

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
