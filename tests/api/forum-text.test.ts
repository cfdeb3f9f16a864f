// Plain text in, tokens out: only http(s) addresses become links, nothing
// else in user text is ever markup. (Pure; runs in workerd with the API tests.)
import { describe, expect, it } from 'vitest';
import { cleanLine, cleanText, safeHref, tokenize } from '../../src/domain/text';

const links = (s: string) => tokenize(s).filter((t) => t.kind === 'link');

describe('tokenize', () => {
  it('keeps the text whole: the tokens concatenate back to the input', () => {
    for (const s of ['', '纯文本', 'a https://x.example/b c', '<script>alert(1)</script> http://a.example.']) {
      expect(
        tokenize(s)
          .map((t) => t.text)
          .join(''),
      ).toBe(s);
    }
  });

  it('links http and https addresses, leaving sentence punctuation outside', () => {
    expect(tokenize('见 https://gov.example/a?b=1&c=2。谢谢')).toEqual([
      { kind: 'text', text: '见 ' },
      { kind: 'link', text: 'https://gov.example/a?b=1&c=2', href: 'https://gov.example/a?b=1&c=2' },
      { kind: 'text', text: '。谢谢' },
    ]);
    expect(links('(see http://x.example/path).').map((l) => l.text)).toEqual(['http://x.example/path']);
    expect(links('http://x.example/wiki/A_(b), ok').map((l) => l.text)).toEqual(['http://x.example/wiki/A_(b)']);
    expect(links('全角，http://x.example/a，后文').map((l) => l.text)).toEqual(['http://x.example/a']);
  });

  it('never links other schemes or disguised addresses', () => {
    for (const s of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      '"><iframe src=javascript:alert(1)>',
      'https://bank.example@evil.example/',
      'http://',
      'ftp://files.example/',
    ]) {
      expect([s, links(s)]).toEqual([s, []]);
    }
    expect(safeHref('javascript://%0aalert(1)')).toBeNull();
  });

  it('an href is the parsed URL, so quotes and brackets cannot break out of an attribute', () => {
    const [l] = links('http://x.example/"onmouseover=alert(1)');
    expect(l?.href).not.toContain('"');
  });
});

describe('cleaning', () => {
  it('normalises line breaks, drops controls, bidi overrides and zero-width characters', () => {
    expect(cleanText('a\r\nb\rc\u0000\u200b\u202ed\n\n\n\n\n\ne  ')).toBe('a\nb\ncd\n\n\ne');
    expect(cleanLine('  显示\n名称\t ')).toBe('显示 名称');
  });
});
