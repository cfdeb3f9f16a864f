import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALPHABET,
  checkCharacter,
  codeProblem,
  formatCode,
  generateCode,
  hashCode,
  hmacHex,
  normaliseCrockford,
} from '../../src/domain/code';

describe('one-time codes', () => {
  it('are 12 random characters plus a check character, grouped XXXX-XXXX-XXXX-X (60 random bits)', () => {
    const c = generateCode();
    expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/);
    expect(codeProblem(c)).toBeNull();
    expect(Math.log2(ALPHABET.length) * 12).toBe(60);
  });

  it('use every alphabet symbol about equally (no bias from the byte mapping)', () => {
    const seen = new Map<string, number>();
    for (let i = 0; i < 2000; i++)
      for (const ch of normaliseCrockford(generateCode()).slice(0, 12)) seen.set(ch, (seen.get(ch) ?? 0) + 1);
    expect(seen.size).toBe(32);
    for (const n of seen.values()) expect(n).toBeGreaterThan(400);
  });

  it('normalise case, dashes, spaces, O to 0 and I/L to 1', () => {
    expect(normaliseCrockford(' abcd-efgh ijkl-mnop ')).toBe('ABCDEFGH1JK1MN0P');
    expect(normaliseCrockford('o0-Il')).toBe('0011');
  });

  it('catch every single-character typo and every adjacent swap of different characters', () => {
    for (let n = 0; n < 50; n++) {
      const code = normaliseCrockford(generateCode());
      for (let i = 0; i < code.length; i++) {
        for (const ch of ALPHABET) {
          if (ch === code[i]) continue;
          const typo = code.slice(0, i) + ch + code.slice(i + 1);
          expect(codeProblem(typo)).toBe('check_failed');
        }
        if (i + 1 < code.length && code[i] !== code[i + 1]) {
          const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
          // Luhn mod N misses only the swap of two symbols whose values sum to N-1 (like 0<->Z here).
          const a = ALPHABET.indexOf(code[i] as string);
          const b = ALPHABET.indexOf(code[i + 1] as string);
          if (a + b !== ALPHABET.length - 1) expect(codeProblem(swapped)).toBe('check_failed');
        }
      }
    }
  });

  it('say what is wrong with a typed code', () => {
    expect(codeProblem('')).toBe('empty');
    expect(codeProblem('ABCD-U')).toBe('invalid_character');
    expect(codeProblem('ABCD-EFGH')).toBe('too_short');
    expect(codeProblem('ABCD-EFGH-JKMN-PQ')).toBe('too_long');
    const body = 'ABCDEFGHJKMN';
    expect(codeProblem(formatCode(body + checkCharacter(body)))).toBeNull();
  });
});

describe('codes as typed', () => {
  const code = fc.uint8Array({ minLength: 12, maxLength: 12 }).map((b) => generateCode(() => b));
  const typed = fc
    .tuple(code, fc.constantFrom('', ' ', '-', ' - ', '.', '_'), fc.boolean())
    .map(([c, sep, lower]) => ({ c, t: (lower ? c.toLowerCase() : c).replace(/-/g, sep) }));

  it('normalise back to the code however they are grouped or cased', () => {
    fc.assert(
      fc.property(typed, ({ c, t }) => {
        expect(formatCode(normaliseCrockford(t))).toBe(c);
        expect(codeProblem(t)).toBeNull();
      }),
    );
  });

  it('are valid for any random bytes, and map each byte to the symbol of its low 5 bits', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 12, maxLength: 12 }), (b) => {
        const c = normaliseCrockford(generateCode(() => b));
        expect(c.slice(0, 12)).toBe([...b].map((x) => ALPHABET[x & 31]).join(''));
        expect(c.at(-1)).toBe(checkCharacter(c.slice(0, 12)));
      }),
    );
    expect(generateCode((a) => a.fill(0xff))).toMatch(/^ZZZZ-ZZZZ-ZZZZ-/);
    expect(generateCode((a) => a.fill(0))).toBe('0000-0000-0000-0');
  });

  it('refuse a U and full-width or foreign look-alikes as characters not in the alphabet', () => {
    for (const t of ['ABCD-EFGH-JKMU-0', 'ＡBCD-EFGH-JKMN-0', 'АBCD-EFGH-JKMN-0']) {
      expect([t, codeProblem(t)]).toEqual([t, 'invalid_character']);
    }
  });
});

describe('stored code keys', () => {
  it('are HMAC-SHA256 (RFC 4231 test case 2)', async () => {
    expect(await hmacHex('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('are the same however the code is typed, and depend on the pepper', async () => {
    const c = generateCode();
    const key = await hashCode('pepper-1', c);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashCode('pepper-1', ` ${c.toLowerCase().replace(/-/g, ' ')} `)).toBe(key);
    expect(key).toBe(await hmacHex('pepper-1', normaliseCrockford(c)));
    expect(await hashCode('pepper-2', c)).not.toBe(key);
    expect(key).not.toContain(normaliseCrockford(c).toLowerCase());
  });
});
