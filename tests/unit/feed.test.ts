// The feed to the internal appraisal system (src/domain/feed.ts), without the
// route: what the feed holds before and after close, digests that change
// exactly when a count changes, the `since` cursor, and the request signature
// that must not verify once any signed part changed. The route (keys, replay,
// clock skew) is tested in tests/api/feed.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacHex } from '../../src/domain/code';
import {
  buildFeed,
  canonicalRequest,
  decodeCursor,
  encodeCursor,
  FEED_HEADERS,
  type InstrumentTallies,
  sha256Hex,
  signFeedRequest,
} from '../../src/domain/feed';
import { expandInstrument } from '../../src/domain/instrument';
import { feedBody } from '../../src/domain/schemas/feed';
import { instrumentSource } from '../../src/domain/schemas/instrument';
import type { TallyCount } from '../../src/domain/schemas/participation';
import { openWindow, opts } from '../support/unit-fixtures';

const ballot = expandInstrument(
  instrumentSource.parse({
    id: 'ballot-t',
    appraisal: 'test-2026',
    kind: 'ballot',
    title: '民主测评',
    access: 'code',
    raterCategories: ['party_deputy', 'npc_deputy'],
    categoryWeights: { party_deputy: 60, npc_deputy: 40 },
    gradeScores: { good: 100, fair: 60, poor: 0 },
    share: 20,
    // Four ballots here: score them (the default minimum of known answers is 5).
    minKnown: 1,
    ...openWindow,
    subjectKind: 'group',
    subjects: ['unit-a'],
    items: [{ id: 'i1', category: '能力', label: '领导能力' }],
  }),
);
const survey = expandInstrument(
  instrumentSource.parse({
    id: 'q-public',
    appraisal: 'test-2026',
    kind: 'questionnaire',
    title: '公开问卷',
    access: 'public',
    ...openWindow,
    questions: [{ id: 'q1', type: 'choice', label: '印象', options: opts('a', 'b') }],
  }),
);

const c = (question: string, option: string, raterCategory: string, count: number) =>
  ({ question, option, raterCategory, count }) as TallyCount;
const ballotCounts = [
  c('unit-a.i1', 'good', 'party_deputy', 1),
  c('unit-a.i1', 'fair', 'party_deputy', 1),
  c('unit-a.i1', 'good', 'npc_deputy', 2),
];

function items(
  over: { ballotCounts?: TallyCount[]; status?: 'open' | 'closed'; surveyCount?: number } = {},
): InstrumentTallies[] {
  return [
    {
      instrument: ballot,
      status: over.status ?? 'closed',
      counts: over.ballotCounts ?? ballotCounts,
      turnout: [
        { raterCategory: 'npc_deputy', responses: 2 },
        { raterCategory: 'party_deputy', responses: 2 },
      ],
      issued: new Map([['party_deputy', 10]]),
    },
    {
      instrument: survey,
      status: over.status ?? 'closed',
      counts: [c('q1', 'a', 'public', over.surveyCount ?? 3)],
      turnout: [{ raterCategory: 'public', responses: over.surveyCount ?? 3 }],
      issued: new Map(),
    },
  ];
}
const AS_OF = '2026-12-21T00:00:00.000Z';

