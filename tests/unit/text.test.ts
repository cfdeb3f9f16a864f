// User text (src/domain/text.ts): what cleaning guarantees for any input, and
// the link rules at their edges. The examples of linking and of XSS payloads
// are in tests/api/forum-text.test.ts; this file adds the properties that
// must hold for every string, and the characters cleaning must drop one by one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanLine,
  cleanText,
  hasVisibleText,
  posesAsOfficial,
  safeHref,
  tokenize,
  USER_LINK_REL,
} from '../../src/domain/text';

/**
 * The hidden characters cleaning promises to drop: C0/C1 controls, every format character (bidi marks,
 * overrides and isolates, zero-width, word joiner, soft hyphen, BOM, tags) and the Hangul fillers.
 * U+200D is tested apart: body text keeps it between emoji.
 */
const HIDDEN = [
  ...Array.from({ length: 0x20 }, (_, i) => i).filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d),
  0x7f,
  ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i),
  0x200b, // zero-width space
  0x200e, // left-to-right mark
  0x200f, // right-to-left mark
  0x202a,
  0x202b,
  0x202c,
  0x202d,
  0x202e, // embeddings and overrides
  0x2066,
  0x2067,
  0x2068,
  0x2069, // isolates
  0xfeff, // byte order mark / zero-width no-break space
  0x2060, // word joiner
  0x061c, // Arabic letter mark
  0x00ad, // soft hyphen
  0x180e, // Mongolian vowel separator
  0xe0001, // language tag
  0xe0041,
  0xe0067,
  0xe007f, // tag characters: an invisible copy of ASCII
  0x3164, // Hangul filler
  0x115f, // Hangul choseong filler
  0xffa0, // halfwidth Hangul filler
].map((c) => String.fromCodePoint(c));

// Pieces typed text is made of, hidden characters and line-break variants
// included. No combining marks: see the NFC test below.
const piece = fc.constantFrom(
  'a',
  'Z',
  '考',
  '评',
  '。',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\u3000',
  '\u00a0',
  '👍',
  '👨\u200d👩\u200d👧',
  'https://x.example/a',
  ...HIDDEN,
);
const typed = fc.array(piece, { maxLength: 40 }).map((a) => a.join(''));

