// Issue 21's public pages in Chromium against the demo: honest charts on the
// results page, the receipts board, the live turnout page, and the printable
// per-subject report.
// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a reader sees.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expectAccessible, hydrated, jsErrors, useBrowser } from '../support/browser';
import { publishedInstrument } from '../support/published';

const b = useBrowser();
const snapshot = (appraisal: string) =>
  JSON.parse(readFileSync(`src/content/snapshots/${appraisal}.json`, 'utf8')) as {
    instruments: { id: string; status: string; receipts: string[]; digest: string }[];
  };

describe('honest charts', () => {
  it('start every bar at zero and give every chart its data table', async () => {
    for (const path of ['/results/county-2025/', '/results/county-2026/']) {
      const p = await b.page(path);
      const charts = await p.locator('figure.chart').evaluateAll((figs) =>
        figs.map((f) => ({
          id: f.getAttribute('data-chart'),
          axisMin: f.querySelector('svg')?.getAttribute('data-axis-min'),
          firstTick: f.querySelector('svg .axis text')?.textContent,
          bars: f.querySelectorAll('svg rect.bar').length,
          rows: f.querySelectorAll('table tbody tr').length,
          caption: f.querySelector('table caption')?.textContent,
        })),
      );
      expect(charts.length, path).toBeGreaterThan(0);
      for (const c of charts) {
        expect(c.axisMin, `${path} ${c.id}`).toBe('0');
        expect(c.firstTick, `${path} ${c.id}`).toBe('0');
        expect(c.rows, `${path} ${c.id}`).toBe(c.bars);
        expect(c.caption, `${path} ${c.id}`).toBeTruthy();
      }
      // Bars are proportional to the values: 95.9 and 89.9 differ by 6 %, not by a factor of three.
      if (path === '/results/county-2025/') {
        const w = await p
          .locator('#chart-satisfaction-caption + svg rect.bar')
          .evaluateAll((r) => r.map((x) => Number(x.getAttribute('width'))));
        expect(Math.min(...w) / Math.max(...w)).toBeGreaterThan(0.9);
      }
      expect(await p.evaluate(() => document.querySelectorAll('script').length)).toBe(0);
      // The legend's colours are SVG fills: an inline style would break the CSP.
      expect(await p.locator('main [style]').count()).toBe(0);
      await expectAccessible(p);
      expect(jsErrors(p)).toEqual([]);
      await p.close();
    }
  });
});

describe('receipts board', () => {
  it('lists every receipt of a closed instrument, sorted, linked from the results page and /receipts/', async () => {
    const inst = snapshot('county-2025').instruments.find((i) => i.id === 'rating-units-2025')!;
    const results = await b.page('/results/county-2025/');
    const link = results.locator('#tally-rating-units-2025 [data-testid="receipts-board"]');
    expect(await link.getAttribute('href')).toBe('/receipts/rating-units-2025/');
    await link.click();
    await results.waitForURL('**/receipts/rating-units-2025/');
    const p = results;
    expect(await p.locator('h1').innerText()).toBe('回执清单: 2025年度县直单位满意度评议');
    expect(await p.getByTestId('receipt-count').innerText()).toBe(String(inst.receipts.length));
    expect(await p.locator('code.digest').innerText()).toBe(inst.digest);
    const shown = (await p.locator('pre.receipts').allInnerTexts()).flatMap((t) => t.trim().split('\n'));
    expect(shown).toEqual([...inst.receipts].sort());
    // The first-character index jumps to its group.
    const first = inst.receipts.sort()[0]!.charAt(0);
    await p.locator(`nav a[href="#r-${first}"]`).click();
    expect(await p.evaluate(() => location.hash)).toBe(`#r-${first}`);
    // No per-row markup: about one line of text per receipt, so thousands stay small.
    const rows = await p.locator('pre.receipts').evaluateAll((pres) => ({
      bytes: pres.reduce((n, x) => n + x.innerHTML.length, 0),
      tags: pres.reduce((n, x) => n + x.children.length, 0),
    }));
    expect(rows.tags).toBe(0);
    expect(rows.bytes / inst.receipts.length).toBeLessThanOrEqual(20);
    // No search form: a receipt never goes into a URL.
    expect(await p.locator('main form').count()).toBe(0);
    expect(await p.evaluate(() => document.querySelectorAll('script').length)).toBe(0);
    await expectAccessible(p);
    await p.close();

    const check = await b.page('/receipts/');
    expect(await check.locator('#boards ~ ul a').evaluateAll((a) => a.map((x) => x.getAttribute('href')))).toEqual(
      snapshot('county-2025')
        .instruments.concat(snapshot('county-2026').instruments)
        .filter((i) => i.status === 'closed')
        .map((i) => `/receipts/${i.id}/`),
    );
    await check.close();
  });
});