describe('buildFeed', () => {
  it('gives counts, weighted scores and turnout per allowed category once closed, in the published shape', async () => {
    const f = await buildFeed('test-2026', AS_OF, items());
    expect(feedBody.safeParse(f).success).toBe(true);
    const [b, q] = f.instruments;
    // party: (100 + 60) / 2 = 80 at 60%; npc: 100 at 40% -> 88; x20% = 17.6
    expect(b?.subjects).toEqual([
      expect.objectContaining({ subject: { kind: 'group', id: 'unit-a' }, score: 88, contribution: 17.6 }),
    ]);
    // Turnout in the instrument's category order; codes issued per category, 0 where none were.
    expect(b?.turnout).toEqual([
      { raterCategory: 'party_deputy', responses: 2, codesIssued: 10 },
      { raterCategory: 'npc_deputy', responses: 2, codesIssued: 0 },
    ]);
    expect(q?.turnout).toEqual([{ raterCategory: 'public', responses: 3, codesIssued: null }]);
    expect(b?.counts).toHaveLength(3);
  });

  it('holds no count and no score while an instrument is open (the feed is polled), but turnout', async () => {
    const f = await buildFeed('test-2026', AS_OF, items({ status: 'open' }));
    for (const i of f.instruments) {
      expect(i.counts).toEqual([]);
      expect(i.subjects.every((s) => s.score === null)).toBe(true);
      expect(i.turnout.some((t) => t.responses > 0)).toBe(true);
    }
  });

  it('sorts counts, so the digest does not depend on the order rows came from the database', async () => {
    const a = await buildFeed('test-2026', AS_OF, items());
    const b = await buildFeed('test-2026', AS_OF, items({ ballotCounts: [...ballotCounts].reverse() }));
    expect(b.instruments[0]?.counts).toEqual(a.instruments[0]?.counts);
    expect(b.digest).toBe(a.digest);
    const keys = a.instruments[0]?.counts.map((x) => `${x.question} ${x.option} ${x.raterCategory}`);
    expect(keys).toEqual([...(keys ?? [])].sort());
  });

  it('changes the digest of exactly the instrument whose count changed, and the overall digest', async () => {
    const a = await buildFeed('test-2026', AS_OF, items());
    const same = await buildFeed('test-2026', '2026-12-22T00:00:00.000Z', items());
    expect(same.digest).toBe(a.digest);
    const b = await buildFeed('test-2026', AS_OF, items({ surveyCount: 4 }));
    expect(b.instruments[0]?.digest).toBe(a.instruments[0]?.digest);
    expect(b.instruments[1]?.digest).not.toBe(a.instruments[1]?.digest);
    expect(b.digest).not.toBe(a.digest);
    const moved = ballotCounts.map((x, i) => (i === 0 ? { ...x, count: 2 } : x));
    const m = await buildFeed('test-2026', AS_OF, items({ ballotCounts: moved }));
    expect(m.instruments[0]?.digest).not.toBe(a.instruments[0]?.digest);
  });

  it('with the cursor of an earlier answer returns only what changed since; any other `since` returns all', async () => {
    const a = await buildFeed('test-2026', AS_OF, items());
    expect((await buildFeed('test-2026', AS_OF, items(), a.cursor)).instruments).toEqual([]);
    const b = await buildFeed('test-2026', AS_OF, items({ surveyCount: 4 }), a.cursor);
    expect(b.instruments.map((i) => i.id)).toEqual(['q-public']);
    // The digest and cursor still describe the whole set, not the part returned.
    expect(b.digest).toBe((await buildFeed('test-2026', AS_OF, items({ surveyCount: 4 }))).digest);
    expect((await buildFeed('test-2026', AS_OF, items(), 'not a cursor')).instruments).toHaveLength(2);
  });

  it('names in its cursor only digest prefixes: no time, no count, nothing that orders responses', async () => {
    const a = await buildFeed('test-2026', AS_OF, items());
    const later = await buildFeed('test-2026', '2027-01-01T00:00:00.000Z', items());
    expect(later.cursor).toBe(a.cursor);
    expect(decodeCursor(a.cursor)).toEqual({
      'ballot-t': a.instruments[0]?.digest.slice(0, 16),
      'q-public': a.instruments[1]?.digest.slice(0, 16),
    });
  });
});

describe('cursor encoding', () => {
  it('round-trips any map of ids to hex prefixes, in URL-safe characters', () => {
    const map = fc.dictionary(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/), fc.stringMatching(/^[0-9a-f]{16}$/));
    fc.assert(
      fc.property(map, (m) => {
        const cursor = encodeCursor(m);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(decodeCursor(cursor)).toEqual(m);
      }),
    );
  });

  it('reads anything that is not an encoded object as no cursor', () => {
    for (const bad of ['', '!!!', btoa('[1,2]'), btoa('null'), btoa('42'), btoa('{"a":')]) {
      expect([bad, decodeCursor(bad)]).toEqual([bad, null]);
    }
  });
});

