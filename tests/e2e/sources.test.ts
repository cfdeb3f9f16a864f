// One tally, two sources (issue 19) on the seeded demo: the demo meeting's
// paper ballots and the online answers of rating-sessions-2026 side by side on
// the results page (through the public view; axe clean), in the RSS feed, in
// the open data (per-source columns in JSON, CSV and .xlsx), and in the live
// feed, whose paper figures are those of the demo meeting.
// biome-ignore-all lint/performance/useDomNodeTextContent: innerText is the rendered text a reader sees.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import readXlsxFile from 'read-excel-file/universal';
import { describe, expect, it } from 'vitest';
import { DEMO_MEETING, DEMO_PAPER } from '../../scripts/lib/meeting-demo';
import { signFeedRequest } from '../../src/domain/feed';
import { cellText } from '../../src/domain/public-tally';
import { feedBody } from '../../src/domain/schemas/feed';
import { expectAccessible, useBrowser } from '../support/browser';
import { publishedInstrument } from '../support/published';

const b = useBrowser();
const ID = 'rating-sessions-2026';
const pub = publishedInstrument('county-2026', ID);
const k = pub.minCell;
const paperBallots = Object.values(DEMO_PAPER).reduce((a, x) => a + x, 0);

describe('paper and online side by side', () => {
  it('the live feed counts the demo meeting: paper turnout per category, the meeting, sums equal to the snapshot', async () => {
    const [, line] = readFileSync('.demo/feed-keys.csv', 'utf8').trim().split('\n');
    const [keyId, secret] = (line ?? '').split(',') as [string, string];
    const url = `${b.base}/api/v1/feed/appraisals/county-2026/tallies`;
    const r = await fetch(url, { headers: await signFeedRequest({ keyId, secret, method: 'GET', url }) });
    const i = feedBody.parse(await r.json()).instruments.find((x) => x.id === ID);
    expect(i?.sources?.paper.turnout).toEqual(
      Object.entries(DEMO_PAPER)
        .map(([raterCategory, responses]) => ({ raterCategory, responses }))
        .sort(
          (a, x) =>
            (i?.turnout.findIndex((t) => t.raterCategory === a.raterCategory) ?? 0) -
            (i?.turnout.findIndex((t) => t.raterCategory === x.raterCategory) ?? 0),
        ),
    );
    expect(i?.sources?.paper.meetings).toEqual([
      {
        id: DEMO_MEETING.id,
        heldOn: DEMO_MEETING.heldOn,
        place: DEMO_MEETING.place,
        categories: [...DEMO_MEETING.categories],
        issued: DEMO_MEETING.issued,
        returned: DEMO_MEETING.returned,
        spoilt: DEMO_MEETING.spoilt,
        counted: paperBallots,
      },
    ]);
    for (const t of i?.turnout ?? []) {
      const on = i?.sources?.online.turnout.find((x) => x.raterCategory === t.raterCategory)?.responses ?? 0;
      const pa = i?.sources?.paper.turnout.find((x) => x.raterCategory === t.raterCategory)?.responses ?? 0;
      expect(t.responses).toBe(on + pa);
    }
  });

  it('results page: a sources table of online / paper / total ballots and scores, as the public view gives them', async () => {
    const p = await b.page('/results/county-2026/');
    const table = p.locator(`#tally-${ID} table.sources`);
    expect(await table.locator('caption').innerText()).toContain('网上与纸质选票');
    const all = await table.locator('tbody tr[data-subject=""]').innerText();
    expect(all).toMatch(
      new RegExp(
        `全部答卷\\s+${cellText(pub.sources.online.responses, k)}\\s+—\\s+${cellText(pub.sources.paper.responses, k)}\\s+—\\s+${cellText(pub.responses, k)}`,
      ),
    );
    expect(pub.sources.paper.responses.count).toBe(paperBallots);
    const score = (x: number | null) => (x === null ? '—' : x.toFixed(1));
    for (const s of pub.sources.subjects) {
      const cells = await table
        .locator(`tbody tr[data-subject="${s.subject.id}"] td`)
        .evaluateAll((tds) => tds.map((td) => (td as HTMLElement).innerText.trim()));
      expect(cells, s.subject.id).toEqual(
        [s.online, s.paper, s.combined].flatMap((x) => [
          cellText(x.known === null ? null : x.known, k),
          score(x.score),
        ]),
      );
      // No small count, and a source's score only from k of its answers.
      for (const c of cells) if (/^\d+$/.test(c)) expect(Number(c) === 0 || Number(c) >= k).toBe(true);
      for (const x of [s.online, s.paper]) if (x.score !== null) expect(x.known ?? 0).toBeGreaterThanOrEqual(k);
    }
    expect(await p.locator(`#tally-${ID} ul.meetings`).innerText()).toContain(
      `${DEMO_MEETING.place}: 发出选票 ${DEMO_MEETING.issued} 张, 收回 ${DEMO_MEETING.returned} 张, 其中废票 ${DEMO_MEETING.spoilt} 张`,
    );
    await expectAccessible(p);
    await p.close();
  });

  it('RSS: the tallies item says online / paper / total', async () => {
    const xml = await (await fetch(`${b.base}/feed.xml`)).text();
    expect(xml).toContain(
      `网上意见 ${cellText(pub.sources.online.responses, k)} 份, 测评大会纸质选票 ${cellText(pub.sources.paper.responses, k)} 张, 合计 ${cellText(pub.responses, k)} 份`,
    );
  });

  it('open data: count = count_online + count_paper where all three are published; per-source scores; .xlsx has the columns', async () => {
    const rows = (await (await fetch(`${b.base}/data/tallies.json`)).json()) as Record<
      string,
      string | number | null
    >[];
    const mine = rows.filter((r) => r.instrument === ID);
    expect(mine.length).toBe(pub.counts.length);
    let checked = 0;
    for (const r of mine) {
      const on = pub.sources.online.counts.find(
        (c) => c.question === r.question && c.option === r.option && c.raterCategory === r.rater_category,
      );
      const pa = pub.sources.paper.counts.find(
        (c) => c.question === r.question && c.option === r.option && c.raterCategory === r.rater_category,
      );
      expect(r.count_online, JSON.stringify(r)).toBe(on ? on.count : 0);
      expect(r.count_paper, JSON.stringify(r)).toBe(pa ? pa.count : 0);
      for (const v of [r.count, r.count_online, r.count_paper])
        if (typeof v === 'number') expect(v === 0 || v >= k, JSON.stringify(r)).toBe(true);
      if ([r.count, r.count_online, r.count_paper].every((v) => typeof v === 'number')) {
        expect(r.count).toBe((r.count_online as number) + (r.count_paper as number));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
    // Instruments without paper ballots: the online column is the count, the paper column zero.
    const other = rows.find((r) => r.instrument !== ID && typeof r.count === 'number');
    expect([other?.count_online, other?.count_paper]).toEqual([other?.count, 0]);
    const scores = (await (await fetch(`${b.base}/data/scores.json`)).json()) as Record<
      string,
      string | number | null
    >[];
    for (const s of pub.sources.subjects) {
      const r = scores.find((x) => x.instrument === ID && x.subject === s.subject.id);
      expect([r?.known_online, r?.score_online, r?.known_paper, r?.score_paper]).toEqual([
        s.online.known,
        s.online.score,
        s.paper.known,
        s.paper.score,
      ]);
    }
    const csv = parse(await (await fetch(`${b.base}/data/tallies.csv`)).text(), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(Object.keys(csv[0] ?? {})).toEqual(expect.arrayContaining(['count_online', 'count_paper']));
    const [sheet] = await readXlsxFile(await (await fetch(`${b.base}/data/scores.xlsx`)).arrayBuffer());
    expect(sheet?.data[0]).toEqual(
      expect.arrayContaining(['known_online', 'score_online', 'known_paper', 'score_paper']),
    );
  });
});
