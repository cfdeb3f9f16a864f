// Observer accounts and console requests (src/domain/schemas/observer-account.ts):
// usernames, the password rule (length, not composition), a hide reason.
import { describe, expect, it } from 'vitest';
import {
  hideRequest,
  instrumentStateRequest,
  PASSWORD_MIN,
  password,
  scopeFilter,
  username,
} from '../../../src/domain/schemas/observer-account';
import { accepts } from '../../support/unit-fixtures';

describe('accounts', () => {
  it('take lower-case usernames of 3 to 32 characters', () => {
    for (const good of ['bai', 'obs.qin', 'lead_1', 'a'.repeat(32)])
      expect([good, accepts(username, good)]).toEqual([good, true]);
    for (const bad of ['ab', 'Bai', '.bai', 'b ai', '白', 'a'.repeat(33)])
      expect([bad, accepts(username, bad)]).toEqual([bad, false]);
  });

  it('take any password of at least 12 characters, no composition rule, up to 200', () => {
    expect(PASSWORD_MIN).toBe(12);
    expect(accepts(password, 'a'.repeat(12))).toBe(true);
    expect(accepts(password, '考评公开民意征集门户口令')).toBe(true);
    expect(accepts(password, 'Aa1!Aa1!Aa1')).toBe(false);
    expect(accepts(password, 'a'.repeat(201))).toBe(false);
  });
});

describe('console requests', () => {
  it('need a reason of at least two characters to hide a post, blanks not counted', () => {
    expect(hideRequest.parse({ reason: '  广告  ' })).toEqual({ reason: '广告' });
    expect(accepts(hideRequest, { reason: ' 广 ' })).toBe(false);
    expect(accepts(hideRequest, { reason: '字'.repeat(201) })).toBe(false);
  });

  it('set an instrument open, paused or closed only, and list everything by default', () => {
    expect(accepts(instrumentStateRequest, { state: 'paused' })).toBe(true);
    expect(accepts(instrumentStateRequest, { state: 'deleted' })).toBe(false);
    expect(scopeFilter.parse(undefined)).toBe('all');
  });
});