describe('request signatures', () => {
  const base = {
    keyId: 'k1',
    secret: 'feed-secret',
    method: 'GET',
    url: 'https://portal.example/api/v1/feed/appraisals/test-2026/tallies?since=abc&format=json',
    body: '',
    now: new Date('2026-12-21T00:00:00Z'),
    nonce: 'n0nce-0001',
  };

  it('puts key id, whole-second timestamp, nonce and an HMAC-SHA256 of the canonical request in the headers', async () => {
    const h = await signFeedRequest(base);
    expect(h[FEED_HEADERS.keyId]).toBe('k1');
    expect(h[FEED_HEADERS.timestamp]).toBe(String(Date.parse('2026-12-21T00:00:00Z') / 1000));
    expect(h[FEED_HEADERS.nonce]).toBe('n0nce-0001');
    const canonical = [
      'GET',
      '/api/v1/feed/appraisals/test-2026/tallies',
      'format=json&since=abc',
      h[FEED_HEADERS.timestamp],
      'n0nce-0001',
      await sha256Hex(''),
    ].join('\n');
    expect(h[FEED_HEADERS.signature]).toBe(await hmacHex('feed-secret', canonical));
  });

  it('does not depend on the order of the query parameters', async () => {
    const swapped = await signFeedRequest({
      ...base,
      url: base.url.replace('since=abc&format=json', 'format=json&since=abc'),
    });
    expect(swapped[FEED_HEADERS.signature]).toBe((await signFeedRequest(base))[FEED_HEADERS.signature]);
  });

  it('changes with every signed part: method, path, query, timestamp, nonce, body, secret', async () => {
    const sig = async (over: Partial<typeof base>) =>
      (await signFeedRequest({ ...base, ...over }))[FEED_HEADERS.signature];
    const original = await sig({});
    const variants = [
      { method: 'POST' },
      { url: base.url.replace('tallies', 'tallie5') },
      { url: base.url.replace('/tallies?', '/tallies/?') },
      { url: base.url.replace('since=abc', 'since=abd') },
      { url: `${base.url}&since=x` },
      { url: base.url.replace('?since=abc&format=json', '') },
      { now: new Date('2026-12-21T00:00:01Z') },
      { nonce: 'n0nce-0002' },
      { body: ' ' },
      { secret: 'feed-secreT' },
    ];
    for (const v of variants) expect([v, await sig(v)]).not.toEqual([v, original]);
  });

  it('no longer verifies after any one byte of the body changed', async () => {
    const body = fc.string({ minLength: 1, maxLength: 200 });
    await fc.assert(
      fc.asyncProperty(body, fc.nat(), fc.integer({ min: 1, max: 0xffff }), async (b, at, delta) => {
        const i = at % b.length;
        const changed = b.slice(0, i) + String.fromCharCode((b.charCodeAt(i) + delta) % 0x10000) + b.slice(i + 1);
        fc.pre(changed !== b && new TextEncoder().encode(changed).join() !== new TextEncoder().encode(b).join());
        const r = { method: 'POST', path: '/p', query: new URLSearchParams(), timestamp: '1', nonce: 'n' };
        expect(await canonicalRequest({ ...r, body: changed })).not.toBe(await canonicalRequest({ ...r, body: b }));
      }),
      { numRuns: 100 },
    );
  });

  it('encodes query keys and values, so "a=1&b=2" in one value is not two parameters', async () => {
    const r = { method: 'get', path: '/p', timestamp: '1', nonce: 'n', body: '' };
    const one = await canonicalRequest({ ...r, query: new URLSearchParams({ a: '1&b=2' }) });
    const two = await canonicalRequest({ ...r, query: new URLSearchParams({ a: '1', b: '2' }) });
    expect(one).not.toBe(two);
    expect(one.split('\n')[0]).toBe('GET');
    // Repeated keys are ordered by value, so their order in the URL does not matter either.
    const ab = await canonicalRequest({ ...r, query: new URLSearchParams('k=b&k=a') });
    expect(ab).toBe(await canonicalRequest({ ...r, query: new URLSearchParams('k=a&k=b') }));
  });

  it('makes a fresh 128-bit nonce for every request when none is given', async () => {
    const { nonce: _, ...noNonce } = base;
    const a = await signFeedRequest(noNonce);
    const b = await signFeedRequest(noNonce);
    expect(a[FEED_HEADERS.nonce]).toMatch(/^[0-9a-f]{32}$/);
    expect(a[FEED_HEADERS.nonce]).not.toBe(b[FEED_HEADERS.nonce]);
  });
});

describe('sha256Hex', () => {
  it('is SHA-256 of the UTF-8 text (FIPS 180-2 vector)', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
