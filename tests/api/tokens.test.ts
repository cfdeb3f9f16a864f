// POST /api/v1/instruments/{id}/tokens, GET …/token-key, GET …/tokens/spent:
// a code buys one blind-signed token per instrument; the token key and the
// list of spent tokens are public.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateCode } from '../../src/domain/code';
import { apiError } from '../../src/domain/schemas/api';
import { spentTokenList, tokenIssued, tokenKeyBody } from '../../src/domain/schemas/token';
import { fromBase64Url, readTokenMessage, TOKEN_ALG } from '../../src/domain/token';
import { finalizeToken } from '../../src/lib/participate/token';
import { verifyToken } from '../../src/server/auth/token-keys';
import { LIMITS } from '../../src/server/guards/rate-limit';
import { blindFor, client, randomBlinded, requestToken, spend, takeToken } from '../support/api-client';
import { ballotAnswers, catalog, codeWithPrefix, ensureTokenKeys, issue, NOW, snapshot } from '../support/api-fixtures';

const api = client({ catalog, now: () => NOW });

async function expectRefused(r: Response, status: number, code: string) {
  expect(r.status).toBe(status);
  const body = apiError.parse(await r.json());
  expect(body.error.code).toBe(code);
  return body;
}

const redemptionsOf = async () =>
  (await env.DB.prepare('SELECT code_hash, instrument, blinded_hash FROM redemptions ORDER BY code_hash').all())
    .results;

describe('the token key', () => {
  it('publishes one RSA-PSS key per rater category of a code instrument', async () => {
    await ensureTokenKeys();
    const r = await api.request('/api/v1/instruments/ballot-t/token-key');
    expect(r.status).toBe(200);
    const body = tokenKeyBody.parse(await r.json());
    expect(body.alg).toBe(TOKEN_ALG);
    expect(body.keys.map((k) => k.raterCategory)).toEqual(['npc_deputy', 'party_deputy']);
    for (const k of body.keys) {
      const key = await crypto.subtle.importKey(
        'spki',
        fromBase64Url(k.spki) as Uint8Array<ArrayBuffer>,
        { name: 'RSA-PSS', hash: 'SHA-384' },
        true,
        ['verify'],
      );
      expect((key.algorithm as RsaHashedKeyAlgorithm).modulusLength).toBeGreaterThanOrEqual(2048);
    }
  });

  it('404 for a public instrument (no tokens) and an unknown one', async () => {
    await expectRefused(await api.request('/api/v1/instruments/q-public/token-key'), 404, 'not_found');
    await expectRefused(await api.request('/api/v1/instruments/nope/token-key'), 404, 'not_found');
  });
});

