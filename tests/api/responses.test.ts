// POST /api/v1/instruments/{id}/responses: the straight submission path. Code
// instruments take a token (bought with the code at /tokens), never the code.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { apiError } from '../../src/domain/schemas/api';
import { submitResponse } from '../../src/domain/schemas/participation';
import type { SpendToken } from '../../src/domain/schemas/token';
import { fromBase64Url, toBase64Url, tokenMessage } from '../../src/domain/token';
import { LIMITS } from '../../src/server/guards/rate-limit';
import { client, spend, submit, takeToken } from '../support/api-client';
import { ballotAnswers, catalog, issue, NOW, snapshot } from '../support/api-fixtures';

/** A token for a fresh code of a category (issuing it is not what these tests look at). */
async function freshToken(instrument = 'ballot-t', category = 'npc_deputy'): Promise<SpendToken> {
  const [code] = await issue(category);
  const t = await takeToken(api, instrument, code as string);
  if (!t.token) throw new Error(`token refused: ${t.response.status}`);
  return t.token;
}

const rateLimitRows = async () =>
  (await env.DB.prepare('SELECT * FROM rate_limits ORDER BY key, window').all()).results;

const api = client({ catalog, now: () => NOW });

/** Expect an error in the one shape, with nothing stored and no counter moved. */
async function expectRefused(r: Response, status: number, code: string) {
  expect(r.status).toBe(status);
  const body = apiError.parse(await r.json());
  expect(body.error.code).toBe(code);
  return body;
}

