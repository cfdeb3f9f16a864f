// Turnout, tallies with weighted scores, receipts.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { receiptList, receiptStatus, tallyBody, turnoutBody } from '../../src/domain/schemas/participation';
import { TURNOUT_TTL_SECONDS, turnoutCacheKey } from '../../src/server/routes/instruments';
import { client, submit } from '../support/api-client';
import { ballotAnswers, catalog, exactTally, issue, NOW } from '../support/api-fixtures';

const api = client({ catalog, now: () => NOW });
const afterClose = client({ catalog, now: () => new Date('2026-12-21T00:00:00Z') });

// Tests in a file share one D1: start each from empty counters.
beforeEach(async () => {
  await env.DB.batch(
    ['responses', 'redemptions', 'spent_tokens', 'tallies', 'turnout', 'codes'].map((t) =>
      env.DB.prepare(`DELETE FROM ${t}`),
    ),
  );
  // The turnout answer outlives a test in the edge cache: start each test without it.
  await Promise.all(['ballot-t', 'q-public'].map((i) => edge.delete(turnoutCacheKey(i))));
});

const edge = (caches as unknown as { default: Cache }).default;

/** A clock the test moves on, for the minute the turnout answer stays cached. */
function movingClock(start = NOW) {
  let t = start.getTime();
  return { now: () => new Date(t), pass: (seconds: number) => (t += seconds * 1000) };
}

describe('turnout', () => {
  it('counts responses per category against codes issued, in steps of 5 until the close', async () => {
    const party = await issue('party_deputy', 7);
    await issue('npc_deputy', 2);
    await issue('npc_deputy', 1, { revoked: true });
    const clock = movingClock();
    const live = client({ catalog, now: clock.now });
    // Each read a minute after the last, past the edge cache.
    const turnout = async (c = live) => {
      clock.pass(TURNOUT_TTL_SECONDS);
      return turnoutBody.parse(await (await c.request('/api/v1/instruments/ballot-t/turnout')).json());
    };
    await submit(api, 'ballot-t', { code: party[0], answers: ballotAnswers() });
    // One response: the shown figure does not move, so nobody can time a single ballot.
    expect(await turnout()).toMatchObject({
      step: 5,
      total: 0,
      categories: [
        { raterCategory: 'party_deputy', responses: 0, codesIssued: 7 },
        { raterCategory: 'npc_deputy', responses: 0, codesIssued: 2 },
      ],
    });
    for (const code of party.slice(1, 5)) await submit(api, 'ballot-t', { code, answers: ballotAnswers() });
    expect((await turnout()).categories[0]).toEqual({ raterCategory: 'party_deputy', responses: 5, codesIssued: 7 });
    await submit(api, 'ballot-t', { code: party[5], answers: ballotAnswers() });
    expect((await turnout()).total).toBe(5);
    // After the close: exact.
    const closed = await turnout(afterClose);
    expect(closed.step).toBe(1);
    expect(closed.total).toBe(6);
    expect(closed.categories[0]).toEqual({ raterCategory: 'party_deputy', responses: 6, codesIssued: 7 });
  });
});

describe('turnout at the edge', () => {
  const read = async (c: ReturnType<typeof client>) => {
    const r = await c.request('/api/v1/instruments/ballot-t/turnout');
    expect(r.status).toBe(200);
    return { body: turnoutBody.parse(await r.json()), cacheControl: r.headers.get('cache-control') };
  };

  it('answers from the Cache API for a minute without reading D1, then reads it again', async () => {
    const party = await issue('party_deputy', 12);
    for (const code of party.slice(0, 5)) await submit(api, 'ballot-t', { code, answers: ballotAnswers() });
    const clock = movingClock();
    const c = client({ catalog, now: clock.now });
    const first = await read(c);
    expect(first.body.total).toBe(5);
    expect(first.cacheControl).toBe(`public, max-age=${TURNOUT_TTL_SECONDS}`);
    expect(await edge.match(turnoutCacheKey('ballot-t'))).toBeDefined();

    // D1 changes under the cache: five more responses, and even the counters wiped.
    for (const code of party.slice(5, 10)) await submit(api, 'ballot-t', { code, answers: ballotAnswers() });
    await env.DB.batch([env.DB.prepare('DELETE FROM turnout'), env.DB.prepare('DELETE FROM codes')]);
    clock.pass(45);
    const second = await read(c);
    // The cached answer, byte for byte (asOf included): D1 was not read.
    expect(second.body).toEqual(first.body);
    expect(second.cacheControl).toBe(`public, max-age=${TURNOUT_TTL_SECONDS - 45}`);

    // A minute after it was read, the answer is read afresh (no purge needed).
    clock.pass(TURNOUT_TTL_SECONDS - 45);
    const third = await read(c);
    expect(third.body.asOf).not.toBe(first.body.asOf);
    expect(third.body.total).toBe(0);
    expect(third.body.categories[0]).toEqual({ raterCategory: 'party_deputy', responses: 0, codesIssued: 0 });
  });

  it('keeps one entry per instrument and never answers a 404 from the cache', async () => {
    await issue('party_deputy', 5);
    const first = await read(api);
    expect(first.body.instrument).toBe('ballot-t');
    const other = await api.request('/api/v1/instruments/q-public/turnout');
    expect(turnoutBody.parse(await other.json()).instrument).toBe('q-public');
    expect((await api.request('/api/v1/instruments/no-such/turnout')).status).toBe(404);
    expect(await edge.match(turnoutCacheKey('no-such'))).toBeUndefined();
  });
});

