// The open data: every dataset parses as JSON and as CSV, the two agree with
// each other and with the content, and what they say is what the pages show.
// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a reader sees (cells apart, hidden parts out), which is what these tests check.
import { parse } from 'csv-parse/sync';
import readXlsxFile from 'read-excel-file/universal';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/build/content';
import { t } from '../../src/i18n';
import { XLSX_TYPE } from '../../src/lib/open-data/xlsx';
import { buildModel } from '../../src/lib/site/model';
import { rowContext } from '../../src/lib/site/names';
import { DATASET_NAMES, DATASETS, type Row, tableOf } from '../../src/lib/site/open-data';
import { useBrowser } from '../support/browser';

const b = useBrowser();

async function served(name: string) {
  const json = await fetch(`${b.base}/data/${name}.json`);
  const csv = await fetch(`${b.base}/data/${name}.csv`);
  expect(json.status, name).toBe(200);
  expect(csv.status, name).toBe(200);
  const bytes = new Uint8Array(await csv.arrayBuffer());
  return {
    jsonType: json.headers.get('content-type'),
    csvType: csv.headers.get('content-type'),
    rows: (await json.json()) as Row[],
    bytes,
    csv: parse(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), { bom: true, columns: true }) as Record<
      string,
      string
    >[],
    header: parse(new TextDecoder().decode(bytes), { to_line: 1 })[0] as string[],
  };
}

const all = new Map<string, Awaited<ReturnType<typeof served>>>();
const data = async (name: string) => {
  if (!all.has(name)) all.set(name, await served(name));
  return all.get(name)!;
};

describe('open data files', () => {
  it.each(DATASET_NAMES)('%s: JSON and CSV parse, have the documented columns and the same rows', async (name) => {
    const d = await data(name);
    expect(d.jsonType).toMatch(/json/);
    expect(d.csvType).toMatch(/csv/);
    // UTF-8 byte order mark, for Excel on Chinese Windows.
    expect([...d.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(d.bytes)).toContain('\r\n');
    const columns = DATASETS.get(name)!.columns.map(([k]) => k);
    expect(d.header).toEqual(columns);
    expect(Array.isArray(d.rows)).toBe(true);
    for (const r of d.rows) expect(Object.keys(r)).toEqual(columns);
    const asText = d.rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? '' : String(v)])),
    );
    expect(d.csv).toEqual(asText);
  });

  it.each(DATASET_NAMES)('%s: the .xlsx holds the same rows, then the column notes on a second sheet', async (name) => {
    const r = await fetch(`${b.base}/data/${name}.xlsx`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(XLSX_TYPE);
    const [rows, notes, ...more] = await readXlsxFile(await r.arrayBuffer());
    expect(more).toEqual([]);
    const columns = DATASETS.get(name)!.columns;
    expect(rows?.sheet).toBe(name);
    // Numbers stay numbers, text stays text (dates as ISO text, as in the CSV), empty cells null.
    expect(rows?.data).toEqual([
      columns.map(([k]) => k),
      ...(await data(name)).rows.map((x) => columns.map(([k]) => x[k])),
    ]);
    const doc = (t.portal.data.datasets as Record<string, { title: string; columns: Record<string, string> }>)[name]!;
    expect(notes?.sheet).toBe('字段说明');
    expect(notes?.data[0]?.[0]).toBe(doc.title);
    for (const [k, type] of columns) {
      expect(notes?.data.map((r) => r.slice(0, 3))).toContainEqual([k, t.portal.data.types[type], doc.columns[k]]);
    }
  });

  it('agrees with the content files the site was built from', async () => {
    const { catalog, issues } = loadContent();
    expect(issues).toEqual([]);
    const model = buildModel(catalog);
    const origin = new URL((await data('units')).rows[0]!.url as string).origin;
    const ctx = rowContext(model, new URL(origin));
    for (const name of DATASET_NAMES) {
      expect((await data(name)).rows, name).toEqual(tableOf(DATASETS.get(name)!, model, ctx));
    }
    expect((await data('units')).rows).toHaveLength(24);
    expect((await data('results')).rows).toHaveLength(24);
    // Every count of every committed snapshot, nothing else.
    const counts = catalog.snapshots.flatMap((s) => s.data.instruments.flatMap((i) => i.counts));
    expect(counts.length).toBeGreaterThan(0);
    expect((await data('tallies')).rows).toHaveLength(counts.length);
  });

  it('says what the documentation page says it has', async () => {
    const p = await b.page('/data/');
    for (const name of DATASET_NAMES) {
      const row = p.locator(`table.datasets tr[data-dataset="${name}"]`);
      expect(Number(await row.locator('td.num').innerText()), name).toBe((await data(name)).rows.length);
      const documented = await p
        .locator('section', { has: p.locator(`h2#${name}`) })
        .locator('tbody th code')
        .allInnerTexts();
      expect(documented, name).toEqual(DATASETS.get(name)!.columns.map(([k]) => k));
    }
    await p.close();
  });
});

