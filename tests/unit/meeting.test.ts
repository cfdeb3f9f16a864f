// The pure rules of a meeting's paper sheets (src/domain/meeting.ts).
import { describe, expect, it } from 'vitest';
import {
  type Keying,
  keyingsAgree,
  meetingPublic,
  nextKeying,
  sheetDifferences,
  sheetStateOf,
} from '../../src/domain/meeting';
import { catalog } from '../support/api-fixtures';

const ballot = catalog.instruments.find((i) => i.id === 'ballot-t')!;
const k = (
  pass: number,
  observer: string,
  answers: Record<string, unknown>,
  raterCategory = 'party_deputy',
): Keying => ({
  pass,
  observer,
  raterCategory,
  answers: JSON.stringify(answers),
});

describe('keying rules', () => {
  it('agree only on the same category and the same canonical answers', () => {
    const a = k(1, 'x', { 'unit-a.i1': 'good' });
    expect(keyingsAgree(a, k(2, 'y', { 'unit-a.i1': 'good' }))).toBe(true);
    expect(keyingsAgree(a, k(2, 'y', { 'unit-a.i1': 'fair' }))).toBe(false);
    expect(keyingsAgree(a, k(2, 'y', { 'unit-a.i1': 'good' }, 'npc_deputy'))).toBe(false);
  });

  it('gives the next pass, never to an observer who keyed the sheet', () => {
    expect(nextKeying([], 'x')).toEqual({ pass: 1 });
    const one = [k(1, 'x', {})];
    expect(nextKeying(one, 'x')).toEqual({ refused: 'same_observer' });
    expect(nextKeying(one, 'y')).toMatchObject({ pass: 2, against: one[0] });
    const two = [...one, k(2, 'y', { a: 1 })];
    expect(sheetStateOf(two)).toBe('awaiting_third');
    expect(nextKeying(two, 'y')).toEqual({ refused: 'same_observer' });
    expect(nextKeying(two, 'z')).toEqual({ pass: 3 });
  });

  it('shows only the items that differ, the category first', () => {
    const a = k(1, 'x', { 'unit-a.i1': 'good', 'unit-a.i2': 'good', 'unit-a.problems': ['p1'] });
    const b = k(2, 'y', { 'unit-a.i1': 'good', 'unit-a.i2': 'poor' }, 'npc_deputy');
    expect(sheetDifferences(ballot, a, b)).toEqual([
      { field: 'raterCategory', first: 'party_deputy', second: 'npc_deputy' },
      { field: 'unit-a.i2', first: 'good', second: 'poor' },
      { field: 'unit-a.problems', first: ['p1'], second: null },
    ]);
  });

  it('makes a meeting public once its day is over in China', () => {
    expect(meetingPublic('2026-11-23', '2026-11-23')).toBe(false);
    expect(meetingPublic('2026-11-23', '2026-11-24')).toBe(true);
  });
});