describe('submitting a response', () => {
  let before: Awaited<ReturnType<typeof snapshot>>;
  beforeEach(async () => {
    before = await snapshot();
  });
  const unchanged = async () => expect(await snapshot()).toEqual(before);

  it('stores a coded ballot, counts it, and returns a receipt', async () => {
    const [code] = await issue('npc_deputy');
    const r = await submit(api, 'ballot-t', { code, answers: ballotAnswers('good', { 'unit-a.problems': ['p1'] }) });
    expect(r.status).toBe(201);
    const body = submitResponse.parse(await r.json());
    expect(body).toMatchObject({ instrument: 'ballot-t', recordedOn: '2026-11-23' });
    expect(await snapshot()).toEqual({
      responses: before.responses + 1,
      redemptions: before.redemptions + 1,
      spentTokens: before.spentTokens + 1,
      tallies: before.tallies + 5,
      turnout: before.turnout + 1,
    });
    const row = await env.DB.prepare('SELECT * FROM responses WHERE receipt = ?1').bind(body.receipt).first();
    expect(row).toMatchObject({ instrument: 'ballot-t', rater_category: 'npc_deputy', recorded_on: '2026-11-23' });
    expect(Object.keys(row ?? {}).sort()).toEqual([
      'answers',
      'id',
      'instrument',
      'rater_category',
      'receipt',
      'recorded_on',
    ]);
  });

  it('spending writes no row of the issuing side: no rate-limit counter, no redemption', async () => {
    const token = await freshToken();
    const limits = await rateLimitRows();
    const redemptions = (await snapshot()).redemptions;
    const r = await spend(api, 'ballot-t', token, ballotAnswers(), { 'cf-connecting-ip': '192.0.2.80' });
    expect(r.status).toBe(201);
    expect(await rateLimitRows()).toEqual(limits);
    expect((await snapshot()).redemptions).toBe(redemptions);
  });

  it('accepts the code typed in lower case with spaces instead of dashes', async () => {
    const [code] = await issue('party_deputy');
    const typed = (code as string).toLowerCase().replace(/-/g, ' ');
    const r = await submit(api, 'ballot-t', { code: typed, answers: ballotAnswers() });
    expect(r.status).toBe(201);
  });

  it('stores a public questionnaire without a code', async () => {
    const r = await submit(api, 'q-public', { answers: { q1: 'a', q2: ['x', 'y'], q3: ' 很好 ' } });
    expect(r.status).toBe(201);
    const row = await env.DB.prepare(
      "SELECT answers, rater_category FROM responses WHERE instrument = 'q-public'",
    ).first<{
      answers: string;
      rater_category: string;
    }>();
    expect(row?.rater_category).toBe('public');
    expect(JSON.parse(row?.answers ?? '{}')).toEqual({ q1: 'a', q2: ['x', 'y'], q3: '很好' });
  });

  describe('refuses, storing nothing', () => {
    it('400: a required answer missing, with its path; the token is not spent', async () => {
      const token = await freshToken();
      before = await snapshot();
      const answers = ballotAnswers();
      delete answers['unit-b.i2'];
      const body = await expectRefused(await spend(api, 'ballot-t', token, answers), 400, 'validation_failed');
      expect(body.error.issues?.map((i) => i.path.join('.'))).toContain('answers.unit-b.i2');
      await unchanged();
      expect((await spend(api, 'ballot-t', token, ballotAnswers())).status).toBe(201);
    });

    it('400: an unknown question, an unknown option, too many choices, text too long', async () => {
      const cases = [
        { answers: { q1: 'a', q2: ['x'], nope: 'a' }, path: 'answers' },
        { answers: { q1: 'c', q2: ['x'] }, path: 'answers.q1' },
        { answers: { q1: 'a', q2: ['x', 'y', 'z'] }, path: 'answers.q2' },
        { answers: { q1: 'a', q2: [] }, path: 'answers.q2' },
        { answers: { q1: 'a', q2: ['x', 'x'] }, path: 'answers.q2' },
        { answers: { q1: 'a', q2: ['x'], q3: '这段文字超过了十个字的限制啊' }, path: 'answers.q3' },
        { answers: { q1: ['a'], q2: ['x'] }, path: 'answers.q1' },
      ];
      for (const c of cases) {
        const body = await expectRefused(
          await submit(api, 'q-public', { answers: c.answers }),
          400,
          'validation_failed',
        );
        expect(body.error.issues?.some((i) => i.path.join('.') === c.path)).toBe(true);
      }
      await unchanged();
    });

    it('400: no token for a coded instrument, a code instead of a token, a token for a public one, no human check for a public one', async () => {
      const token = await freshToken();
      before = await snapshot();
      const [code] = await issue('npc_deputy');
      const cases: [string, unknown, string][] = [
        ['ballot-t', { answers: ballotAnswers() }, 'token'],
        ['ballot-t', { code, answers: ballotAnswers() }, ''],
        ['ballot-t', { token, code, answers: ballotAnswers() }, ''],
        ['q-public', { token, turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX', answers: { q1: 'a', q2: ['x'] } }, 'token'],
        ['q-public', { answers: { q1: 'a', q2: ['x'] } }, 'turnstileToken'],
        ['ballot-t', { token: { msg: token.msg }, answers: ballotAnswers() }, 'token.sig'],
        ['ballot-t', { token: { ...token, sig: 'not base64url!' }, answers: ballotAnswers() }, 'token.sig'],
        ['ballot-t', { answers: 'x' }, 'answers'],
      ];
      for (const [instrument, body, path] of cases) {
        const r = await api.json(`/api/v1/instruments/${instrument}/responses`, body);
        const err = await expectRefused(r, 400, 'validation_failed');
        if (path) expect(err.error.issues?.map((i) => i.path.join('.'))).toContain(path);
      }
      await unchanged();
    });

    it('401: a forged signature, a token of another instrument, a message we did not sign, a category swapped in', async () => {
      const token = await freshToken();
      const other = await freshToken('rating-t');
      before = await snapshot();
      const sig = fromBase64Url(token.sig) as Uint8Array;
      sig[10] = (sig[10] as number) ^ 1;
      const prefix = (fromBase64Url(token.msg) as Uint8Array).slice(0, 32);
      const withMessage = (m: Uint8Array) => {
        const out = new Uint8Array(32 + m.length);
        out.set(prefix);
        out.set(m, 32);
        return toBase64Url(out);
      };
      const forged: SpendToken[] = [
        { msg: token.msg, sig: toBase64Url(sig) },
        other,
        // The same signature over the message with another category (party_deputy weighs more).
        { msg: withMessage(tokenMessage('ballot-t', 'party_deputy')), sig: token.sig },
        { msg: withMessage(tokenMessage('rating-t', 'npc_deputy')), sig: token.sig },
        { msg: withMessage(new TextEncoder().encode('hello')), sig: token.sig },
      ];
      const bodies = [];
      for (const t of forged) {
        bodies.push(await expectRefused(await spend(api, 'ballot-t', t, ballotAnswers()), 401, 'token_invalid'));
      }
      expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
      await unchanged();
      // The real tokens still spend, each on its own instrument.
      expect((await spend(api, 'ballot-t', token, ballotAnswers())).status).toBe(201);
      expect((await spend(api, 'rating-t', other, { 'unit-a': 'satisfied' })).status).toBe(201);
    });

    it('403: Turnstile failed on a public instrument, or on a spend that sends one', async () => {
      await expectRefused(
        await submit(api, 'q-public', { turnstileToken: 'forged', answers: { q1: 'a', q2: ['x'] } }),
        403,
        'turnstile_failed',
      );
      const token = await freshToken();
      before = await snapshot();
      const r = await api.json('/api/v1/instruments/ballot-t/responses', {
        token,
        turnstileToken: 'forged',
        answers: ballotAnswers(),
      });
      await expectRefused(r, 403, 'turnstile_failed');
      await unchanged();
    });

    it('409: the same token a second time', async () => {
      const token = await freshToken();
      expect((await spend(api, 'ballot-t', token, ballotAnswers())).status).toBe(201);
      before = await snapshot();
      await expectRefused(await spend(api, 'ballot-t', token, ballotAnswers('poor')), 409, 'already_answered');
      // The same token spelled with padding is the same token.
      await expectRefused(
        await spend(
          api,
          'ballot-t',
          { msg: `${token.msg}==`.slice(0, token.msg.length + ((4 - (token.msg.length % 4)) % 4)), sig: token.sig },
          ballotAnswers('poor'),
        ),
        409,
        'already_answered',
      );
      await unchanged();
    });

    it('a spent token stays spent when staff close the instrument and reopen it (no second response)', async () => {
      const token = await freshToken();
      expect((await spend(api, 'ballot-t', token, ballotAnswers())).status).toBe(201);
      await env.DB.prepare("INSERT INTO instrument_states VALUES ('ballot-t', 'closed', '2026-11-22T00:00:00Z')").run();
      const unspent = await freshTokenWhileClosed();
      before = await snapshot();
      // A token known spent is answered 409 before the database is asked (a replay costs no statement), closed or not.
      await expectRefused(await spend(api, 'ballot-t', token, ballotAnswers('poor')), 409, 'already_answered');
      await expectRefused(await spend(api, 'ballot-t', unspent, ballotAnswers('poor')), 423, 'closed');
      await unchanged();
      await env.DB.prepare("DELETE FROM instrument_states WHERE instrument = 'ballot-t'").run();
      await expectRefused(await spend(api, 'ballot-t', token, ballotAnswers('poor')), 409, 'already_answered');
      // The token refused while closed was not spent.
      expect((await spend(api, 'ballot-t', unspent, ballotAnswers('poor'))).status).toBe(201);
    });

    it('423: not open yet, closed by date, closed early or paused by staff', async () => {
      const token = await freshToken();
      before = await snapshot();
      const closedAt = client({ catalog, now: () => new Date('2026-12-21T00:00:00Z') });
      await expectRefused(await spend(closedAt, 'ballot-t', token, ballotAnswers()), 423, 'closed');
      const early = client({ catalog, now: () => new Date('2026-11-01T00:00:00Z') });
      await expectRefused(await spend(early, 'ballot-t', token, ballotAnswers()), 423, 'not_open');
      for (const [state, error] of [
        ['closed', 'closed'],
        ['paused', 'not_open'],
      ] as const) {
        await env.DB.prepare("INSERT INTO instrument_states VALUES ('q-public', ?1, '2026-11-22T00:00:00Z')")
          .bind(state)
          .run();
        await expectRefused(await submit(api, 'q-public', { answers: { q1: 'a', q2: ['x'] } }), 423, error);
        await env.DB.prepare("DELETE FROM instrument_states WHERE instrument = 'q-public'").run();
      }
      await unchanged();
    });

    it('404 for an unknown instrument; 413 and 415 before anything is read', async () => {
      await expectRefused(await submit(api, 'nope', { answers: {} }), 404, 'not_found');
      const big = { turnstileToken: 'x', answers: { q3: 'a'.repeat(70_000) } };
      await expectRefused(await api.json('/api/v1/instruments/q-public/responses', big), 413, 'payload_too_large');
      const form = await api.request('/api/v1/instruments/q-public/responses', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'q1=a',
      });
      await expectRefused(form, 415, 'unsupported_media_type');
      await unchanged();
    });

    // The issue report: the public vote took 120 votes a minute from one address (130 sent, 120 counted).
    it(`429: past ${LIMITS.publicDaily.max} answers to one public instrument from one address in a day`, async () => {
      const cap = LIMITS.publicDaily.max;
      const from = { 'cf-connecting-ip': '203.0.113.50' };
      const vote = (via = api, headers = from) => submit(via, 'q-public', { answers: { q1: 'a', q2: ['x'] } }, headers);
      const statuses: number[] = [];
      for (let i = 0; i < 130; i++) statuses.push((await vote()).status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(cap);
      expect(statuses.slice(cap).every((s) => s === 429)).toBe(true);
      expect((await snapshot()).responses - before.responses).toBe(cap);
      // Until midnight in China: NOW is 10:00 there.
      const refused = await vote();
      await expectRefused(refused, 429, 'daily_limit_reached');
      expect(Number(refused.headers.get('retry-after'))).toBe(14 * 3600);
      // Another household is not affected; the next day this one votes again.
      expect((await vote(api, { 'cf-connecting-ip': '203.0.113.51' })).status).toBe(201);
      const tomorrow = client({ catalog, now: () => new Date(NOW.getTime() + 14 * 3600_000 + 60_000) });
      expect((await vote(tomorrow)).status).toBe(201);
    });
  });
});

/** A token issued before staff closed the instrument: issue with the override lifted for a moment. */
async function freshTokenWhileClosed(): Promise<SpendToken> {
  const row = await env.DB.prepare("SELECT * FROM instrument_states WHERE instrument = 'ballot-t'").first<
    Record<string, string>
  >();
  await env.DB.prepare("DELETE FROM instrument_states WHERE instrument = 'ballot-t'").run();
  const token = await freshToken();
  await env.DB.prepare('INSERT INTO instrument_states VALUES (?1, ?2, ?3)')
    .bind(row?.instrument, row?.state, row?.changed_at)
    .run();
  return token;
}