describe('open data agrees with the pages', () => {
  it('results: every CSV row is the row of its subject on the results page', async () => {
    const rows = (await data('results')).csv;
    expect(rows.find((r) => r.subject === 'czj')).toMatchObject({
      appraisal: 'county-2025',
      subject_name: '澄川县财政局',
      band: '达标',
      score: '91.4',
      satisfaction: '91.7',
    });
    for (const appraisal of new Set(rows.map((r) => r.appraisal))) {
      const p = await b.page(`/results/${appraisal}/`);
      for (const r of rows.filter((x) => x.appraisal === appraisal)) {
        const cells = await p.locator(`table.result-table tr[data-subject="${r.subject}"] > *`).allInnerTexts();
        expect(cells.slice(0, 5), r.subject).toEqual([
          r.subject_name,
          expect.any(String),
          r.band,
          Number(r.score).toFixed(1),
          Number(r.satisfaction).toFixed(1),
        ]);
      }
      await p.close();
    }
  });

  it('units and summaries: name, phone and every publicity window are on the unit page', async () => {
    const units = (await data('units')).csv;
    const summaries = (await data('summaries')).csv;
    for (const u of units.filter((_, i) => i % 4 === 0)) {
      const p = await b.page(new URL(u.url!).pathname);
      expect(await p.locator('h1').innerText()).toBe(u.name);
      expect(await p.locator('.badge.neutral').innerText()).toBe(u.category_name);
      if (u.phone) expect(await p.locator('#profile ~ dl a[href^="tel:"]').innerText()).toBe(u.phone);
      const windows = await p.locator('article.summary .window .range').allInnerTexts();
      const mine = summaries.filter((s) => s.unit === u.id);
      expect(windows).toEqual(mine.map((s) => `公示期 ${s.publicity_start} 至 ${s.publicity_end}`));
      for (const s of mine)
        expect(await p.locator(`article#${new URL(s.url!).hash.slice(1)} h3`).innerText()).toBe(s.title);
      await p.close();
    }
  });

  it('teams and schedule: phone, e-mail and every visit are on the notice', async () => {
    const teams = (await data('teams')).csv;
    const schedule = (await data('schedule')).csv;
    for (const appraisal of new Set(teams.map((x) => x.appraisal))) {
      const p = await b.page(`/appraisals/${appraisal}/`);
      for (const team of teams.filter((x) => x.appraisal === appraisal)) {
        const card = p.locator(`section.team#${team.id}`);
        expect(await card.locator('h3').innerText()).toBe(team.name);
        expect(await card.locator('a.tel').innerText()).toBe(team.phone);
        expect(await card.locator('a.mail').innerText()).toBe(team.email);
        const visits = schedule.filter((s) => s.team === team.id);
        expect(visits).toHaveLength(Number(team.unit_count));
        const dates = await card.locator('tbody td time').evaluateAll((t) => t.map((x) => x.getAttribute('datetime')));
        const names = await card.locator('tbody th').allInnerTexts();
        expect(names.map((n, i) => `${dates[i]} ${n}`).sort()).toEqual(
          visits.map((v) => `${v.date} ${v.unit_name}`).sort(),
        );
      }
      await p.close();
    }
  });

  it('tallies and scores: each count, summed over rater categories, is a cell of the page; each score is charted', async () => {
    const tallies = (await data('tallies')).csv;
    const scores = (await data('scores')).csv;
    for (const appraisal of new Set(tallies.map((x) => x.appraisal))) {
      const p = await b.page(`/results/${appraisal}/`);
      for (const instrument of new Set(tallies.filter((x) => x.appraisal === appraisal).map((x) => x.instrument))) {
        // Summed where every category's count is published (suppressed counts are empty in the CSV): a page
        // cell must then equal the sum. Where one is hidden, the page shows its own published total or "<5",
        // which tests/e2e/disclosure.test.ts checks against the API.
        const sums = new Map<string, number | null>();
        const add = (m: Map<string, number | null>, k: string, v: string | undefined) => {
          const n = v === '' || v === undefined ? null : Number(v);
          const was = m.has(k) ? m.get(k)! : 0;
          m.set(k, was === null || n === null ? null : was + n);
        };
        // Written comments are counted under "_text" in the data; the page tables show choices only.
        // 不了解 ("<subject>.unknown") is shown per subject beside the score, not among the options.
        const unknown = new Map<string, number | null>();
        for (const r of tallies.filter((x) => x.instrument === instrument && x.option !== '_text')) {
          const question = r.question ?? '';
          if (question.endsWith('.unknown')) {
            add(unknown, question.slice(0, -'.unknown'.length), r.count);
            continue;
          }
          add(sums, `${r.question}/${r.option}`, r.count);
        }
        let checked = 0;
        for (const [subject, n] of unknown) {
          // Cells: score, known, unknown, then the indicators.
          const cells = await p
            .locator(`table.subjects[data-instrument="${instrument}"] tr[data-subject="${subject}"] td`)
            .allTextContents();
          if (n === null || !/^\d+$/.test(cells[2] ?? '')) continue;
          expect(Number(cells[2]), `${instrument} ${subject} 不了解`).toBe(n);
          checked++;
        }
        const rows = await p.locator(`table.options[data-instrument="${instrument}"] tbody tr`).evaluateAll((trs) =>
          trs.map((tr) => ({
            q: tr.getAttribute('data-question') ?? '',
            cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
          })),
        );
        expect(rows.length, instrument).toBeGreaterThan(0);
        // The data names options by id, the page by label: compare each question's published non-zero counts.
        for (const r of rows) {
          const fromData = [...sums.entries()].filter(([k]) => k.startsWith(`${r.q}/`)).map(([, n]) => n);
          if (fromData.some((n) => n === null) || r.cells.some((c) => !/^\d+$/.test(c))) continue;
          const onPage = r.cells
            .slice(0, -1)
            .map(Number)
            .filter((n) => n > 0);
          expect(onPage.sort(), `${instrument} ${r.q}`).toEqual(fromData.filter((n) => (n ?? 0) > 0).sort());
          expect(Number(r.cells.at(-1)), `${instrument} ${r.q} total`).toBe(
            fromData.reduce<number>((a, n) => a + (n ?? 0), 0),
          );
          checked++;
        }
        // With paper ballots (issue 19) most combined cells of the small demo are hidden: the per-source figures
        // of the scores dataset must then be those of the page's sources table.
        for (const x of scores.filter((y) => y.instrument === instrument && y.known_online !== '')) {
          const cells = await p
            .locator(`table.sources[data-instrument="${instrument}"] tr[data-subject="${x.subject}"] td`)
            .allTextContents();
          if (cells.length === 0) continue;
          expect([cells[0], cells[2]], `${instrument} ${x.subject} sources`).toEqual([
            x.known_online === '' ? '<5' : x.known_online,
            x.known_paper === '' ? '<5' : x.known_paper,
          ]);
          checked++;
        }
        expect(checked, instrument).toBeGreaterThan(0);
        // The chart's data table is in a closed <details>: its text, not its rendering.
        const charted = await p.locator(`#tally-${instrument} figure.chart details td`).allTextContents();
        for (const s of scores.filter((x) => x.instrument === instrument)) {
          expect(charted, `${instrument} ${s.subject}`).toContain(Number(s.score).toFixed(1));
        }
      }
      await p.close();
    }
  });

  it('indicators: every indicator and its points are in the table of its area', async () => {
    const rows = (await data('indicators')).csv;
    const p = await b.page('/appraisals/county-2026/indicators/');
    for (const r of rows) {
      const cells = await p.locator(`tr#indicator-${r.indicator} > *`).allInnerTexts();
      expect(cells.slice(0, 2), r.indicator).toEqual([r.indicator_name, r.points]);
    }
    expect(new Set(rows.map((r) => r.area)).size).toBe(await p.locator('section.area').count());
    await p.close();
  });
});
