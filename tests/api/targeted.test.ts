// Who rates whom: targeted codes (定点定向) see and rate only their subjects,
// 不了解 is counted apart and leaves the score, too few known answers give
// 样本不足, and the score rule and validity travel with the figures.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { signFeedRequest } from '../../src/domain/feed';
import { apiError } from '../../src/domain/schemas/api';
import { feedBody } from '../../src/domain/schemas/feed';
import { tallyBody, verifyCodeResponse } from '../../src/domain/schemas/participation';
import { tokenKeyBody } from '../../src/domain/schemas/token';
import { finalizeToken } from '../../src/lib/participate/token';
import { feedKeySecret } from '../../src/server/middleware/feed-auth';
import { blindFor, client, requestToken, rowCount, spend, submit, takeToken } from '../support/api-client';
import { catalog, exactTally, issue, NOW, TOKEN } from '../support/api-fixtures';

const api = client({ catalog, now: () => NOW });
const closed = client({ catalog, now: () => new Date('2026-12-21T00:00:00Z') });
const MULTI = 'rating-multi-t';

beforeEach(async () => {
  await env.DB.batch(
    ['responses', 'redemptions', 'spent_tokens', 'tallies', 'turnout', 'codes'].map((t) =>
      env.DB.prepare(`DELETE FROM ${t}`),
    ),
  );
});

async function refused(r: Response, status: number, code: string) {
  expect(r.status).toBe(status);
  const body = apiError.parse(await r.json());
  expect(body.error.code).toBe(code);
  return body;
}

const stored = async () =>
  Promise.all(['responses', 'redemptions', 'spent_tokens', 'tallies', 'turnout'].map(rowCount));

async function verify(code: string) {
  const r = await api.json('/api/v1/codes/verify', { code, turnstileToken: TOKEN });
  expect(r.status).toBe(200);
  return verifyCodeResponse.parse(await r.json());
}

async function tally(instrument = MULTI) {
  const r = await closed.request(`/api/v1/instruments/${instrument}/tally`);
  expect(r.status).toBe(200);
  return tallyBody.parse(await r.json());
}

