// Authored instruments (src/domain/schemas/instrument.ts): the cross-field
// rules a content author can break: dates, who may answer, weights that sum
// to 100, and a vote's bounds. Expansion into questions is in ../instrument.test.ts.
import { describe, expect, it } from 'vitest';
import { instrumentSource } from '../../../src/domain/schemas/instrument';
import { openWindow } from '../../support/unit-fixtures';

const base = {
  id: 'i',
  appraisal: 'a',
  title: '评议',
  access: 'code',
  raterCategories: ['party_deputy', 'npc_deputy'],
  ...openWindow,
};
const rating = { ...base, kind: 'rating', subjects: ['u1'] };
const vote = {
  ...base,
  kind: 'vote',
  prompt: '选',
  candidates: [
    { id: 'c1', label: '甲' },
    { id: 'c2', label: '乙' },
  ],
  max: 1,
};
const problems = (x: object) => {
  const r = instrumentSource.safeParse(x);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('instrument source', () => {
  it('accepts a well-formed rating and fills the defaults', () => {
    expect(problems(rating)).toEqual([]);
    expect(instrumentSource.parse(rating)).toMatchObject({
      description: '',
      categoryWeights: {},
      gradeScores: {},
      share: 0,
      tallyPolicy: 'after_close',
      scale: [{ id: 'satisfied' }, { id: 'basically' }, { id: 'unsatisfied' }],
    });
  });

  it('closes after it opens, comparing instants, not the local clock times as written', () => {
    expect(problems({ ...rating, closesAt: base.opensAt })).toEqual(['closesAt']);
    expect(problems({ ...rating, closesAt: '2026-11-19T23:59:59Z' })).toEqual(['closesAt']);
    // 02:00 UTC is after 09:00 in China (01:00 UTC), though "02" < "09".
    expect(problems({ ...rating, opensAt: '2026-11-20T09:00:00+08:00', closesAt: '2026-11-20T02:00:00Z' })).toEqual([]);
  });

  it('lists the categories of a code instrument, and none for a public one', () => {
    expect(problems({ ...rating, raterCategories: [] })).toEqual(['raterCategories']);
    expect(problems({ ...rating, access: 'public' })).toEqual(['raterCategories']);
    expect(problems({ ...rating, access: 'public', raterCategories: [] })).toEqual([]);
    // Nobody holds a code of the category "public".
    expect(problems({ ...rating, raterCategories: ['public'] })).toEqual(['raterCategories.0']);
  });

  it('has category weights that sum to 100 (or none), each between 0 and 100', () => {
    expect(problems({ ...rating, categoryWeights: { party_deputy: 60, npc_deputy: 40 } })).toEqual([]);
    expect(problems({ ...rating, categoryWeights: { party_deputy: 60, npc_deputy: 41 } })).toEqual(['categoryWeights']);
    expect(problems({ ...rating, categoryWeights: { party_deputy: 100 } })).toEqual([]);
    expect(
      problems({ ...rating, categoryWeights: { party_deputy: 33.3, npc_deputy: 33.3, masses_rep: 33.4 } }),
    ).toEqual([]);
    expect(problems({ ...rating, categoryWeights: { party_deputy: 110, npc_deputy: -10 } })).not.toEqual([]);
    // Any category id is a name the appraisal may define (the content check ties it to the appraisal's list).
    expect(problems({ ...rating, categoryWeights: { nobody: 100 } })).toEqual([]);
    expect(problems({ ...rating, categoryWeights: { 'Not An Id': 100 } })).not.toEqual([]);
  });

  it("keeps a vote's max between min and the number of candidates", () => {
    expect(problems(vote)).toEqual([]);
    expect(problems({ ...vote, max: 3 })).toEqual(['max']);
    expect(problems({ ...vote, min: 2, max: 1 })).toEqual(['max']);
    expect(problems({ ...vote, min: 0 })).not.toEqual([]);
    expect(problems({ ...vote, candidates: [{ id: 'c1', label: '甲' }] })).not.toEqual([]);
  });

  it('bounds a ballot: a subject kind of group or official, at least one item, 好/中/差 by default', () => {
    const ballot = {
      ...base,
      kind: 'ballot',
      subjectKind: 'official',
      subjects: ['o1'],
      items: [{ id: 'i', category: '德', label: 'x' }],
    };
    expect(instrumentSource.parse(ballot)).toMatchObject({
      grades: [{ id: 'good' }, { id: 'fair' }, { id: 'poor' }],
      problems: [],
    });
    expect(problems({ ...ballot, subjectKind: 'unit' })).toEqual(['subjectKind']);
    expect(problems({ ...ballot, items: [] })).toEqual(['items']);
  });

  it('refuses an unknown kind and a share over 100', () => {
    expect(problems({ ...rating, kind: 'poll' })).toEqual(['kind']);
    expect(problems({ ...rating, share: 101 })).toEqual(['share']);
  });
});

describe('an instrument promises only what the site shows', () => {
  it('refuses a description that promises live counts or results (counts come after close)', () => {
    for (const d of ['投票情况实时公开。', '得票数实时更新', '实时公布投票结果'])
      expect(problems({ ...vote, access: 'public', raterCategories: [], description: d }), d).toContain('description');
    const honest = '投票人数在本页实时公开（每满5人更新），各窗口得票数在投票截止后公布。';
    expect(problems({ ...vote, access: 'public', raterCategories: [], description: honest })).toEqual([]);
  });
});
