import { describe, expect, it } from 'vitest';
import { codeProblem, generateCode, hashCode } from '../../src/domain/code';
import {
  CREDENTIAL_LENGTH,
  credentialWellFormed,
  generateCredential,
  hashCredential,
  objectionDeadlines,
  objectionOverdue,
  objectionWindowOf,
  resultsPublishedOn,
} from '../../src/domain/objection';
import { credentialInput } from '../../src/domain/schemas/objection';
import { WEEKENDS_ONLY } from '../../src/domain/workdays';

describe('the objection window', () => {
  it('runs from the result (or, before it, the tallies snapshot) for the appraisal’s days', () => {
    expect(resultsPublishedOn({ publishedOn: '2026-01-15' }, { takenAt: '2026-11-23T02:00:00Z' })).toBe('2026-01-15');
    // The snapshot's day in China: 23:30 UTC is already the next day there.
    expect(resultsPublishedOn(undefined, { takenAt: '2026-11-22T23:30:00Z' })).toBe('2026-11-23');
    expect(resultsPublishedOn(undefined, undefined)).toBeNull();
    expect(objectionWindowOf({ resultsOn: '2026-01-15', objection: { days: 10 } })).toEqual({
      start: '2026-01-15',
      end: '2026-01-25',
    });
    expect(objectionWindowOf({ resultsOn: null, objection: { days: 10 } })).toBeNull();
  });
});

describe('deadlines', () => {
  const due = objectionDeadlines('2026-11-23', { acceptWorkingDays: 5, answerWorkingDays: 15 }, WEEKENDS_ONLY);

  it('counts acceptance and answer in working days from filing', () => {
    expect(due).toEqual({ acceptDue: '2026-11-30', answerDue: '2026-12-14' });
  });

  it('flags an objection not accepted in time, and one not answered in time, never a finished one', () => {
    expect(objectionOverdue({ status: 'filed', ...due }, '2026-11-30')).toBe(false);
    expect(objectionOverdue({ status: 'filed', ...due }, '2026-12-01')).toBe(true);
    expect(objectionOverdue({ status: 'accepted', ...due }, '2026-12-01')).toBe(false);
    expect(objectionOverdue({ status: 'reviewing', ...due }, '2026-12-15')).toBe(true);
    expect(objectionOverdue({ status: 'decided', ...due }, '2026-12-15')).toBe(true);
    expect(objectionOverdue({ status: 'answered', ...due }, '2027-06-01')).toBe(false);
    expect(objectionOverdue({ status: 'refused', ...due }, '2027-06-01')).toBe(false);
  });
});

describe('the credential', () => {
  it('has 17 characters, a check character, and reads back from any typing', () => {
    const c = generateCredential();
    expect(c).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
    expect(c.replace(/-/g, '')).toHaveLength(CREDENTIAL_LENGTH);
    expect(credentialWellFormed(c)).toBe(true);
    expect(credentialWellFormed(c.toLowerCase().replace(/-/g, ' '))).toBe(true);
  });

  it('catches a mistyped character', () => {
    const c = generateCredential();
    const i = 5;
    const wrong = c.slice(0, i) + (c[i] === 'A' ? 'B' : 'A') + c.slice(i + 1);
    expect(credentialWellFormed(wrong)).toBe(false);
  });

  it('is never a participation code, and a code is never a credential', () => {
    for (let n = 0; n < 50; n++) {
      const credential = generateCredential();
      const code = generateCode();
      expect(codeProblem(credential)).toBe('too_long');
      expect(credentialWellFormed(code)).toBe(false);
      expect(credentialInput.safeParse(code).success).toBe(false);
    }
  });

  it('is stored under its own label: its hash is not what a code of the same characters would be stored as', async () => {
    const c = generateCredential();
    expect(await hashCredential('pepper', c)).not.toBe(await hashCode('pepper', c));
    expect(await hashCredential('pepper', c)).toBe(await hashCredential('pepper', c.toLowerCase()));
    expect(await hashCredential('pepper', c)).not.toBe(await hashCredential('other pepper', c));
  });
});
