// Receipts (src/domain/receipt.ts): what a respondent keeps to find their
// response in the list published after close. A receipt must change with the
// answers, the instrument and the salt (else two responses share one, or a
// receipt can be guessed from the answers), and read back from any typing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALPHABET } from '../../src/domain/code';
import { formatReceipt, makeReceipt, normaliseReceipt, RECEIPT_CHARS, RECEIPT_PATTERN } from '../../src/domain/receipt';
import { receipt as receiptSchema } from '../../src/domain/schemas/participation';

const salt = (fill: number) => new Uint8Array(16).fill(fill);
const canonical = '{"q1":"a","q2":["x","y"]}';

describe('makeReceipt', () => {
  it('gives 16 Crockford characters grouped XXXX-XXXX-XXXX-XXXX, accepted by the API schema', async () => {
    const r = await makeReceipt('q-public', canonical, salt(1));
    expect(r).toMatch(RECEIPT_PATTERN);
    expect(receiptSchema.safeParse(r).success).toBe(true);
    const chars = r.replace(/-/g, '');
    expect(chars).toHaveLength(RECEIPT_CHARS);
    // Crockford base32 never shows I, L, O or U: a receipt read aloud cannot be misheard.
    for (const ch of chars) expect(ALPHABET).toContain(ch);
    expect(Math.log2(ALPHABET.length) * RECEIPT_CHARS).toBe(80);
  });

  it('is the same for the same instrument, answers and salt (it can be recomputed)', async () => {
    expect(await makeReceipt('b', canonical, salt(7))).toBe(await makeReceipt('b', canonical, salt(7)));
  });

  it('depends on the answers, the instrument and every byte of the salt', async () => {
    const base = await makeReceipt('b', canonical, salt(7));
    expect(await makeReceipt('b', '{"q1":"b","q2":["x","y"]}', salt(7))).not.toBe(base);
    expect(await makeReceipt('c', canonical, salt(7))).not.toBe(base);
    for (let i = 0; i < 16; i++) {
      const s = salt(7);
      s[i] = 7 ^ 1;
      expect(await makeReceipt('b', canonical, s)).not.toBe(base);
    }
  });

  it('separates the instrument from the answers (no "ab"+"c" = "a"+"bc" collision)', async () => {
    expect(await makeReceipt('ab', 'c', salt(0))).not.toBe(await makeReceipt('a', 'bc', salt(0)));
  });

  it('never repeats across random salts of one identical ballot (80 bits, not a few)', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      seen.add(await makeReceipt('b', canonical, crypto.getRandomValues(new Uint8Array(16))));
    }
    expect(seen.size).toBe(500);
  });

  it('uses every alphabet symbol about equally (no bias from the byte mapping)', async () => {
    const seen = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const r = await makeReceipt('b', canonical, crypto.getRandomValues(new Uint8Array(16)));
      for (const ch of r.replace(/-/g, '')) seen.set(ch, (seen.get(ch) ?? 0) + 1);
    }
    // 6,400 symbols over 32: 200 expected each.
    expect(seen.size).toBe(32);
    for (const n of seen.values()) expect(n).toBeGreaterThan(120);
  });
});

describe('normaliseReceipt', () => {
  it('reads a receipt back from lower case, spaces, dashes, O for 0 and I/L for 1', () => {
    expect(normaliseReceipt(' 0a1b-2c3d 4e5f_6g7h. ')).toBe('0A1B-2C3D-4E5F-6G7H');
    expect(normaliseReceipt('oOiI-lLoo-0000-1111')).toBe('0011-1100-0000-1111');
  });

  it('round-trips every receipt however it is typed', async () => {
    const typed = fc
      .tuple(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.constantFrom(' ', '-', '', '  ', '.'), fc.boolean())
      .map(([bytes, sep, lower]) => ({ bytes, sep, lower }));
    await fc.assert(
      fc.asyncProperty(typed, async ({ bytes, sep, lower }) => {
        const r = await makeReceipt('b', canonical, bytes as Uint8Array<ArrayBuffer>);
        let t = r.replace(/-/g, sep);
        if (lower) t = t.toLowerCase();
        expect(normaliseReceipt(t)).toBe(r);
      }),
      { numRuns: 100 },
    );
  });

  it('formats any run of characters in fours', () => {
    expect(formatReceipt('ABCDEFGH')).toBe('ABCD-EFGH');
    expect(formatReceipt('ABCDE')).toBe('ABCD-E');
    expect(formatReceipt('')).toBe('');
  });
});