describe('turnout page', () => {
  it('shows the live turnout per category against codes issued, as the API gives it, linked from the participate pages', async () => {
    const list = await b.page('/participate/');
    const links = list.getByTestId('turnout-links').locator('a');
    expect(await links.evaluateAll((a) => a.map((x) => x.getAttribute('href')))).toContain(
      '/participate/rating-units-2026/turnout/',
    );
    await list.close();

    const inst = await b.page('/participate/rating-units-2026/');
    expect(await inst.getByTestId('turnout-link').getAttribute('href')).toBe('/participate/rating-units-2026/turnout/');
    await inst.getByTestId('turnout-link').click();
    await inst.waitForURL('**/turnout/');
    const p = inst;
    await hydrated(p);
    await p.waitForSelector('.turnout-board[data-state="open"]');
    const api = (await (await fetch(`${b.base}/api/v1/instruments/rating-units-2026/turnout`)).json()) as {
      step: number;
      total: number;
      categories: { raterCategory: string; responses: number; codesIssued: number }[];
    };
    expect(api.step).toBe(5);
    for (const c of api.categories) {
      const row = p.locator(`.turnout-board tr[data-category="${c.raterCategory}"]`);
      expect(await row.locator('[data-responses]').getAttribute('data-responses')).toBe(String(c.responses));
      expect(await row.innerText()).toContain(String(c.codesIssued));
    }
    expect(await p.locator('[data-total]').getAttribute('data-total')).toBe(String(api.total));
    expect(await p.locator('.turnout-board .state').innerText()).toContain('每满 5 人更新一次');
    // Without JavaScript the page says where the figures are.
    const html = await (await fetch(`${b.base}/participate/rating-units-2026/turnout/`)).text();
    expect(html).toMatch(/<noscript>.*\/api\/v1\/instruments\/rating-units-2026\/turnout/s);
    await expectAccessible(p);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });
});

describe('per-subject report', () => {
  const results = parse(readFileSync('src/content/results/county-2025-results.yaml', 'utf8')) as {
    entries: { subject: { id: string }; band: string; score: number }[];
  };
  const category = (id: string) =>
    (parse(readFileSync(`src/content/units/${id}.yaml`, 'utf8')) as { category: string }).category;

  it('gives a unit its year: band, score, rank within its category, indicators, three years; linked and printable on A4', async () => {
    const unit = await b.page('/units/czj/');
    expect(
      await unit
        .getByTestId('report-links')
        .locator('a')
        .evaluateAll((a) => a.map((x) => x.getAttribute('href'))),
    ).toEqual(['/units/czj/report/2026/', '/units/czj/report/2025/']);
    await unit.close();
    const res = await b.page('/results/county-2025/');
    const link = res.locator('table.result-table tr[data-subject="czj"] a[href="/units/czj/report/2025/"]');
    expect(await link.count()).toBe(1);
    await link.click();
    await res.waitForURL('**/units/czj/report/2025/');
    const p = res;
    expect(await p.locator('h1').innerText()).toBe('澄川县财政局 2025年度考评报告');
    const facts = await p.getByTestId('current').innerText();
    expect(facts).toMatch(/等次\s+达标/);
    expect(facts).toMatch(/综合得分\s+91\.4/);
    // Rank computed here from the content, independently of the page's code.
    const mine = category('czj');
    const peers = results.entries.filter((e) => category(e.subject.id) === mine);
    const place = 1 + peers.filter((e) => e.score > 91.4).length;
    expect(await p.getByTestId('rank').innerText()).toBe(`第 ${place} 名 (经济管理类 共 ${peers.length} 个单位)`);
    expect(await p.getByTestId('movement').innerText()).toBe('无上年数据, 无法比较。');
    // The share is what the public view publishes: withheld (样本不足) when it would let a reader recompute a
    // hidden count (secondary suppression), never the exact figure the internal feed has.
    const pub = (await p.evaluate(() =>
      fetch('/api/v1/instruments/rating-units-2025/tally').then((r) => r.json()),
    )) as { subjects: { subject: { id: string }; score: number | null; indicators?: { good: number | null } }[] };
    const czj = pub.subjects.find((x) => x.subject.id === 'czj');
    expect(czj?.score?.toFixed(1)).toBe('83.1');
    const good = czj?.indicators?.good ?? null;
    const shown = good === null ? '样本不足' : `${(good * 100).toFixed(1)}%`;
    expect(await p.locator('table.indicators tr[data-instrument="rating-units-2025"]').innerText()).toBe(
      `2025年度县直单位满意度评议\t83.1\t满意率 ${shown}`,
    );
    expect(await p.locator('table.years thead th').allInnerTexts()).toEqual(['项目', '2023', '2024', '2025']);
    expect(await p.locator('table.years tbody tr').first().innerText()).toMatch(/等次\s+无数据\s+无数据\s+达标/);
    // No raw count per rater category anywhere on the report.
    expect(await p.locator('main').innerText()).not.toMatch(/人大代表|政协委员|服务对象/);
    expect(await p.evaluate(() => document.querySelectorAll('script').length)).toBe(0);
    await expectAccessible(p);

    await p.emulateMedia({ media: 'print' });
    expect(await p.locator('header.site').isVisible()).toBe(false);
    expect(await p.locator('footer.site').isVisible()).toBe(false);
    const pdf = await p.pdf({ format: 'A4', preferCSSPageSize: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);
    await p.close();
  });

  it('says when the year has tallies but no published result', async () => {
    const p = await b.page('/units/czj/report/2026/');
    expect(await p.locator('#result + p').innerText()).toBe('本年度考评结果尚未公布。');
    // Online + paper (the demo meeting): the published score and 满意率 of 财政局.
    const czj = publishedInstrument('county-2026', 'rating-sessions-2026').subjects.find((s) => s.subject.id === 'czj');
    const good = `${((czj?.indicators?.good ?? 0) * 100).toFixed(1)}%`;
    expect(await p.locator('table.indicators tr[data-instrument="rating-sessions-2026"]').innerText()).toMatch(
      new RegExp(`${czj?.score?.toFixed(1).replace('.', '\\.')}\\s+满意率 ${good.replace('.', '\\.')}`),
    );
    expect(await p.locator('table.years tbody tr').first().innerText()).toMatch(/等次\s+无数据\s+达标\s+无数据/);
    await expectAccessible(p);
    await p.close();
  });
});
