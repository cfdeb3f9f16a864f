// Participation requests (src/domain/schemas/participation.ts): what a
// submission may carry (a token, never a code), answer keys, receipts, and
// the status a code sees per instrument.
import { describe, expect, it } from 'vitest';
import {
  codeInstrumentStatus,
  receipt,
  receiptCheckRequest,
  submitRequest,
  verifyCodeRequest,
} from '../../../src/domain/schemas/participation';
import { toBase64Url } from '../../../src/domain/token';
import { accepts } from '../../support/unit-fixtures';

const token = { msg: toBase64Url(new Uint8Array(60)), sig: toBase64Url(new Uint8Array(256)) };

describe('submit request', () => {
  it('carries a token or a Turnstile token with the answers', () => {
    expect(accepts(submitRequest, { token, answers: { q1: 'a' } })).toBe(true);
    expect(accepts(submitRequest, { turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX', answers: { q1: ['x', 'y'] } })).toBe(true);
    expect(accepts(submitRequest, { token })).toBe(false);
  });

  it('never carries the code: a code next to the answers is refused, as is any other field', () => {
    expect(accepts(submitRequest, { token, code: 'ABCD-EFGH-JKMN-P', answers: {} })).toBe(false);
    expect(accepts(submitRequest, { token, answers: {}, raterCategory: 'npc_deputy' })).toBe(false);
    expect(accepts(submitRequest, { token: { ...token, code: 'ABCD-EFGH-JKMN-P' }, answers: {} })).toBe(false);
  });

  it("checks answer keys here and leaves their values to the instrument's schema", () => {
    expect(accepts(submitRequest, { token, answers: { 'unit-a.i1': 'good' } })).toBe(true);
    expect(accepts(submitRequest, { token, answers: { 'Bad Key': 'good' } })).toBe(false);
    expect(accepts(submitRequest, { token, answers: { q1: { nested: true } } })).toBe(true);
  });
});

describe('receipts', () => {
  it('are 16 characters in groups of four', () => {
    expect(accepts(receipt, '0A1B-2C3D-4E5F-6G7H')).toBe(true);
    for (const bad of ['0A1B2C3D4E5F6G7H', '0a1b-2c3d-4e5f-6g7h', '0A1B-2C3D-4E5F', '0A1B-2C3D-4E5F-6G7H-']) {
      expect([bad, accepts(receipt, bad)]).toEqual([bad, false]);
    }
  });

  it('are checked from a body holding the receipt only, typed loosely', () => {
    expect(accepts(receiptCheckRequest, { receipt: '0a1b 2c3d 4e5f 6g7h' })).toBe(true);
    expect(accepts(receiptCheckRequest, { receipt: '0A1' })).toBe(false);
    expect(accepts(receiptCheckRequest, { receipt: '0A1B-2C3D-4E5F-6G7H', instrument: 'x' })).toBe(false);
  });
});

describe('code checks', () => {
  it('take a code and a Turnstile token, nothing else', () => {
    const t = 'XXXX.DUMMY.TOKEN.XXXX';
    expect(accepts(verifyCodeRequest, { code: 'ABCD-EFGH-JKMN-P', turnstileToken: t })).toBe(true);
    expect(accepts(verifyCodeRequest, { code: '', turnstileToken: t })).toBe(false);
    expect(accepts(verifyCodeRequest, { code: 'A'.repeat(41), turnstileToken: t })).toBe(false);
    expect(accepts(verifyCodeRequest, { code: 'ABCD-EFGH-JKMN-P', turnstileToken: '' })).toBe(false);
    expect(accepts(verifyCodeRequest, { code: 'ABCD-EFGH-JKMN-P', turnstileToken: t, instrument: 'x' })).toBe(false);
  });

  it('show a code "done" besides the instrument statuses', () => {
    expect(codeInstrumentStatus.options).toEqual(['not_open', 'open', 'closed', 'done']);
  });
});
