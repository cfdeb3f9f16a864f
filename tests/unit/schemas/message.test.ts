// The opinion box's schemas (src/domain/schemas/message.ts): contact details
// that are all optional but not all empty, text measured after cleaning, and
// tracking numbers that cannot be mistaken for a code or a receipt.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALPHABET, checkCharacter, codeProblem, normaliseCrockford } from '../../../src/domain/code';
import { RECEIPT_PATTERN } from '../../../src/domain/receipt';
import {
  contactDetails,
  MESSAGE_MAX,
  messageBody,
  newTrackingNumber,
  TRACKING_RANDOM,
  trackingInput,
} from '../../../src/domain/schemas/message';
import { accepts } from '../../support/unit-fixtures';

describe('contact details', () => {
  it('take any one of name, phone and e-mail, but not none', () => {
    expect(accepts(contactDetails, { name: '王女士' })).toBe(true);
    expect(accepts(contactDetails, { phone: '0799-8611700' })).toBe(true);
    expect(accepts(contactDetails, { email: 'a@example.org' })).toBe(true);
    expect(accepts(contactDetails, {})).toBe(false);
  });

  it('clean the name before measuring it: blanks and hidden characters do not count', () => {
    expect(contactDetails.parse({ name: ' 王\u200b女士 ' })).toEqual({ name: '王女士' });
    expect(accepts(contactDetails, { name: '  \u200b ' })).toBe(false);
    expect(accepts(contactDetails, { name: '王'.repeat(21) })).toBe(false);
  });
});

describe('message body', () => {
  it('is 5 to 3000 characters after cleaning', () => {
    expect(messageBody.parse('  一二三四五  ')).toBe('一二三四五');
    expect(accepts(messageBody, '一二三四\u200b\u200b\u200b')).toBe(false);
    expect(accepts(messageBody, '字'.repeat(MESSAGE_MAX))).toBe(true);
    expect(accepts(messageBody, '字'.repeat(MESSAGE_MAX + 1))).toBe(false);
  });

  it('refuses a huge raw text before cleaning it', () => {
    expect(accepts(messageBody, `${'字'.repeat(10)}${' '.repeat(MESSAGE_MAX * 2)}`)).toBe(false);
  });
});

describe('tracking numbers', () => {
  it('are 14 random characters and a check character, in fives, never the shape of a code or a receipt', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: TRACKING_RANDOM, maxLength: TRACKING_RANDOM }), (bytes) => {
        const t = newTrackingNumber(() => bytes);
        expect(t).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
        const n = normaliseCrockford(t);
        expect(n.slice(0, 14)).toBe([...bytes].map((b) => ALPHABET[b & 31]).join(''));
        expect(n.at(-1)).toBe(checkCharacter(n.slice(0, 14)));
        expect(accepts(trackingInput, t)).toBe(true);
        expect(codeProblem(t)).not.toBeNull();
        expect(t).not.toMatch(RECEIPT_PATTERN);
      }),
    );
  });

  it('are read back however typed, and refused when a character is missing or foreign', () => {
    const t = newTrackingNumber();
    expect(accepts(trackingInput, ` ${t.toLowerCase().replace(/-/g, ' ')} `)).toBe(true);
    expect(accepts(trackingInput, t.slice(0, -1))).toBe(false);
    expect(accepts(trackingInput, `${t}0`)).toBe(false);
    expect(accepts(trackingInput, `U${t.slice(1)}`)).toBe(false);
    expect(accepts(trackingInput, 'x'.repeat(41))).toBe(false);
  });
});
