// Participation tokens (src/domain/token.ts), the parts without RSA: the
// message a token carries (instrument and rater category after RFC 9474's
// 32-byte random prefix) and base64url, the encoding of every token field.
// Blind signing itself is tested against the API in tests/api/tokens.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BASE64URL_PATTERN,
  fromBase64Url,
  readTokenMessage,
  sha256Hex,
  TOKEN_MESSAGE_MAX,
  TOKEN_MODULUS_BITS,
  TOKEN_MODULUS_BYTES,
  TOKEN_PREFIX_BYTES,
  toBase64Url,
  toHex,
  tokenMessage,
} from '../../src/domain/token';

const prepared = (prefix: Uint8Array, msg: Uint8Array) => {
  const out = new Uint8Array(prefix.length + msg.length);
  out.set(prefix);
  out.set(msg, prefix.length);
  return out;
};
const prefix = fc.uint8Array({ minLength: TOKEN_PREFIX_BYTES, maxLength: TOKEN_PREFIX_BYTES });
const slug = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,40}$/);

describe('token message', () => {
  it('reads back the instrument and category after any random prefix', () => {
    fc.assert(
      fc.property(prefix, slug, fc.constantFrom('party_deputy', 'npc_deputy', 'service_recipient'), (p, i, cat) => {
        expect(readTokenMessage(prepared(p, tokenMessage(i, cat)))).toEqual({
          instrument: i,
          raterCategory: cat,
          scope: '*',
        });
      }),
    );
  });

  it('is not read without the whole prefix: the first 32 bytes are never part of the claims', () => {
    const msg = tokenMessage('ballot-t', 'npc_deputy');
    expect(readTokenMessage(msg)).toBeNull();
    expect(readTokenMessage(prepared(new Uint8Array(31), msg))).toBeNull();
    expect(readTokenMessage(prepared(new Uint8Array(33), msg))).toBeNull();
  });

  it('refuses a message of another kind: other label, missing or extra fields, bad UTF-8, too long', () => {
    const p = new Uint8Array(TOKEN_PREFIX_BYTES);
    const enc = (s: string) => prepared(p, new TextEncoder().encode(s));
    for (const text of [
      'kaoping-token/v2\nballot-t\nnpc_deputy',
      'kaoping-token/v1\nballot-t',
      'kaoping-token/v1\n\nnpc_deputy',
      'kaoping-token/v1\nballot-t\n',
      'kaoping-token/v1\nballot-t\nnpc_deputy\nswj\nextra',
      'kaoping-token/v1\nballot-t\nnpc_deputy\nSWJ',
      'kaoping-token/v1\nballot-t\nnpc_deputy\nczj, swj',
      'kaoping-token/v1\nballot-t\nnpc_deputy\n',
      `kaoping-token/v1\n${'b'.repeat(1100)}\nnpc_deputy`,
    ]) {
      expect([text, readTokenMessage(enc(text))]).toEqual([text, null]);
    }
    expect(readTokenMessage(prepared(p, new Uint8Array([0xff, 0xfe, 0x0a])))).toBeNull();
    expect(readTokenMessage(p)).toBeNull();
  });

  it('keeps the spend request inside the schema limit (prefix + at most TOKEN_MESSAGE_MAX bytes)', () => {
    const longest = tokenMessage(
      'a'.repeat(64),
      'service_recipient',
      Array.from({ length: 12 }, (_, i) => `unit-${'x'.repeat(50)}-${i}`).join(','),
    );
    expect(readTokenMessage(prepared(new Uint8Array(TOKEN_PREFIX_BYTES), longest))).not.toBeNull();
    expect(longest.length).toBeLessThanOrEqual(TOKEN_MESSAGE_MAX);
  });

  it('carries a targeted scope (定点定向) as a fourth line, and an untargeted token has none', () => {
    const p = new Uint8Array(TOKEN_PREFIX_BYTES);
    expect(readTokenMessage(prepared(p, tokenMessage('b', 'service_recipient', 'czj,swj')))).toEqual({
      instrument: 'b',
      raterCategory: 'service_recipient',
      scope: 'czj,swj',
    });
    expect(new TextDecoder().decode(tokenMessage('b', 'npc_deputy'))).toBe('kaoping-token/v1\nb\nnpc_deputy');
    expect(toHex(tokenMessage('b', 'npc_deputy', 'swj'))).not.toBe(toHex(tokenMessage('b', 'npc_deputy', 'czj')));
  });

  it('binds the category: messages of two categories differ', () => {
    expect(toHex(tokenMessage('b', 'npc_deputy'))).not.toBe(toHex(tokenMessage('b', 'party_deputy')));
    expect(TOKEN_MODULUS_BYTES * 8).toBe(TOKEN_MODULUS_BITS);
  });
});

describe('base64url', () => {
  it('round-trips any bytes, with no padding and only URL-safe characters', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const s = toBase64Url(bytes);
        expect(s).toMatch(BASE64URL_PATTERN);
        expect(s).not.toContain('=');
        expect(fromBase64Url(s)).toEqual(bytes);
      }),
    );
  });

  it('agrees with RFC 4648 §5 (Node Buffer as the reference)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(toBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }),
    );
    // RFC 4648 §10 vectors, in the URL-safe alphabet.
    const enc = (s: string) => toBase64Url(new TextEncoder().encode(s));
    expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map(enc)).toEqual([
      '',
      'Zg',
      'Zm8',
      'Zm9v',
      'Zm9vYg',
      'Zm9vYmE',
      'Zm9vYmFy',
    ]);
    expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });

  it('accepts the padded form too', () => {
    expect(fromBase64Url('Zg==')).toEqual(new Uint8Array([0x66]));
    expect(fromBase64Url('Zm8=')).toEqual(new Uint8Array([0x66, 0x6f]));
  });

  it('refuses the standard alphabet, white space and impossible lengths', () => {
    for (const bad of ['+/8', 'ab+c', 'ab/c', 'Zm9v Yg', 'Zm9v\nYg', 'A', 'AAAAA', 'Zm9v!', '%41', 'Zg===']) {
      expect([bad, fromBase64Url(bad)]).toEqual([bad, null]);
    }
  });

  // Was a bug: the length was checked with the padding, so "A===" passed and
  // atob() threw inside a zod refinement, and two routes answered 500.
  it('returns null (does not throw) for too much padding', () => {
    for (const bad of ['A===', 'AAAAA===']) expect([bad, fromBase64Url(bad)]).toEqual([bad, null]);
  });
});

describe('hashes', () => {
  it('sha256Hex is SHA-256 in lower-case hex (FIPS 180-2 vector)', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(toHex(new Uint8Array([0, 1, 0xab, 0xff]))).toBe('0001abff');
  });
});
