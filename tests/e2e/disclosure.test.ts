// The proof of issue 21's first point on the seeded demo: every public table of
// opinion counts (the public tally and turnout API, the results pages, the
// open data) shows no count of 1..k-1, and no suppressed count can be solved
// back from what is published, alone or together with the linked tables. It
// reads only what a visitor gets; the relations between the figures are the
// ones src/domain/public-tally.ts names (sums over categories, options and
// subjects; turnout against the questions every response answers).
// biome-ignore-all lint/performance/useDomNodeTextContent: innerText is the rendered text a reader sees.
import { describe, expect, it } from 'vitest';
import { loadContent, runtimeCatalog } from '../../src/build/content';
import { minCellOf, recoverable } from '../../src/domain/disclosure';
import { publishedFigures, tallySystem } from '../../src/domain/public-tally';
import { type TallyBody, tallyBody, turnoutBody } from '../../src/domain/schemas/participation';
import { useBrowser } from '../support/browser';

const b = useBrowser();
const content = loadContent().catalog;
const runtime = runtimeCatalog(content);

const small = (k: number, n: number | null | undefined) => typeof n === 'number' && n > 0 && n < k;

async function tallies() {
  const out: { id: string; appraisal: string; k: number; body: TallyBody }[] = [];
  for (const inst of runtime.instruments) {
    const r = await fetch(`${b.base}/api/v1/instruments/${inst.id}/tally`);
    if (r.status === 403) continue;
    expect(r.status, inst.id).toBe(200);
    const k = minCellOf(runtime.appraisals.find((a) => a.id === inst.appraisal));
    out.push({ id: inst.id, appraisal: inst.appraisal, k, body: tallyBody.parse(await r.json()) });
  }
  return out;
}

/** Every count a tally answer publishes, in any of its forms. */
const countsOf = (t: TallyBody) => [
  ...t.counts.map((c) => c.count),
  ...t.totals.map((c) => c.count),
  ...t.rows.map((c) => c.count),
  ...t.turnout.map((c) => c.responses),
  t.responses.count,
  ...t.subjects.flatMap((s) => [s.known, s.unknown, ...s.byCategory.map((x) => x.answers)]),
  ...(t.validity?.categories.map((c) => c.responses) ?? []),
  // The per-source tables (issue 19): online and paper side by side.
  ...[t.sources.online, t.sources.paper].flatMap((s) => [
    s.responses.count,
    ...s.turnout.map((x) => x.responses),
    ...s.counts.map((c) => c.count),
  ]),
  ...t.sources.subjects.flatMap((s) => [s.online.known, s.paper.known, s.combined.known]),
];