describe('issuing a token', () => {
  let before: Awaited<ReturnType<typeof snapshot>>;
  beforeEach(async () => {
    before = await snapshot();
  });
  const unchanged = async () => expect(await snapshot()).toEqual(before);

  it('201: redeems the code once and signs the blinded message; the token verifies with the published key', async () => {
    const [code] = await issue('npc_deputy');
    const state = await blindFor(api, 'ballot-t', 'npc_deputy');
    const r = await requestToken(api, 'ballot-t', { code: code as string, blindedMsg: state.blindedMsg });
    expect(r.status).toBe(201);
    const body = tokenIssued.parse(await r.json());
    expect(body).toMatchObject({ instrument: 'ballot-t', raterCategory: 'npc_deputy', scope: '*' });
    const token = await finalizeToken(state, body.blindSig);
    const msg = fromBase64Url(token.msg) as Uint8Array<ArrayBuffer>;
    expect(readTokenMessage(msg)).toEqual({ instrument: 'ballot-t', raterCategory: 'npc_deputy', scope: '*' });
    expect(await verifyToken(state.spki, msg, fromBase64Url(token.sig) as Uint8Array<ArrayBuffer>)).toBe(true);
    // Issuing wrote the redemption and nothing of the response side.
    expect(await snapshot()).toEqual({ ...before, redemptions: before.redemptions + 1 });
    // The redemption keeps a fingerprint of the blinded message, not the token.
    const rows = await redemptionsOf();
    expect(JSON.stringify(rows)).not.toContain(token.msg);
    expect(JSON.stringify(rows)).not.toContain(token.sig);
  });

  it('200: the same code with the same blinded message gets the same signature (a crashed page can finish)', async () => {
    const [code] = await issue('party_deputy');
    const state = await blindFor(api, 'ballot-t', 'party_deputy');
    const first = await requestToken(api, 'ballot-t', { code: code as string, blindedMsg: state.blindedMsg });
    expect(first.status).toBe(201);
    const again = await requestToken(api, 'ballot-t', { code: code as string, blindedMsg: state.blindedMsg });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { blindSig: string }).blindSig).toBe(
      ((await first.json()) as { blindSig: string }).blindSig,
    );
    expect((await snapshot()).redemptions).toBe(before.redemptions + 1);
  });

  it('409: the same code with another blinded message (one token per code and instrument)', async () => {
    const [code] = await issue('npc_deputy');
    expect((await takeToken(api, 'ballot-t', code as string)).response.status).toBe(201);
    before = await snapshot();
    const redemptions = await redemptionsOf();
    const other = await blindFor(api, 'ballot-t', 'npc_deputy');
    await expectRefused(
      await requestToken(api, 'ballot-t', { code: code as string, blindedMsg: other.blindedMsg }),
      409,
      'token_already_issued',
    );
    await unchanged();
    expect(await redemptionsOf()).toEqual(redemptions);
  });

  it('400, not 500, for base64url fields with too much padding (issuance and spend); nothing stored', async () => {
    const [code] = await issue('npc_deputy');
    const padded = `${'A'.repeat(341)}===`;
    await expectRefused(
      await requestToken(api, 'ballot-t', { code: code as string, blindedMsg: padded }),
      400,
      'validation_failed',
    );
    const r = await spend(api, 'ballot-t', { msg: `${'A'.repeat(45)}===`, sig: padded }, ballotAnswers());
    await expectRefused(r, 400, 'validation_failed');
    await unchanged();
  });

  it('a code takes one token per instrument, and may take one for another instrument', async () => {
    const [code] = await issue('npc_deputy');
    expect((await takeToken(api, 'ballot-t', code as string)).response.status).toBe(201);
    expect((await takeToken(api, 'rating-t', code as string)).response.status).toBe(201);
    expect((await snapshot()).redemptions).toBe(before.redemptions + 2);
  });

  describe('refuses, storing nothing', () => {
    it('400: not the request shape; a blinded message of the wrong size, not base64url, or not below the modulus', async () => {
      const [code] = await issue('npc_deputy');
      const state = await blindFor(api, 'ballot-t', 'npc_deputy');
      const cases: [unknown, string][] = [
        [{ code, turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX' }, 'blindedMsg'],
        [{ code, turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX', blindedMsg: state.blindedMsg.slice(8) }, 'blindedMsg'],
        [{ code, turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX', blindedMsg: `${state.blindedMsg.slice(1)}*` }, 'blindedMsg'],
        [{ code, turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX', blindedMsg: state.blindedMsg, extra: 1 }, ''],
      ];
      for (const [body, path] of cases) {
        const r = await api.json('/api/v1/instruments/ballot-t/tokens', body);
        const err = await expectRefused(r, 400, 'validation_failed');
        if (path) expect(err.error.issues?.map((i) => i.path.join('.'))).toContain(path);
      }
      // 256 bytes of 0xff: well formed, but not below any 2048-bit modulus. Refused before the code is redeemed.
      const ff = btoa(String.fromCharCode(...new Uint8Array(256).fill(255)))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
      await expectRefused(
        await requestToken(api, 'ballot-t', { code: code as string, blindedMsg: ff }),
        400,
        'validation_failed',
      );
      await unchanged();
      // The code is not used up by the refused requests.
      expect((await takeToken(api, 'ballot-t', code as string)).response.status).toBe(201);
    });

    it('401: a mistyped, an unknown, a revoked and another appraisal’s code, all alike', async () => {
      const [revoked] = await issue('npc_deputy', 1, { revoked: true });
      const [other] = await issue('npc_deputy', 1, { appraisal: 'other-2026' });
      const bodies = [];
      for (const code of ['ABCD-EFGH-JKMN-Z', '0000-0000-0000-0', revoked, other]) {
        bodies.push(
          await expectRefused((await takeToken(api, 'ballot-t', code as string)).response, 401, 'unauthorized'),
        );
      }
      expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
      await unchanged();
    });

    it('403: Turnstile failed; a category the instrument does not take', async () => {
      const [code] = await issue('npc_deputy');
      await expectRefused(
        (await takeToken(api, 'ballot-t', code as string, {}, 'forged')).response,
        403,
        'turnstile_failed',
      );
      const [masses] = await issue('masses_rep');
      await expectRefused((await takeToken(api, 'ballot-t', masses as string)).response, 403, 'category_not_allowed');
      await unchanged();
      expect((await takeToken(api, 'ballot-t', code as string)).response.status).toBe(201);
    });

    it('423: not open yet, closed by date, paused or closed by staff', async () => {
      const [code] = await issue('npc_deputy');
      await expectRefused((await takeToken(api, 'closed-t', code as string)).response, 423, 'closed');
      await expectRefused((await takeToken(api, 'future-t', code as string)).response, 423, 'not_open');
      for (const [state, error] of [
        ['paused', 'not_open'],
        ['closed', 'closed'],
      ] as const) {
        await env.DB.prepare("INSERT INTO instrument_states VALUES ('ballot-t', ?1, '2026-11-22T00:00:00Z')")
          .bind(state)
          .run();
        await expectRefused((await takeToken(api, 'ballot-t', code as string)).response, 423, error);
        await env.DB.prepare("DELETE FROM instrument_states WHERE instrument = 'ballot-t'").run();
      }
      await unchanged();
    });

    it('404: an unknown or a public instrument', async () => {
      const [code] = await issue('npc_deputy');
      const state = await blindFor(api, 'ballot-t', 'npc_deputy');
      for (const id of ['nope', 'q-public']) {
        await expectRefused(
          await requestToken(api, id, { code: code as string, blindedMsg: state.blindedMsg }),
          404,
          'not_found',
        );
      }
      await unchanged();
    });

    const wrong = (headers: Record<string, string>) =>
      requestToken(api, 'ballot-t', { code: generateCode(), blindedMsg: randomBlinded() }, headers);

    it(`429: after ${LIMITS.codeFailures.max} failed codes from one address even a right code is refused; other addresses are not`, async () => {
      const [code] = await issue('npc_deputy');
      const from = { 'cf-connecting-ip': '203.0.113.9' };
      for (let i = 0; i < LIMITS.codeFailures.max; i++) expect((await wrong(from)).status).toBe(401);
      const r = (await takeToken(api, 'ballot-t', code as string, from)).response;
      await expectRefused(r, 429, 'rate_limited');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      await unchanged();
      const ok = await takeToken(api, 'ballot-t', code as string, { 'cf-connecting-ip': '198.51.100.7' });
      expect(ok.response.status).toBe(201);
    }, 60_000);

    it(`429: after ${LIMITS.prefixFailures.max} failed codes with one prefix from any addresses, the right code with it is refused`, async () => {
      const [code] = await issue('npc_deputy');
      const prefix = (code as string).slice(0, 4);
      for (let i = 0; i < LIMITS.prefixFailures.max; i++) {
        const r = await requestToken(
          api,
          'ballot-t',
          { code: codeWithPrefix(prefix), blindedMsg: randomBlinded() },
          { 'cf-connecting-ip': `198.18.9.${i}` },
        );
        expect(r.status).toBe(401);
      }
      const r = (await takeToken(api, 'ballot-t', code as string, { 'cf-connecting-ip': '198.18.10.1' })).response;
      await expectRefused(r, 429, 'rate_limited');
      expect((await snapshot()).redemptions).toBe(before.redemptions);
    });

    it('429: addresses of one IPv6 /64 share their limits', async () => {
      const [code] = await issue('npc_deputy');
      for (let i = 0; i < LIMITS.codeFailures.max; i++) {
        expect((await wrong({ 'cf-connecting-ip': `2001:db8:aa:bb:${i.toString(16)}::1` })).status).toBe(401);
      }
      const r = (await takeToken(api, 'ballot-t', code as string, { 'cf-connecting-ip': '2001:db8:aa:bb:ffff::9' }))
        .response;
      await expectRefused(r, 429, 'rate_limited');
      const other = await takeToken(api, 'ballot-t', code as string, { 'cf-connecting-ip': '2001:db8:aa:bc::1' });
      expect(other.response.status).toBe(201);
    }, 60_000);

    it('503 when no key was made for the code’s category; the code is not redeemed', async () => {
      const [code] = await issue('npc_deputy');
      const keys = await env.DB.prepare("SELECT * FROM token_keys WHERE instrument = 'ballot-t'").all();
      await env.DB.prepare(
        "DELETE FROM token_keys WHERE instrument = 'ballot-t' AND rater_category = 'npc_deputy'",
      ).run();
      const state = await blindFor(api, 'ballot-t', 'party_deputy');
      await expectRefused(
        await requestToken(api, 'ballot-t', { code: code as string, blindedMsg: state.blindedMsg }),
        503,
        'service_unavailable',
      );
      await unchanged();
      for (const k of keys.results as Record<string, string>[]) {
        await env.DB.prepare(
          'INSERT OR IGNORE INTO token_keys (instrument, rater_category, scope, spki, modulus, sealed, created_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)',
        )
          .bind(k.instrument, k.rater_category, k.scope, k.spki, k.modulus, k.sealed, k.created_on)
          .run();
      }
    });
  });
});

describe('the list of spent tokens', () => {
  it('403 before close; after close every token verifies, spent <= issued, spent = responses per category', async () => {
    const [a, b, c] = await issue('npc_deputy', 3);
    const [d] = await issue('party_deputy');
    for (const code of [a, b, d]) {
      const t = await takeToken(api, 'ballot-t', code as string);
      expect((await spend(api, 'ballot-t', t.token as never, ballotAnswers())).status).toBe(201);
    }
    // c takes a token and never spends it: issued 4, spent 3.
    expect((await takeToken(api, 'ballot-t', c as string)).response.status).toBe(201);
    await expectRefused(await api.request('/api/v1/instruments/ballot-t/tokens/spent'), 403, 'tally_not_public');

    const after = client({ catalog, now: () => new Date('2026-12-21T00:00:00Z') });
    const r = await after.request('/api/v1/instruments/ballot-t/tokens/spent');
    expect(r.status).toBe(200);
    const list = spentTokenList.parse(await r.json());
    // Other tests of this file used ballot-t too: compare with the database, not with constants.
    const n = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())?.n ?? -1;
    const issued = await n("SELECT count(*) AS n FROM redemptions WHERE instrument = 'ballot-t'");
    const stored = await n("SELECT count(*) AS n FROM responses WHERE instrument = 'ballot-t'");
    expect(list).toMatchObject({ instrument: 'ballot-t', alg: TOKEN_ALG, issued, spent: stored });
    expect(list.tokens).toHaveLength(stored);
    expect(list.spent).toBeLessThan(list.issued); // c's token was never spent
    expect(list.keys.reduce((s, k) => s + k.issued, 0)).toBe(issued);
    expect(list.tokens.map((t) => t.msg)).toEqual([...list.tokens.map((t) => t.msg)].sort());
    const keyOf = new Map(list.keys.map((k) => [k.raterCategory, k.spki]));
    for (const t of list.tokens) {
      const msg = fromBase64Url(t.msg) as Uint8Array<ArrayBuffer>;
      const claims = readTokenMessage(msg);
      expect(claims?.instrument).toBe('ballot-t');
      const spki = keyOf.get(claims?.raterCategory as never) as string;
      expect(await verifyToken(spki, msg, fromBase64Url(t.sig) as Uint8Array<ArrayBuffer>)).toBe(true);
    }
    const turnout = await env.DB.prepare(
      "SELECT rater_category, responses FROM turnout WHERE instrument = 'ballot-t' ORDER BY rater_category",
    ).all<{ rater_category: string; responses: number }>();
    expect(turnout.results.map((t) => [t.rater_category, t.responses])).toEqual(
      list.keys.filter((k) => k.spent > 0).map((k) => [k.raterCategory, k.spent]),
    );
  });
});
