// GET /api/v1/feed/appraisals/{id}/tallies: signed requests only; exact
// tallies, weighted scores, digest and `since`.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { signFeedRequest } from '../../src/domain/feed';
import { apiError } from '../../src/domain/schemas/api';
import { feedBody } from '../../src/domain/schemas/feed';
import { feedKeySecret } from '../../src/server/middleware/feed-auth';
import { client, submit } from '../support/api-client';
import { ballotAnswers, catalog, issue, NOW } from '../support/api-fixtures';

const api = client({ catalog, now: () => NOW });
/** The feed after the test instruments closed: counts are released only then. */
const closed = client({ catalog, now: () => new Date('2026-12-21T00:00:00Z') });
const URL_ = 'http://localhost/api/v1/feed/appraisals/test-2026/tallies';
let secret: string;

async function feed(
  url = URL_,
  opts: {
    keyId?: string;
    secret?: string;
    now?: Date;
    nonce?: string;
    headers?: Record<string, string>;
    via?: typeof api;
  } = {},
) {
  const headers = await signFeedRequest({
    keyId: opts.keyId ?? 'k1',
    secret: opts.secret ?? secret,
    method: 'GET',
    url,
    now: opts.now ?? new Date(),
    nonce: opts.nonce,
  });
  return (opts.via ?? api).app.request(url, { headers: { ...headers, ...opts.headers } }, env);
}

beforeAll(async () => {
  secret = await feedKeySecret(env.FEED_KEY_SECRET as string, 'k1');
  await env.DB.batch([
    env.DB.prepare("INSERT INTO feed_keys VALUES ('k1', '内部考核系统', 'fp', '2026-11-01', NULL)"),
    env.DB.prepare("INSERT INTO feed_keys VALUES ('k2', '已撤销', 'fp', '2026-11-01', '2026-11-10')"),
  ]);
});

describe('feed authentication', () => {
  it('accepts a correctly signed request', async () => {
    const r = await feed();
    expect(r.status).toBe(200);
    expect(feedBody.parse(await r.json()).appraisal).toBe('test-2026');
  });

  it('says what is wrong: a missing or malformed header, the clock, the signature, the key, a reused nonce', async () => {
    const refusal = async (r: Response) => {
      expect(r.status).toBe(401);
      expect(r.headers.get('x-kaoping-digest')).toBeNull();
      const { code, message, issues } = apiError.parse(await r.json()).error;
      return { code, message, issues: issues?.map((i) => i.path.join('.')) };
    };
    const k = (id: string) => feedKeySecret(env.FEED_KEY_SECRET as string, id);
    // The issue report's case: no signature at all. It names every missing header, not "参与码无效".
    const unsigned = await refusal(await api.app.request(URL_, {}, env));
    expect(unsigned.code).toBe('feed_unsigned');
    expect(unsigned.message).not.toContain('参与码');
    expect(unsigned.issues).toEqual([
      'headers.x-kaoping-key-id',
      'headers.x-kaoping-timestamp',
      'headers.x-kaoping-nonce',
      'headers.x-kaoping-signature',
    ]);
    const malformed = await refusal(await feed(URL_, { headers: { 'x-kaoping-nonce': 'short' } }));
    expect(malformed).toMatchObject({ code: 'feed_unsigned', issues: ['headers.x-kaoping-nonce'] });
    for (const offset of [-301_000, 301_000]) {
      const stale = await refusal(await feed(URL_, { now: new Date(Date.now() + offset) }));
      expect(stale).toMatchObject({ code: 'feed_clock_skew', issues: ['headers.x-kaoping-timestamp'] });
    }
    expect((await refusal(await feed(URL_, { secret: 'not-the-secret' }))).code).toBe('feed_signature_invalid');
    // Only a caller holding a key's secret learns the key's status: the signature is checked first.
    expect((await refusal(await feed(URL_, { keyId: 'nope', secret: await k('nope') }))).code).toBe('feed_key_refused');
    expect((await refusal(await feed(URL_, { keyId: 'k2', secret: await k('k2') }))).code).toBe('feed_key_refused');
    expect((await refusal(await feed(URL_, { keyId: 'k2', secret: 'not-the-secret' }))).code).toBe(
      'feed_signature_invalid',
    );
    const nonce = 'replayed-nonce-0001';
    expect((await feed(URL_, { nonce })).status).toBe(200);
    expect((await refusal(await feed(URL_, { nonce }))).code).toBe('feed_nonce_reused');
  });

  it('signs the query too: a changed query is refused', async () => {
    const headers = await signFeedRequest({ keyId: 'k1', secret, method: 'GET', url: URL_ });
    const r = await api.app.request(`${URL_}?since=abc`, { headers }, env);
    expect(r.status).toBe(401);
  });
});