describe('targeted codes (定点定向)', () => {
  it('verification names the scope and lists only the instruments that rate one of its subjects', async () => {
    const [all] = await issue('npc_deputy');
    const [onlyB] = await issue('npc_deputy', 1, { subjects: ['unit-b'] });
    const everything = await verify(all as string);
    expect(everything.scope).toBe('*');
    expect(everything.instruments.map((i) => i.id)).toContain('rating-t');
    const targeted = await verify(onlyB as string);
    expect(targeted.scope).toBe('unit-b');
    // rating-t and closed-t rate unit-a only: nothing for this code there; future-t rates no
    // subject (a vote), which a targeted code may answer like anyone of its category.
    expect(targeted.instruments.map((i) => i.id).sort()).toEqual(['ballot-t', 'future-t', MULTI].sort());
  });

  it('403 not_targeted: a token for an instrument none of whose subjects the code may rate; nothing stored', async () => {
    const [onlyB] = await issue('npc_deputy', 1, { subjects: ['unit-b'] });
    const before = await stored();
    const body = await refused((await takeToken(api, 'rating-t', onlyB as string)).response, 403, 'not_targeted');
    expect(body.error.message).toMatch(/指定的对象/);
    expect(await stored()).toEqual(before);
    // The code is not spent by the refusal: it still buys a token where it is targeted.
    expect((await takeToken(api, MULTI, onlyB as string)).response.status).toBe(201);
  });

  it('publishes a key per scope; a token blinded for another scope does not verify', async () => {
    const [onlyB] = await issue('service_recipient', 1, { subjects: ['unit-b'] });
    const keys = tokenKeyBody.parse(await (await api.request(`/api/v1/instruments/${MULTI}/token-key`)).json()).keys;
    expect(keys.map((k) => `${k.raterCategory}/${k.scope}`)).toEqual(
      expect.arrayContaining(['service_recipient/*', 'service_recipient/unit-b', 'npc_deputy/*']),
    );
    // Claiming every subject with a targeted code: the server signs with the scope's key, so
    // the signature fails against the '*' key the message names.
    const state = await blindFor(api, MULTI, 'service_recipient', '*');
    const r = await requestToken(api, MULTI, { code: onlyB as string, blindedMsg: state.blindedMsg });
    if (r.status === 400) {
      // Half the time the message blinded under the other key is not below this key's modulus.
      expect(JSON.stringify(await r.json())).toContain('模数');
    } else {
      expect(r.status).toBe(201);
      const { blindSig } = (await r.json()) as { blindSig: string };
      await expect(finalizeToken(state, blindSig)).rejects.toThrow();
    }
  });

  it('400: answers about a subject outside the scope, with the question named; nothing stored; the token still works', async () => {
    const [onlyB] = await issue('service_recipient', 1, { subjects: ['unit-b'] });
    const taken = await takeToken(api, MULTI, onlyB as string);
    if (!taken.token) throw new Error('no token');
    const before = await stored();
    const body = await refused(
      await spend(api, MULTI, taken.token, { 'unit-a': 'satisfied', 'unit-b': 'satisfied' }),
      400,
      'validation_failed',
    );
    expect(body.error.issues).toContainEqual({ path: ['answers', 'unit-a'], message: '您的参与码不涉及这个评议对象' });
    expect(await stored()).toEqual(before);
    expect((await spend(api, MULTI, taken.token, { 'unit-b': 'basically' })).status).toBe(201);
    const t = await exactTally(closed, MULTI);
    expect(t.counts).toContainEqual({
      question: 'unit-b',
      option: 'basically',
      raterCategory: 'service_recipient',
      count: 1,
    });
    expect(t.counts.filter((c) => c.question.startsWith('unit-a'))).toEqual([]);
    // In public the single answer is a small cell.
    expect((await tally()).counts).toContainEqual({
      question: 'unit-b',
      option: 'basically',
      raterCategory: 'service_recipient',
      count: null,
      suppressed: true,
    });
  });

  it('counts codes issued per subject: a targeted code only for its subjects', async () => {
    await issue('npc_deputy', 2);
    await issue('service_recipient', 3, { subjects: ['unit-a', 'unit-c'] });
    await issue('service_recipient', 1, { subjects: ['unit-b'] });
    const t = await tally();
    expect(Object.fromEntries(t.subjects.map((s) => [s.subject.id, s.codesIssued]))).toEqual({
      'unit-a': 5,
      'unit-b': 3,
      'unit-c': 5,
    });
  });
});

describe('不了解 and 样本不足', () => {
  it('400 when a subject is both graded and 不了解, or left without either; nothing stored', async () => {
    const [code] = await issue('npc_deputy');
    const taken = await takeToken(api, MULTI, code as string);
    if (!taken.token) throw new Error('no token');
    const before = await stored();
    const body = await refused(
      await spend(api, MULTI, taken.token, {
        'unit-a': 'satisfied',
        'unit-a.unknown': ['unknown'],
        'unit-b': 'satisfied',
      }),
      400,
      'validation_failed',
    );
    const paths = body.error.issues?.map((i) => i.path.join('.'));
    expect(paths).toContain('answers.unit-a');
    expect(paths).toContain('answers.unit-c');
    expect(await stored()).toEqual(before);
  });

  it('counts 不了解 apart, leaves it out of the score, and marks a subject with too few known answers', async () => {
    const deputies = await issue('npc_deputy', 3);
    const recipients = await issue('service_recipient', 2, { subjects: ['unit-a'] });
    const unknownC = { 'unit-c.unknown': ['unknown'] };
    for (const code of deputies) {
      expect(
        (await submit(api, MULTI, { code, answers: { 'unit-a': 'satisfied', 'unit-b': 'basically', ...unknownC } }))
          .status,
      ).toBe(201);
    }
    for (const code of recipients) {
      expect((await submit(api, MULTI, { code, answers: { 'unit-a': 'unsatisfied' } })).status).toBe(201);
    }
    const t = await exactTally(closed, MULTI);
    const by = Object.fromEntries(t.subjects.map((s) => [s.subject.id, s]));
    // unit-a: deputies 100 (weight 40), recipients 0 (weight 60) = 40.
    expect(by['unit-a']).toMatchObject({ status: 'scored', known: 5, unknown: 0, score: 40 });
    // unit-b: deputies only (80); a category without answers is left out and the weights rescaled.
    expect(by['unit-b']).toMatchObject({ status: 'scored', known: 3, unknown: 0, score: 80 });
    // unit-c: every deputy said 不了解: no known answer, no score (minKnown 2).
    expect(by['unit-c']).toMatchObject({ status: 'insufficient', known: 0, unknown: 3, score: null });
    expect(t.counts).toContainEqual({
      question: 'unit-c.unknown',
      option: 'unknown',
      raterCategory: 'npc_deputy',
      count: 3,
    });
  });
});

