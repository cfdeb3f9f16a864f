import { describe, expect, it } from 'vitest';
import { formatSerial, MAX_SERIAL, parseSerial } from '../../src/domain/ballot-serial';

describe('ballot serials', () => {
  it('prints six digits and a check letter, and reads back what it printed, however typed', () => {
    expect(formatSerial(123)).toMatch(/^000123-[A-HJ-NP-Y]$/);
    for (const n of [1, 2, 99, 123, 5000, MAX_SERIAL]) {
      const s = formatSerial(n);
      expect(parseSerial(s)).toBe(s);
      expect(parseSerial(` ${s.replace('-', '').toLowerCase()} `)).toBe(s);
    }
    expect(() => formatSerial(0)).toThrow(RangeError);
    expect(() => formatSerial(MAX_SERIAL + 1)).toThrow(RangeError);
  });

  it('refuses every single mistyped digit and every swap of two different neighbouring digits', () => {
    for (let n = 1; n <= 3000; n += 7) {
      const s = formatSerial(n);
      const [digits, letter] = s.split('-') as [string, string];
      for (let i = 0; i < 6; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === digits[i]) continue;
          const typo = `${digits.slice(0, i)}${d}${digits.slice(i + 1)}-${letter}`;
          expect(parseSerial(typo)).toBeNull();
        }
        if (i < 5 && digits[i] !== digits[i + 1]) {
          const swapped = `${digits.slice(0, i)}${digits[i + 1]}${digits[i]}${digits.slice(i + 2)}-${letter}`;
          expect(parseSerial(swapped)).toBeNull();
        }
      }
    }
    expect(parseSerial('000000-A')).toBeNull();
    expect(parseSerial('12345-A')).toBeNull();
    expect(parseSerial('')).toBeNull();
  });
});