describe('feed content', () => {
  it('weights scores as computed by hand, and the digest changes exactly when a count changes', async () => {
    const first = feedBody.parse(await (await feed(URL_, { via: closed })).json());
    const again = feedBody.parse(await (await feed(URL_, { via: closed })).json());
    expect(again.digest).toBe(first.digest);

    // party_deputy (60%) grades unit-a good,fair -> 80; npc_deputy (40%) good,good -> 100; 0.6*80+0.4*100 = 88; x20% = 17.6
    const [party] = await issue('party_deputy');
    const [npc] = await issue('npc_deputy');
    await submit(api, 'ballot-t', { code: party, answers: ballotAnswers('good', { 'unit-a.i2': 'fair' }) });
    await submit(api, 'ballot-t', { code: npc, answers: ballotAnswers('good') });
    // While open the feed carries turnout only: no count, no score.
    const open = feedBody.parse(await (await feed()).json()).instruments.find((i) => i.id === 'ballot-t');
    expect(open?.status).toBe('open');
    expect(open?.counts).toEqual([]);
    expect(open?.subjects.every((x) => x.score === null)).toBe(true);
    expect(open?.turnout.map((x) => x.responses)).toEqual([1, 1]);
    const after = feedBody.parse(await (await feed(URL_, { via: closed })).json());
    expect(after.digest).not.toBe(first.digest);
    const ballot = after.instruments.find((i) => i.id === 'ballot-t');
    const unitA = ballot?.subjects.find((s) => s.subject.id === 'unit-a');
    expect(unitA?.score).toBe(88);
    expect(unitA?.contribution).toBe(17.6);
    expect(ballot?.turnout).toEqual([
      { raterCategory: 'party_deputy', responses: 1, codesIssued: 1 },
      { raterCategory: 'npc_deputy', responses: 1, codesIssued: 1 },
    ]);
    // Unchanged instruments keep their digest.
    for (const i of after.instruments.filter((x) => x.id !== 'ballot-t')) {
      expect(i.digest).toBe(first.instruments.find((x) => x.id === i.id)?.digest);
    }
  });

  it('with `since` returns only the instruments that changed', async () => {
    const base = feedBody.parse(await (await feed()).json());
    const none = feedBody.parse(await (await feed(`${URL_}?since=${base.cursor}`)).json());
    expect(none.instruments).toEqual([]);
    await submit(api, 'q-public', { answers: { q1: 'a', q2: ['x'] } });
    const changed = feedBody.parse(await (await feed(`${URL_}?since=${base.cursor}`)).json());
    expect(changed.instruments.map((i) => i.id)).toEqual(['q-public']);
    expect(changed.digest).not.toBe(base.digest);
  });

  it('answers CSV for Accept: text/csv and for .csv, with the digest in a header', async () => {
    const r = await feed(URL_, { headers: { accept: 'text/csv' }, via: closed });
    expect(r.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain(
      'record,instrument,subject_kind,subject_id,subject_name,question,option,rater_category,value',
    );
    expect(text).toMatch(/\ncount,ballot-t,group,unit-a,,unit-a\.i1,good,party_deputy,\d+/);
    expect(r.headers.get('x-kaoping-digest')).toMatch(/^[0-9a-f]{64}$/);
    const csv = await feed(`${URL_}.csv`, { via: closed });
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain('score,ballot-t,group,unit-a');
  });
});