describe('the score rule and validity in public', () => {
  it('the public tally carries the rule and validity, so anyone can recompute the scores', async () => {
    const deputies = await issue('npc_deputy', 2);
    for (const code of deputies) {
      await submit(api, MULTI, {
        code,
        answers: { 'unit-a': 'basically', 'unit-b': 'satisfied', 'unit-c': 'satisfied' },
      });
    }
    const t = await tally();
    expect(t.rule).toMatchObject({ weights: { npc_deputy: 40, service_recipient: 60 }, minKnown: 2, unknown: true });
    expect(t.rule.text).toMatch(/不了解/);
    // Two deputies: their turnout is a small cell, so the rate that would give it back is withheld; the verdict stays.
    expect(t.validity).toMatchObject({
      valid: true,
      categories: [{ raterCategory: 'npc_deputy', responses: null, reached: null }],
    });
    expect(t.subjects.find((s) => s.subject.id === 'unit-a')?.score).toBeNull();
    const exact = await exactTally(closed, MULTI);
    expect(exact.validity).toMatchObject({ valid: true, categories: [{ raterCategory: 'npc_deputy', reached: 100 }] });
    const a = exact.subjects.find((s) => s.subject.id === 'unit-a');
    expect(a?.score).toBe(t.rule.gradeScores.basically);
  });

  it('carries each instrument’s rule (weights, grade points, minKnown) and whether the round counts', async () => {
    await env.DB.prepare(
      "INSERT OR IGNORE INTO feed_keys VALUES ('k1', '内部考核系统', 'fp', '2026-11-01', NULL)",
    ).run();
    const secret = await feedKeySecret(env.FEED_KEY_SECRET as string, 'k1');
    const deputies = await issue('npc_deputy', 4);
    await submit(api, MULTI, {
      code: deputies[0] as string,
      answers: { 'unit-a': 'satisfied', 'unit-b': 'satisfied', 'unit-c': 'satisfied' },
    });
    const url = 'http://localhost/api/v1/feed/appraisals/test-2026/tallies';
    const headers = await signFeedRequest({ keyId: 'k1', secret, method: 'GET', url, now: new Date() });
    const r = await closed.app.request(url, { headers }, env);
    expect(r.status).toBe(200);
    const multi = feedBody.parse(await r.json()).instruments.find((i) => i.id === MULTI);
    expect(multi?.rule).toMatchObject({
      weights: { npc_deputy: 40, service_recipient: 60 },
      gradeScores: { satisfied: 100, basically: 80, unsatisfied: 0 },
      unknown: true,
      minKnown: 2,
    });
    // 1 of 4 deputies answered: 25% < the 50% the instrument asks.
    expect(multi?.validity).toMatchObject({
      valid: false,
      categories: [{ raterCategory: 'npc_deputy', responses: 1, codesIssued: 4, min: 50, reached: 25, met: false }],
    });
    expect(multi?.validity?.reasons.join('')).toMatch(/25/);
  });
});
