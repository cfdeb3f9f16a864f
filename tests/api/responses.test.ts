// POST /api/v1/instruments/{id}/responses: the straight submission path.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { apiError } from '../../src/domain/schemas/api';
import { submitResponse } from '../../src/domain/schemas/participation';
import { ballotAnswers, catalog, issue, NOW, snapshot } from './fixtures';
import { client, submit } from './helpers';

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
    it('400: a required answer missing, with its path', async () => {
      const [code] = await issue('npc_deputy');
      const answers = ballotAnswers();
      delete answers['unit-b.i2'];
      const body = await expectRefused(await submit(api, 'ballot-t', { code, answers }), 400, 'validation_failed');
      expect(body.error.issues?.map((i) => i.path.join('.'))).toContain('answers.unit-b.i2');
      await unchanged();
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

    it('400: no code for a coded instrument; a body that is not the request shape', async () => {
      await expectRefused(await submit(api, 'ballot-t', { answers: ballotAnswers() }), 400, 'validation_failed');
      const r = await api.json('/api/v1/instruments/ballot-t/responses', { answers: 'x' });
      const body = await expectRefused(r, 400, 'validation_failed');
      expect(body.error.issues?.map((i) => i.path[0])).toEqual(expect.arrayContaining(['turnstileToken', 'answers']));
      await unchanged();
    });

    it('401: a mistyped, an unknown and a revoked code, all alike', async () => {
      const [revoked] = await issue('npc_deputy', 1, { revoked: true });
      const [other] = await issue('npc_deputy', 1, { appraisal: 'other-2026' });
      const bodies = [];
      for (const code of ['ABCD-EFGH-JKMN-Z', '0000-0000-0000-0', revoked, other]) {
        bodies.push(
          await expectRefused(await submit(api, 'ballot-t', { code, answers: ballotAnswers() }), 401, 'unauthorized'),
        );
      }
      expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
      await unchanged();
    });

    it('403: Turnstile failed; a category the instrument does not take', async () => {
      const [code] = await issue('npc_deputy');
      await expectRefused(
        await submit(api, 'ballot-t', { code, turnstileToken: 'forged', answers: ballotAnswers() }),
        403,
        'turnstile_failed',
      );
      const [masses] = await issue('masses_rep');
      await expectRefused(
        await submit(api, 'ballot-t', { code: masses, answers: ballotAnswers() }),
        403,
        'category_not_allowed',
      );
      await unchanged();
      // The refused code was not consumed: it can still answer.
      expect((await submit(api, 'ballot-t', { code, answers: ballotAnswers() })).status).toBe(201);
    });

    it('409: the same code a second time', async () => {
      const [code] = await issue('npc_deputy');
      expect((await submit(api, 'ballot-t', { code, answers: ballotAnswers() })).status).toBe(201);
      before = await snapshot();
      await expectRefused(
        await submit(api, 'ballot-t', { code, answers: ballotAnswers('poor') }),
        409,
        'already_answered',
      );
      await unchanged();
    });

    it('a used code stays used when a guard refuses it: closed early, over the limits (no second response)', async () => {
      const [code] = await issue('npc_deputy');
      expect((await submit(api, 'ballot-t', { code, answers: ballotAnswers() })).status).toBe(201);
      // Closed early by staff: the redemption guard refuses, and the response must not slip through.
      await env.DB.prepare("INSERT INTO instrument_states VALUES ('ballot-t', 'closed', '2026-11-22T00:00:00Z')").run();
      before = await snapshot();
      await expectRefused(await submit(api, 'ballot-t', { code, answers: ballotAnswers('poor') }), 423, 'closed');
      await unchanged();
      await env.DB.prepare("DELETE FROM instrument_states WHERE instrument = 'ballot-t'").run();
      // Too many failed codes from this address: the used code is refused with 429, and nothing is stored.
      const from = { 'cf-connecting-ip': '203.0.113.77' };
      for (let i = 0; i < 20; i++)
        await submit(api, 'ballot-t', { code: '0000-0000-0000-0', answers: ballotAnswers() }, from);
      const responses = (await snapshot()).responses;
      await expectRefused(
        await submit(api, 'ballot-t', { code, answers: ballotAnswers('poor') }, from),
        429,
        'rate_limited',
      );
      expect((await snapshot()).responses).toBe(responses);
    });

    it('423: not open yet, closed by date, closed early by staff', async () => {
      const [code] = await issue('npc_deputy');
      await expectRefused(await submit(api, 'closed-t', { code, answers: { 'unit-a': 'satisfied' } }), 423, 'closed');
      await expectRefused(await submit(api, 'future-t', { code, answers: { choice: ['c1'] } }), 423, 'not_open');
      await env.DB.prepare("INSERT INTO instrument_states VALUES ('q-public', 'closed', '2026-11-22T00:00:00Z')").run();
      await expectRefused(await submit(api, 'q-public', { answers: { q1: 'a', q2: ['x'] } }), 423, 'closed');
      await env.DB.prepare("DELETE FROM instrument_states WHERE instrument = 'q-public'").run();
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

    it('429: after 20 failed codes from one address even a right code is refused (no guessing)', async () => {
      const [code] = await issue('npc_deputy');
      const from = { 'cf-connecting-ip': '203.0.113.9' };
      for (let i = 0; i < 20; i++) {
        const r = await submit(api, 'ballot-t', { code: '0000-0000-0000-0', answers: ballotAnswers() }, from);
        expect(r.status).toBe(401);
      }
      const r = await submit(api, 'ballot-t', { code, answers: ballotAnswers() }, from);
      await expectRefused(r, 429, 'rate_limited');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      await unchanged();
      // Another address is not affected.
      const ok = await submit(
        api,
        'ballot-t',
        { code, answers: ballotAnswers() },
        { 'cf-connecting-ip': '198.51.100.7' },
      );
      expect(ok.status).toBe(201);
    });

    it('429: more than 120 submissions a minute from one address', async () => {
      const from = { 'cf-connecting-ip': '203.0.113.50' };
      const statuses: number[] = [];
      for (let i = 0; i < 121; i++) {
        statuses.push((await submit(api, 'q-public', { answers: { q1: 'a', q2: ['x'] } }, from)).status);
      }
      expect(statuses.filter((s) => s === 201)).toHaveLength(120);
      expect(statuses[120]).toBe(429);
      const after = await snapshot();
      expect(after.responses - before.responses).toBe(120);
    });
  });
});