describe('small-cell suppression on every public table of the demo', () => {
  it('public tally API: no count of 1..k-1, and no suppressed count recomputable from the published ones', async () => {
    const all = await tallies();
    // The demo has closed instruments with small categories (20 deputies): the proof is not vacuous.
    expect(all.length).toBeGreaterThanOrEqual(2);
    // And one with paper ballots (the demo meeting): the per-source tables are part of the proof.
    expect(all.some((x) => x.body.sources.paper.responses.count !== 0)).toBe(true);
    for (const { id, k, body } of all) {
      expect(body.minCell).toBe(k);
      expect(
        countsOf(body).filter((n) => small(k, n)),
        id,
      ).toEqual([]);
      for (const c of [...body.counts, ...body.sources.online.counts, ...body.sources.paper.counts])
        expect(c.count === null, `${id} ${c.question}`).toBe(c.suppressed === true);
      expect(body.counts.some((c) => c.suppressed)).toBe(true);
      const inst = runtime.instruments.find((i) => i.id === id);
      const indicators = new Map(body.subjects.map((s) => [s.subject.id, s.indicators]));
      // What an attacker also has: the spent-token list gives every category's online turnout (one token a
      // response). Without paper ballots that is the turnout; with them, the online table's turnout.
      const spent = await fetch(`${b.base}/api/v1/instruments/${id}/tokens/spent`);
      const keys =
        spent.status === 200 ? ((await spent.json()) as { keys: { raterCategory: string; spent: number }[] }).keys : [];
      const fromTokens = <T extends { raterCategory: string; responses: number | null }>(list: T[]) =>
        list.map((t) => {
          const mine = keys.filter((x) => x.raterCategory === t.raterCategory);
          return mine.length > 0 ? { ...t, responses: mine.reduce((a, x) => a + x.spent, 0) } : t;
        });
      const figures = publishedFigures(body);
      const paper = figures.sources !== undefined;
      // The appraisal page publishes each meeting's counts, ballots counted included: the paper total is
      // public by that route, so the tally must publish the same figure (hiding it would protect nothing).
      const meetings = (await (await fetch(`${b.base}/api/v1/instruments/${id}/meetings`)).json()) as {
        meetings: { counted: number }[];
      };
      const counted = meetings.meetings.reduce((a, m) => a + m.counted, 0);
      expect(body.sources.paper.responses.count, `${id} paper total`).toBe(counted);
      const online = paper ? body.sources.online.turnout : body.turnout;
      if (keys.length > 0)
        expect(fromTokens(online).filter((t) => t.responses !== null)).toEqual(
          online.filter((t) => t.responses !== null),
        );
      const sys = tallySystem(inst, {
        ...figures,
        ...(figures.sources
          ? { sources: { ...figures.sources, online: { ...figures.sources.online, turnout: fromTokens(online) } } }
          : { turnout: fromTokens(body.turnout) }),
        sharePublished: (subject, which) => {
          const x = indicators.get(subject) as Record<string, unknown> | undefined;
          return x !== undefined && (which === 'all' ? x.good !== null : x[which] !== null && x[which] !== undefined);
        },
      });
      expect(recoverable(sys, sys.unknownIds), id).toEqual([]);
      // A score or share only from at least k answers; a source's score only from k answers of that source.
      // Without paper the online figures are the combined ones (a score with its known count hidden, as above).
      for (const s of body.sources.subjects)
        for (const x of [s.online, s.paper])
          if (x.score !== null) expect(x.known === null ? !paper : x.known >= k, `${id} ${s.subject.id}`).toBe(true);
      for (const s of body.subjects) {
        if (s.score !== null) expect(s.known === null || s.known >= k, `${id} ${s.subject.id}`).toBe(true);
        for (const x of s.byCategory) if (x.score !== null) expect(x.answers ?? 0).toBeGreaterThanOrEqual(k);
      }
    }
  });

  it('turnout API after close shows what the tally shows', async () => {
    for (const { id, k, body } of await tallies()) {
      const r = await fetch(`${b.base}/api/v1/instruments/${id}/turnout`);
      const t = turnoutBody.parse(await r.json());
      expect(t.step).toBe(1);
      expect(t.categories.filter((c) => small(k, c.responses))).toEqual([]);
      for (const c of t.categories) {
        const shown = body.turnout.find((x) => x.raterCategory === c.raterCategory);
        expect(c.responses, `${id} ${c.raterCategory}`).toBe(shown ? shown.responses : 0);
      }
      expect(t.total).toBe(body.responses.count);
    }
  });

  it('results pages: every count cell reads "<k" or a count of k or more, and equals the API figure', async () => {
    const all = await tallies();
    const appraisals = [...new Set(content.snapshots.map((s) => s.data.appraisal))];
    expect(appraisals.length).toBeGreaterThan(0);
    for (const appraisal of appraisals) {
      const k = minCellOf(runtime.appraisals.find((a) => a.id === appraisal));
      const p = await b.page(`/results/${appraisal}/`);
      for (const section of await p.locator('section.tally').all()) {
        const id = (await section.getAttribute('id'))?.replace(/^tally-/, '') ?? '';
        const api = all.find((x) => x.id === id)?.body;
        if (!api) throw new Error(`${id}: shown on the results page but no public tally`);
        // Options tables: each row is a question, its cells the options' totals, then the row total.
        const rows = await section.locator('table.options tbody tr').evaluateAll((trs) =>
          trs.map((tr) => ({
            question: tr.getAttribute('data-question') ?? '',
            cells: [...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim()),
          })),
        );
        expect(rows.length, id).toBeGreaterThan(0);
        const def = runtime.instruments.find((i) => i.id === id);
        for (const r of rows) {
          const q = def?.questions.find((x) => x.id === r.question);
          if (!q || q.type === 'text') throw new Error(`${r.question}: unknown question`);
          const want = q.options.map((o) => {
            const t = api.totals.find((x) => x.question === q.id && x.option === o.id);
            return t ? (t.count === null ? `<${k}` : String(t.count)) : '0';
          });
          const row = api.rows.find((x) => x.question === q.id);
          want.push(row ? (row.count === null ? `<${k}` : String(row.count)) : '0');
          expect(r.cells, `${id} ${q.id}`).toEqual(want);
        }
        // Turnout (responses column) and the subjects' known / 不了解 columns.
        const turnout = await section
          .locator('table.turnout tbody tr')
          .evaluateAll((trs) => trs.map((tr) => (tr.querySelectorAll('td')[0] as HTMLElement).innerText.trim()));
        const subjects = await section
          .locator('table.subjects tbody tr')
          .evaluateAll((trs) =>
            trs.flatMap((tr) => [...tr.querySelectorAll('td')].slice(1, 3).map((td) => (td as HTMLElement).innerText)),
          );
        for (const cell of [...rows.flatMap((r) => r.cells), ...turnout, ...subjects]) {
          if (/^\d+$/.test(cell.trim())) expect(small(k, Number(cell)), `${id}: ${cell}`).toBe(false);
        }
        if (rows.some((r) => r.cells.includes(`<${k}`))) {
          await expect(section.locator('.suppressed-note').innerText()).resolves.toContain(`<${k}`);
        }
      }
      await p.close();
    }
  });

  it('open data: tallies, scores and validity carry the same public figures, none small', async () => {
    const all = await tallies();
    const get = async (name: string) =>
      (await (await fetch(`${b.base}/data/${name}.json`)).json()) as Record<string, string | number | null>[];
    const [tallyRows, scores, validity] = await Promise.all([get('tallies'), get('scores'), get('validity')]);
    expect(tallyRows.length).toBeGreaterThan(0);
    for (const r of tallyRows) {
      const t = all.find((x) => x.id === r.instrument);
      if (!t) throw new Error(`${r.instrument}: in open data but no public tally`);
      expect(small(t.k, r.count as number | null), JSON.stringify(r)).toBe(false);
      const api = t.body.counts.find(
        (c) => c.question === r.question && c.option === r.option && c.raterCategory === r.rater_category,
      );
      expect(r.count, JSON.stringify(r)).toBe(api?.count);
      expect(r.suppressed).toBe(api?.suppressed ? 1 : 0);
    }
    for (const r of scores) {
      const t = all.find((x) => x.id === r.instrument);
      if (!t) continue;
      const api = t.body.subjects.find((s) => s.subject.id === r.subject);
      expect([r.known, r.unknown, r.score]).toEqual([api?.known, api?.unknown, api?.score ?? null]);
    }
    for (const r of validity) {
      const t = all.find((x) => x.id === r.instrument);
      if (!t) continue;
      expect(small(t.k, r.responses as number | null)).toBe(false);
    }
  });
});
