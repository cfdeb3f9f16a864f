// The one question model (src/domain/schemas/question.ts): ids that may carry
// a dot, distinct options, and multi-choice bounds that a form can satisfy.
import { describe, expect, it } from 'vitest';
import { key, question } from '../../../src/domain/schemas/question';
import { opts } from '../../support/unit-fixtures';

const ok = (x: unknown) => question.safeParse(x).success;

describe('question', () => {
  it('takes keys with dots, as a ballot\'s "<subject>.<item>"', () => {
    for (const good of ['q1', 'unit-a.i1', 'a_b', 'x'.repeat(96)])
      expect([good, key.safeParse(good).success]).toEqual([good, true]);
    for (const bad of ['', '.a', 'Q1', 'a b', 'x'.repeat(97), '__proto__']) {
      expect([bad, key.safeParse(bad).success]).toEqual([bad, false]);
    }
  });

  it('gives a choice at least two distinct options', () => {
    expect(ok({ id: 'c', type: 'choice', label: 'C', options: opts('a', 'b') })).toBe(true);
    expect(ok({ id: 'c', type: 'choice', label: 'C', options: opts('a') })).toBe(false);
    expect(ok({ id: 'c', type: 'choice', label: 'C', options: opts('a', 'a') })).toBe(false);
  });

  it('keeps a multi-choice max between min and the number of options', () => {
    const multi = (x: object) => ({ id: 'm', type: 'multi', label: 'M', options: opts('a', 'b', 'c'), ...x });
    expect(ok(multi({ min: 1, max: 3 }))).toBe(true);
    expect(ok(multi({ min: 2, max: 2 }))).toBe(true);
    expect(ok(multi({ min: 2, max: 1 }))).toBe(false);
    expect(ok(multi({ max: 4 }))).toBe(false);
    expect(ok(multi({ min: -1 }))).toBe(false);
    expect(ok({ ...multi({}), options: opts('a', 'a') })).toBe(false);
    expect(question.parse(multi({}))).toMatchObject({ min: 0, required: true });
  });

  it('refuses a multi-choice hint that says how many to choose: the form says it from min/max', () => {
    const multi = (hint: string) => ({
      id: 'm',
      type: 'multi',
      label: 'M',
      options: opts('a', 'b', 'c'),
      max: 3,
      hint,
    });
    for (const repeats of ['最多选3项，可不选', '请选择1至3项', '可多选，可不选', '选 2 项', '请选择一至三项'])
      expect([repeats, ok(multi(repeats))]).toEqual([repeats, false]);
    for (const fine of ['按重要程度选择', '请结合您的亲身经历', '涉及3个单位的问题请分别反映'])
      expect([fine, ok(multi(fine))]).toEqual([fine, true]);
    const issue = question.safeParse(multi('最多选3项')).error?.issues[0];
    expect(issue?.path).toEqual(['hint']);
  });

  it('gives text a length limit, 500 by default and at most 5000', () => {
    expect(question.parse({ id: 't', type: 'text', label: 'T' })).toMatchObject({ maxLength: 500 });
    expect(ok({ id: 't', type: 'text', label: 'T', maxLength: 5001 })).toBe(false);
    expect(ok({ id: 't', type: 'text', label: 'T', maxLength: 0 })).toBe(false);
  });

  it('refuses an unknown type and a subject of an unknown kind', () => {
    expect(ok({ id: 'x', type: 'scale', label: 'X', options: opts('a', 'b') })).toBe(false);
    const subject = { kind: 'person', id: 'p' };
    expect(ok({ id: 'c', type: 'choice', label: 'C', options: opts('a', 'b'), subject })).toBe(false);
  });
});