describe('tallies', () => {
  it('are public only after the close, even when the policy says public', async () => {
    expect((await api.request('/api/v1/instruments/ballot-t/tally')).status).toBe(403);
    expect((await api.request('/api/v1/instruments/q-public/tally')).status).toBe(403);
    expect((await afterClose.request('/api/v1/instruments/q-public/tally')).status).toBe(200);
    expect((await afterClose.request('/api/v1/instruments/ballot-t/tally')).status).toBe(200);
  });

  it('weight categories 60/40 over grade scores 100/60/0 (hand-computed)', async () => {
    // party_deputy (60%): unit-a graded good,good and good,fair -> mean (100+100+100+60)/4 = 90
    // npc_deputy (40%): unit-a graded poor,poor -> 0
    // unit-a: 0.6*90 + 0.4*0 = 54; share 20% -> 10.8
    const party = await issue('party_deputy', 2);
    const [npc] = await issue('npc_deputy');
    await submit(api, 'ballot-t', { code: party[0], answers: ballotAnswers('good') });
    await submit(api, 'ballot-t', { code: party[1], answers: ballotAnswers('good', { 'unit-a.i2': 'fair' }) });
    await submit(api, 'ballot-t', { code: npc, answers: ballotAnswers('poor', { 'unit-a.problems': ['p1', 'p2'] }) });
    const body = await exactTally(afterClose, 'ballot-t');
    const a = body.subjects.find((s) => s.subject.id === 'unit-a');
    expect(a?.score).toBe(54);
    expect(a?.contribution).toBe(10.8);
    expect(a?.byCategory).toEqual(
      expect.arrayContaining([
        { raterCategory: 'party_deputy', score: 90, answers: 4 },
        { raterCategory: 'npc_deputy', score: 0, answers: 2 },
      ]),
    );
    expect(body.counts).toContainEqual({
      question: 'unit-a.problems',
      option: 'p2',
      raterCategory: 'npc_deputy',
      count: 1,
    });
    expect(body.counts).toContainEqual({
      question: 'unit-a.i2',
      option: 'fair',
      raterCategory: 'party_deputy',
      count: 1,
    });
    // The public answer of the same three ballots: every count below 5 hidden, no score from fewer than 5 answers.
    const pub = tallyBody.parse(await (await afterClose.request('/api/v1/instruments/ballot-t/tally')).json());
    expect(pub.minCell).toBe(5);
    expect(pub.counts).toContainEqual({
      question: 'unit-a.i2',
      option: 'fair',
      raterCategory: 'party_deputy',
      count: null,
      suppressed: true,
    });
    expect(pub.counts.every((c) => c.count === null || c.count === 0 || c.count >= 5)).toBe(true);
    expect(pub.subjects.find((s) => s.subject.id === 'unit-a')).toMatchObject({ status: 'insufficient', score: null });
  });
});

describe('receipts', () => {
  it('find a counted response by its receipt, in any typing, and nothing else', async () => {
    const r = await submit(api, 'q-public', { answers: { q1: 'b', q2: ['z'] } });
    const { receipt } = (await r.json()) as { receipt: string };
    const typed = receipt.toLowerCase().replace(/-/g, '');
    const found = await api.json('/api/v1/receipts/check', { receipt: typed });
    expect(receiptStatus.parse(await found.json())).toEqual({ instrument: 'q-public', recordedOn: '2026-11-23' });
    expect((await api.json('/api/v1/receipts/check', { receipt: 'AAAA-BBBB-CCCC-DDDD' })).status).toBe(404);
    // Not in a URL path, where every request log would keep it.
    expect((await api.request(`/api/v1/receipts/${typed}`)).status).toBe(404);
  });

  it('are published as a list after close, not before', async () => {
    expect((await api.request('/api/v1/instruments/q-public/receipts')).status).toBe(403);
    const list = receiptList.parse(await (await afterClose.request('/api/v1/instruments/q-public/receipts')).json());
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM responses WHERE instrument = 'q-public'").first<{
      n: number;
    }>();
    expect(list.receipts).toHaveLength(stored?.n ?? -1);
    expect([...list.receipts].sort()).toEqual(list.receipts);
  });
});

describe('instrument definitions', () => {
  it('list with status and full questions', async () => {
    const r = await api.request('/api/v1/instruments?appraisal=test-2026');
    const { instruments } = (await r.json()) as {
      instruments: { id: string; status: string; questions: { id: string; role?: string }[] }[];
    };
    expect(instruments.map((i) => [i.id, i.status])).toEqual([
      ['ballot-t', 'open'],
      ['q-public', 'open'],
      ['closed-t', 'closed'],
      ['rating-t', 'open'],
      ['rating-multi-t', 'open'],
      ['future-t', 'not_open'],
    ]);
    // Two subjects, each: overall, one item, and 不了解 (the ballot allows it); plus two summary questions.
    expect(instruments[0]?.questions).toHaveLength(2 * 3 + 2);
    expect(instruments[0]?.questions.filter((q) => q.role === 'unknown').map((q: { id: string }) => q.id)).toEqual([
      expect.stringMatching(/\.unknown$/),
      expect.stringMatching(/\.unknown$/),
    ]);
    expect((await api.request('/api/v1/instruments/nope')).status).toBe(404);
    expect((await api.request('/api/v1/instruments?appraisal=BAD ID')).status).toBe(400);
  });
});
