// One tally, two sources (issue 19) through the API: with paper ballots
// counted at a meeting, the internal feed and the public tally compute every
// figure and score on online + paper, show each source beside it (exact in
// the feed, suppressed in public), and the public per-source cells cannot be
// solved back. Online counters and paper ballots are written directly here;
// the triggers fill the paper counters.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { recoverable } from '../../src/domain/disclosure';
import { signFeedRequest } from '../../src/domain/feed';
import { publishedFigures, tallySystem } from '../../src/domain/public-tally';
import { tallyBody } from '../../src/domain/schemas/participation';
import { feedKeySecret } from '../../src/server/middleware/feed-auth';
import { client } from '../support/api-client';
import { catalog, exactTally } from '../support/api-fixtures';

/** After rating-multi-t closed: counts are released only then. */
const closed = client({ catalog, now: () => new Date('2026-12-21T00:00:00Z') });
const ID = 'rating-multi-t';
const UNITS = ['unit-a', 'unit-b', 'unit-c'];

beforeAll(async () => {
  const online = UNITS.flatMap((u) => [
    [u, 'satisfied', 10],
    [u, 'basically', 5],
  ]);
  const ballot = (n: number, grade: string) =>
    env.DB.prepare(
      "INSERT INTO paper_ballots (instrument, serial, meeting, rater_category, answers) VALUES (?, ?, 'm1', 'npc_deputy', ?)",
    ).bind(ID, `00000${n}-X`, JSON.stringify(Object.fromEntries(UNITS.map((u) => [u, grade]))));
  await env.DB.batch([
    ...online.map(([q, o, n]) =>
      env.DB.prepare("INSERT INTO tallies VALUES (?, ?, ?, 'npc_deputy', ?)").bind(ID, q, o, n),
    ),
    env.DB.prepare("INSERT INTO turnout VALUES (?, 'npc_deputy', 15)").bind(ID),
    env.DB.prepare(
      `INSERT INTO meetings (id, appraisal, instrument, held_on, place, categories, issued, returned, spoilt, recorded_at)
       VALUES ('m1', 'test-2026', ?, '2026-12-01', '县人民会堂', '["npc_deputy"]', 20, 12, 1, '2026-12-01T02:00:00Z')`,
    ).bind(ID),
    // Eight sheets all 满意, two all 不满意.
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => ballot(n, 'satisfied')),
    ballot(9, 'unsatisfied'),
  ]);
  await env.DB.batch([ballot(0, 'unsatisfied')]);
});

describe('the feed with paper ballots', () => {
  it('sums online and paper, keeps each source exact beside the sum, and scores the sum', async () => {
    const i = await exactTally(closed, ID);
    const count = (list: { question: string; option: string; raterCategory: string; count: number }[], o: string) =>
      list.find((c) => c.question === 'unit-a' && c.option === o && c.raterCategory === 'npc_deputy')?.count;
    expect([count(i.counts, 'satisfied'), count(i.counts, 'basically'), count(i.counts, 'unsatisfied')]).toEqual([
      18, 5, 2,
    ]);
    expect(count(i.sources!.online.counts, 'satisfied')).toBe(10);
    expect(count(i.sources!.paper.counts, 'satisfied')).toBe(8);
    expect(count(i.sources!.paper.counts, 'unsatisfied')).toBe(2);
    expect(i.turnout.find((t) => t.raterCategory === 'npc_deputy')?.responses).toBe(25);
    expect(i.sources?.paper.turnout.find((t) => t.raterCategory === 'npc_deputy')?.responses).toBe(10);
    expect(i.sources?.paper.meetings).toEqual([
      {
        id: 'm1',
        heldOn: '2026-12-01',
        place: '县人民会堂',
        categories: ['npc_deputy'],
        issued: 20,
        returned: 12,
        spoilt: 1,
        counted: 10,
      },
    ]);
    const a = i.sources?.subjects.find((s) => s.subject.id === 'unit-a');
    // Online (10×100 + 5×80) / 15 = 93.33; paper (8×100 + 2×0) / 10 = 80; combined (18×100 + 5×80) / 25 = 88.
    expect(a).toEqual({
      subject: { kind: 'unit', id: 'unit-a' },
      online: { known: 15, score: 93.33 },
      paper: { known: 10, score: 80 },
      combined: { known: 25, score: 88 },
    });
    expect(i.subjects.find((s) => s.subject.id === 'unit-a')?.score).toBe(88);
    // 参评率 is online responses per code issued; no code was issued here.
    expect(i.validity?.categories.find((c) => c.raterCategory === 'npc_deputy')?.responses).toBe(15);
  });

  it('the CSV has a row per source beside the combined one', async () => {
    await env.DB.prepare(
      "INSERT OR IGNORE INTO feed_keys VALUES ('k1', '内部考核系统', 'fp', '2026-11-01', NULL)",
    ).run();
    const secret = await feedKeySecret(env.FEED_KEY_SECRET as string, 'k1');
    const url = 'http://localhost/api/v1/feed/appraisals/test-2026/tallies.csv';
    const headers = await signFeedRequest({ keyId: 'k1', secret, method: 'GET', url, now: new Date() });
    const csv = await (await closed.app.request(url, { headers }, env)).text();
    expect(csv).toContain(`count_paper,${ID},unit,unit-a,,unit-a,unsatisfied,npc_deputy,2`);
    expect(csv).toContain(`count_online,${ID},unit,unit-a,,unit-a,satisfied,npc_deputy,10`);
    expect(csv).toContain(`score_paper,${ID},unit,unit-a,,,,,80`);
    expect(csv).toContain(`turnout_paper,${ID},,,,,,npc_deputy,10`);
  });
});

describe('the public tally with paper ballots', () => {
  it('shows the sources side by side, hides the small paper cells, and nothing hidden can be solved back', async () => {
    const r = await closed.app.request(`http://localhost/api/v1/instruments/${ID}/tally`, {}, env);
    expect(r.status).toBe(200);
    const body = tallyBody.parse(await r.json());
    expect(body.responses.count).toBe(25);
    expect(body.sources.online.responses.count).toBe(15);
    expect(body.sources.paper.responses.count).toBe(10);
    const paperUnsatisfied = body.sources.paper.counts.find(
      (c) => c.question === 'unit-a' && c.option === 'unsatisfied' && c.raterCategory === 'npc_deputy',
    );
    expect(paperUnsatisfied).toMatchObject({ count: null, suppressed: true });
    // The combined cell is the same two ballots: hidden too, and so is whatever would give it back.
    expect(body.counts.find((c) => c.question === 'unit-a' && c.option === 'unsatisfied')?.count ?? null).toBeNull();
    for (const c of [...body.counts, ...body.sources.online.counts, ...body.sources.paper.counts])
      if (c.count !== null) expect(c.count === 0 || c.count >= 5).toBe(true);
    const inst = catalog.instruments.find((i) => i.id === ID);
    const sys = tallySystem(inst, publishedFigures(body));
    expect(recoverable(sys, sys.unknownIds)).toEqual([]);
    // Each source's score only from k answers of that source; the combined score is the feed's.
    const a = body.sources.subjects.find((s) => s.subject.id === 'unit-a');
    expect(a?.combined.score).toBe(88);
    for (const x of [a?.online, a?.paper]) if (x?.score !== null) expect(x?.known ?? 0).toBeGreaterThanOrEqual(5);
  });
});