describe('cleanText', () => {
  it.each(HIDDEN.map((h) => [`U+${h.codePointAt(0)?.toString(16).padStart(4, '0')}`, h]))('drops %s', (_, h) => {
    expect(cleanText(`前${h}后`)).toBe('前后');
  });

  it('keeps tabs, line breaks, CJK punctuation and emoji joined by a zero-width joiner', () => {
    // Body text keeps U+200D between two emoji: it holds a sequence such as a family or a
    // profession emoji together, and a reader sees one picture either way.
    expect(cleanText('甲\t乙\n丙。👨\u200d👩\u200d👧')).toBe('甲\t乙\n丙。👨\u200d👩\u200d👧');
    expect(cleanText('👩🏽\u200d⚕️ 与 🏳️\u200d🌈')).toBe('👩🏽\u200d⚕️ 与 🏳️\u200d🌈');
  });

  it('drops a zero-width joiner anywhere else: between letters it only hides or splits words', () => {
    expect(cleanText('县\u200d委')).toBe('县委');
    expect(cleanText('\u200d开头, 结尾👍\u200d')).toBe('开头, 结尾👍');
    expect(cleanText('a\u200d👍')).toBe('a👍');
  });

  it('turns line and paragraph separators into line breaks', () => {
    expect(cleanText('甲\u2028乙\u2029丙')).toBe('甲\n乙\n丙');
  });

  it('drops a whole hidden sentence written in tag characters', () => {
    const hidden = [...'ignore this'].map((ch) => String.fromCodePoint(0xe0000 + (ch.codePointAt(0) ?? 0))).join('');
    expect(cleanText(`看得见${hidden}的字`)).toBe('看得见的字');
  });

  it('composes to NFC, so one text has one stored form and one length', () => {
    expect(cleanText('e\u0301')).toBe('\u00e9');
    expect(cleanText('e\u0301')).toHaveLength(1);
  });

  // Was a bug: normalize('NFC') ran before the hidden characters were removed.
  it('gives NFC text even when a dropped character separated a letter from its accent', () => {
    expect(cleanText('e\u200b\u0301')).toBe('\u00e9');
  });

  it('leaves no hidden character, no CR, no trailing blanks on a line, at most two empty lines, nothing to trim', () => {
    fc.assert(
      fc.property(typed, (s) => {
        const c = cleanText(s);
        for (const h of HIDDEN) expect(c).not.toContain(h);
        expect(c).not.toContain('\r');
        expect(c).not.toMatch(/[ \t]\n/);
        expect(c).not.toMatch(/\n{4}/);
        expect(c).toBe(c.trim());
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent: cleaning cleaned text changes nothing', () => {
    fc.assert(
      fc.property(typed, (s) => {
        expect(cleanText(cleanText(s))).toBe(cleanText(s));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every visible character of the input, in order', () => {
    fc.assert(
      fc.property(typed, (s) => {
        const visible = (t: string) => t.replace(/[\s\p{Cc}\p{Cf}\u115f\u1160\u3164\uffa0]/gu, '');
        expect(visible(cleanText(s))).toBe(visible(s));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps three line breaks (two empty lines) but not four', () => {
    expect(cleanText('a\n\n\nb')).toBe('a\n\n\nb');
    expect(cleanText('a\n\n\n\nb')).toBe('a\n\n\nb');
    expect(cleanText('a \n \n \n \nb')).toBe('a\n\n\nb');
  });
});

describe('cleanLine', () => {
  it('gives one line with single spaces for any input', () => {
    fc.assert(
      fc.property(typed, (s) => {
        const c = cleanLine(s);
        expect(c).not.toMatch(/[\n\r\t]/);
        expect(c).not.toMatch(/\s\s/);
        expect(c).toBe(c.trim());
      }),
      { numRuns: 200 },
    );
  });

  it('turns full-width and no-break spaces into plain ones', () => {
    expect(cleanLine('张\u3000三\u00a0丰')).toBe('张 三 丰');
  });

  it('keeps no joiner at all, not even between emoji, and no braille blank: a name is compared, not drawn', () => {
    expect(cleanLine('居民👨\u200d👩\u200d👧')).toBe('居民👨👩👧');
    expect(cleanLine('\u2800居\u2800民\u2800')).toBe('居民');
  });

  it('leaves nothing of a name made only of invisible characters', () => {
    for (const name of ['\u3164', '\u2800\u2800', '\u115f\u1160', '\u200d\u2060\u00ad', '\u{e0041}\u{e0042}']) {
      expect([name, cleanLine(name)]).toEqual([name, '']);
    }
  });
});

describe('hasVisibleText and posesAsOfficial', () => {
  it('text needs a letter, digit, punctuation mark or symbol', () => {
    expect(hasVisibleText('居民')).toBe(true);
    expect(hasVisibleText('👍')).toBe(true);
    expect(hasVisibleText('\u0301\u0301')).toBe(false);
    expect(hasVisibleText(' \ufe0f')).toBe(false);
  });

  it('catches official-sounding names however they are spaced, punctuated or widened', () => {
    for (const name of [
      '县委组织部考核组',
      '县 委·组织部',
      '考核办小王',
      'ＡＤＭＩＮ',
      '觀察員',
      '平台管理员',
      '县人大',
      '官方客服',
    ]) {
      expect([name, posesAsOfficial(name)]).toEqual([name, true]);
    }
    for (const name of ['居民甲', '城关镇老张', '一位退休教师', '张三丰']) {
      expect([name, posesAsOfficial(name)]).toEqual([name, false]);
    }
  });
});

describe('tokenize', () => {
  it('always gives back the input, never two text tokens in a row, never an empty one', () => {
    fc.assert(
      fc.property(fc.oneof(typed, fc.string({ unit: 'binary', maxLength: 40 })), (s) => {
        const tokens = tokenize(s);
        expect(tokens.map((t) => t.text).join('')).toBe(s);
        tokens.forEach((t, i) => {
          expect(t.text).not.toBe('');
          if (i > 0) expect(t.kind === 'text' && tokens[i - 1]?.kind === 'text').toBe(false);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('makes a link only of an http(s) address with a host and no credentials', () => {
    const scheme = fc.constantFrom('http://', 'https://', 'HTTPS://', 'javascript:', 'data:', 'ftp://', '//', '');
    const rest = fc.string({ unit: fc.constantFrom(...'abc.-_/:@?#=&%()[]<>"\'x1 '.split('')), maxLength: 30 });
    fc.assert(
      fc.property(fc.string({ maxLength: 5 }), scheme, rest, (before, sch, r) => {
        for (const t of tokenize(`${before} ${sch}${r}`)) {
          if (t.kind !== 'link') continue;
          const url = new URL(t.href);
          expect(['http:', 'https:']).toContain(url.protocol);
          expect(url.hostname).not.toBe('');
          expect(url.username + url.password).toBe('');
          expect(t.href).not.toMatch(/["<>\s]/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('links an upper-case scheme, with the parsed lower-case address as target', () => {
    expect(tokenize('见HTTPS://GOV.EXAMPLE/A')).toEqual([
      { kind: 'text', text: '见' },
      { kind: 'link', text: 'HTTPS://GOV.EXAMPLE/A', href: 'https://gov.example/A' },
    ]);
  });

  it('ends an address at a full-width space or a closing bracket without its opener', () => {
    const link = (s: string) => tokenize(s).find((t) => t.kind === 'link')?.text;
    expect(link('http://x.example/a\u3000后文')).toBe('http://x.example/a');
    expect(link('(http://x.example/a)')).toBe('http://x.example/a');
    expect(link('http://x.example/a_(b))')).toBe('http://x.example/a_(b)');
    expect(link('http://x.example/a?!')).toBe('http://x.example/a');
  });
});

describe('safeHref', () => {
  it('refuses what is not an absolute http(s) URL with a host and no credentials', () => {
    for (const s of ['https://user@x.example/', 'https://:p@x.example/', 'http://x.example:99999/', 'mailto:a@b.c']) {
      expect([s, safeHref(s)]).toEqual([s, null]);
    }
    expect(safeHref('https://x.example')).toBe('https://x.example/');
    expect(safeHref('http://[::1]:8080/p')).toBe('http://[::1]:8080/p');
  });

  it('marks user links nofollow, ugc and noopener', () => {
    expect(USER_LINK_REL.split(' ').sort()).toEqual(['nofollow', 'noopener', 'ugc']);
  });
});
