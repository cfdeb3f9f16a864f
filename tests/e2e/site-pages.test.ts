// The public transparency site in Chromium, against the demo content on the
// pinned day 2026-11-23 (opinion collection open, summaries not yet public).
// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a reader sees (cells apart, hidden parts out), which is what these tests check.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cellText } from '../../src/domain/public-tally';
import { expectAccessible, jsErrors, useBrowser } from '../support/browser';
import { publishedInstrument } from '../support/published';

const b = useBrowser();

const text = (p: Page, selector: string) => p.locator(selector).first().innerText();
const scripts = (p: Page) => p.evaluate(() => document.querySelectorAll('script').length);

/** Every content page: no JavaScript, no horizontal scrolling, axe-clean, no CSP or script errors. */
async function expectSoundPage(p: Page) {
  expect(await scripts(p)).toBe(0);
  await expectAccessible(p);
  expect(jsErrors(p)).toEqual([]);
}

describe('home', () => {
  it('shows the current appraisal, its phase today, what a resident can do and the latest news', async () => {
    const p = await b.page('/');
    expect(await text(p, 'h1')).toBe('考评公开与民意征集平台');
    expect(await text(p, '.current h2')).toContain('2026年度澄川县领导班子和领导干部考核暨机关绩效考评');
    expect(await text(p, '.phase-status strong')).toBe('意见征集进行中, 截至 12月20日');
    expect(await p.locator('.timeline [aria-current="step"]').allInnerTexts()).toEqual([
      expect.stringContaining('考核预告'),
      expect.stringContaining('意见征集'),
    ]);
    expect(await p.locator('.actions a[href="/participate/"]').innerText()).toBe('参与评议');
    expect(await p.locator('.actions a[href="/messages/new/"]').count()).toBe(1);
    // No summary is public yet on 11-23: the page says when they start.
    expect(await text(p, '#publicity-now + p')).toContain('11月28日');
    expect(await p.locator('#latest-notices ~ ul a[href="/appraisals/county-2026/"]').count()).toBe(1);
    expect(await p.locator('#latest-results ~ ul a[href="/results/county-2025/"]').innerText()).toContain(
      '2025年度澄川县机关绩效考评结果公示',
    );
    expect(await text(p, '#latest-results ~ ul .muted')).toContain('先进 6 / 达标 16 / 诫勉 2');
    expect(await p.locator('link[rel="alternate"][type="application/rss+xml"]').getAttribute('href')).toBe('/feed.xml');
    await expectSoundPage(p);
    await p.close();
  });

  it('fits a 360 px phone screen without sideways scrolling', async () => {
    for (const path of ['/', '/units/czj/', '/results/county-2025/', '/appraisals/county-2026/']) {
      const p = await b.page(path, { width: 360 });
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
      await p.close();
    }
  });
});

describe('appraisal notice (考核预告)', () => {
  it('lists every notice', async () => {
    const p = await b.page('/appraisals/');
    expect(await p.locator('main .card h2 a').allInnerTexts()).toEqual([
      '2026年度澄川县领导班子和领导干部考核暨机关绩效考评',
      '2025年度澄川县领导班子和领导干部考核暨机关绩效考评',
    ]);
    await expectSoundPage(p);
    await p.close();
  });

  it('has the schedule, the subjects, the procedure, the teams with their contacts, observers and channels', async () => {
    const p = await b.page('/appraisals/county-2026/');
    expect(await text(p, 'h1')).toBe('2026年度澄川县领导班子和领导干部考核暨机关绩效考评');
    const phases = await p.locator('.timeline .phase').allInnerTexts();
    expect(phases).toHaveLength(6);
    expect(phases[0]).toMatch(/考核预告\s*11月16日 至 11月30日\s*进行中/);
    // The results fall in the next year: their dates say so.
    expect(phases.at(-2)).toMatch(/结果公示\s*2027年1月15日 至 2027年1月21日\s*未开始/);
    expect(phases.at(-1)).toMatch(/申诉受理\s*2027年1月15日 至 2027年1月25日\s*未开始/);
    expect(await text(p, '#subjects + p')).toBe('本次考核县直 24 个单位的机关绩效、领导班子和 48 名领导干部。');
    expect(await p.locator('#subjects ~ .table-wrap table').first().locator('a[href^="/units/"]').count()).toBe(24);
    expect(await p.locator('.steps > li').count()).toBe(6);
    expect(await p.locator('a[href="/appraisals/county-2026/indicators/"]').count()).toBe(1);

    const team = p.locator('section.team#county-2026-team-1');
    expect(await team.locator('h3').innerText()).toBe('第一考核组');
    expect(await team.locator('a[href="tel:07998611701"]').innerText()).toBe('0799-8611701');
    expect(await team.locator('a[href="mailto:khz1@example.org"]').innerText()).toBe('khz1@example.org');
    expect(await team.locator('dd').first().innerText()).toBe('江永红 (县委组织部副部长)');
    const czj = team.locator('tbody tr', { has: p.locator('a[href="/units/czj/"]') });
    expect(await czj.innerText()).toMatch(/2026年12月8日\s+澄川县财政局/);
    expect(await p.locator('section.team').count()).toBe(3);

    const bai = p.locator('table.observers tr', { hasText: '白晓峰' });
    expect(await bai.locator('a[href^="tel:"]').getAttribute('href')).toBe('tel:07998611722');
    expect(await bai.innerText()).toContain('定点观察员');
    expect(await p.locator('.channels dt').allInnerTexts()).toEqual(
      expect.arrayContaining(['在本门户参与评议', '民意调查箱', '热线电话', '电子邮箱']),
    );
    expect(await p.locator('.channels a[href="/participate/"]').count()).toBe(1);
    // Every phone and e-mail on the page is a link, in the channels' prose too.
    expect(await p.locator('.channels a[href="mailto:kpyj@example.org"]').innerText()).toBe('kpyj@example.org');
    expect(await p.locator('.channels a[href="tel:07998611700"]').innerText()).toBe('0799-8611700');
    expect(await p.locator('#objection ~ p a[href="tel:07998611700"]').count()).toBe(1);
    const bare = await p.locator('main').evaluate((main) => {
      const contact = /[\w.+-]+@[\w-]+\.[\w.]+|0\d{2,3}-\d{7,8}/g;
      const out: string[] = [];
      const walk = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode())
        if (!n.parentElement?.closest('a')) out.push(...(n.textContent?.match(contact) ?? []));
      return out;
    });
    expect(bare).toEqual([]);
    // Each way of giving an opinion names its own page.
    const methods = p.locator('table', { has: p.locator('caption', { hasText: '网上测评和问卷' }) });
    expect(await methods.locator('th[scope="row"] a').count()).toBe(await methods.locator('tbody tr').count());
    expect(await methods.locator('a[href="/participate/vote-service-2026/"]').innerText()).toContain('网上评选');
    expect(await text(p, '#objection + p')).toBe('申诉期 2027-01-15 至 2027-01-25');
    await expectSoundPage(p);
    await p.close();
  });

  it('prints on A4 without the navigation', async () => {
    const p = await b.page('/appraisals/county-2026/');
    await p.emulateMedia({ media: 'print' });
    expect(await p.locator('header.site nav').isVisible()).toBe(false);
    expect(await p.locator('.breadcrumbs').isVisible()).toBe(false);
    expect(await p.locator('section.team a[href^="tel:"]').first().isVisible()).toBe(true);
    const pdf = await p.pdf({ preferCSSPageSize: true });
    // A4 is 595.28 x 841.89 points (Chromium rounds to whole device pixels).
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'));
    expect(Number(box?.[1])).toBeCloseTo(595.3, 0);
    expect(Number(box?.[2])).toBeCloseTo(841.9, 0);
    await p.close();
  });
});

describe('units', () => {
  it('lists every unit by category, with a filter per category', async () => {
    const p = await b.page('/units/');
    expect(await p.locator('.unit-list li').count()).toBe(24);
    expect(await p.locator('main h2').allInnerTexts()).toEqual([
      '经济管理类 (6)',
      '执法监督和公共服务类 (6)',
      '党群机关类 (6)',
      '驻澄单位类 (6)',
    ]);
    expect(await p.locator('nav.filter a[aria-current="page"]').innerText()).toContain('全部单位');
    await expectSoundPage(p);
    await p.click('nav.filter a[href="/units/category/party/"]');
    await p.waitForURL('**/units/category/party/');
    expect(await text(p, 'h1')).toBe('单位公示: 党群机关类');
    const names = await p.locator('.unit-list a').allInnerTexts();
    expect(names).toHaveLength(6);
    expect(names).toContain('中共澄川县委宣传部');
    expect(names).not.toContain('澄川县财政局');
    expect(await p.locator('nav.filter a[aria-current="page"]').innerText()).toContain('党群机关类');
    await expectSoundPage(p);
    await p.close();
  });

  it('shows a unit: profile, team, publicity window, the summary and annual report rendered, results', async () => {
    const p = await b.page('/units/czj/');
    expect(await text(p, 'h1')).toBe('澄川县财政局');
    expect(await text(p, '.window .range')).toBe('公示期 2026-11-29 至 2026-12-06');
    expect(await text(p, '.window .state')).toBe('尚未开始公示');
    expect(await p.locator('a[href="/messages/new/?unit=czj"]').innerText()).toBe('对本单位工作总结提出意见');
    expect(await p.locator('a[href="tel:07998612356"]').innerText()).toBe('0799-8612356');

    const team = p.locator('.team-ref');
    expect(await team.locator('h3').innerText()).toBe('考核组: 第一考核组');
    expect(await team.innerText()).toContain('实地考核日期: 2026年12月8日');
    expect(await team.locator('a[href="tel:07998611701"]').count()).toBe(1);

    const summaries = p.locator('article.summary');
    expect(await summaries.locator('h3').allInnerTexts()).toEqual([
      '澄川县财政局2026年度工作总结',
      '陈永福同志2026年度述职报告',
    ]);
    // Markdown rendered, its headings nested under the summary's, ids kept unique.
    const work = p.locator('article#czj-2026');
    expect(await work.locator('.prose table caption, .prose table th').first().innerText()).toBe('项目');
    expect(await work.locator('.prose td', { hasText: '21.7' }).count()).toBe(1);
    expect(await work.locator('.prose h4').first().innerText()).toBe('一、收支运行情况');
    expect(await p.locator('.prose h1, .prose h2, .prose h3').count()).toBe(0);
    const ids = await p.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id));
    expect(new Set(ids).size).toBe(ids.length);

    const row = p.locator('#history ~ .table-wrap tr[data-appraisal="county-2025"]');
    expect(await row.innerText()).toMatch(/2025\s+达标\s+91\.4\s+91\.7/);
    await expectSoundPage(p);
    await p.close();
  });

  it('shows the issue example window for a unit public from 12-01 to 12-08', async () => {
    const p = await b.page('/units/xcb/');
    expect(await text(p, '.window .range')).toBe('公示期 2026-12-01 至 2026-12-08');
    expect(await p.locator('article.summary').count()).toBe(2);
    await p.close();
  });
});

describe('indicator system', () => {
  it('lists the systems and shows areas, indicators, points and weights as tables', async () => {
    const p = await b.page('/indicators/');
    expect(await p.locator('main .card p').first().innerText()).toBe('共 6 个考核领域、42 项指标, 满分 100 分。');
    await expectSoundPage(p);
    await p.click('a[href="/appraisals/county-2026/indicators/"]');
    await p.waitForURL('**/appraisals/county-2026/indicators/');
    expect(await text(p, 'h1')).toBe('2026年度澄川县直单位综合考核指标体系');
    const areas = p.locator('table.areas');
    expect(await areas.locator('caption').innerText()).toBe('考核领域及权重');
    expect(await areas.locator('tfoot').innerText()).toMatch(/合计\s+100/);
    const first = areas.locator('tbody tr').first();
    expect(await first.innerText()).toMatch(/党的建设\s+20\s+7/);
    const party = p.locator('section.area', { has: p.locator('h3#area-party-building') });
    expect(await party.locator('caption').innerText()).toBe('党的建设 (权重 20%)');
    expect(await party.locator('tr#indicator-theory-study').innerText()).toMatch(/理论学习\s+3\s+党组/);
    expect(await party.locator('tfoot').innerText()).toMatch(/合计\s+20/);
    // Every data table has a caption and header cells.
    const bare = await p.evaluate(
      () => [...document.querySelectorAll('table')].filter((t) => !t.caption || !t.querySelector('th')).length,
    );
    expect(bare).toBe(0);
    await expectSoundPage(p);
    await p.close();
  });
});

describe('results (结果公示)', () => {
  it('shows every subject with band and scores, static SVG charts, the objection window and how to object', async () => {
    const p = await b.page('/results/county-2025/');
    expect(await text(p, 'h1')).toBe('2025年度澄川县机关绩效考评结果公示');
    expect(await text(p, 'main .muted')).toContain('公布日期: 2026年1月15日');
    expect(await text(p, '.window .range')).toBe('申诉期 2026-01-15 至 2026-01-25');
    expect(await text(p, '.window .state')).toBe('申诉期已结束');
    const rows = p.locator('table.result-table tbody tr');
    expect(await rows.count()).toBe(24);
    expect(await p.locator('table.result-table tr[data-subject="czj"]').innerText()).toMatch(
      /澄川县财政局\s+经济管理类\s+达标\s+91\.4\s+91\.7/,
    );
    expect(await p.locator('tr[data-subject="txw"] td.band').innerText()).toBe('诫勉');
    // Best band first, highest score first within it.
    expect(await rows.first().locator('th').innerText()).toBe('澄川县行政审批服务局');

    // Bands, satisfaction, score, and the snapshot's rating scores.
    const charts = p.locator('figure.chart > svg');
    expect(await charts.count()).toBe(4);
    const bands = p.locator('#chart-bands-caption + svg');
    expect(await bands.locator('rect.bar').evaluateAll((r) => r.map((x) => x.getAttribute('data-value')))).toEqual([
      '6个',
      '16个',
      '2个',
    ]);
    const widths = await bands.locator('rect.bar').evaluateAll((r) => r.map((x) => Number(x.getAttribute('width'))));
    expect(widths[1]).toBeGreaterThan(widths[0]!);
    expect(widths[0]).toBeGreaterThan(widths[2]!);
    expect(await p.locator('#chart-satisfaction-caption + svg rect.bar').count()).toBe(24);
    expect(await p.locator('#chart-satisfaction-caption + svg title').textContent()).toBe('群众满意度 (分)');
    expect(await text(p, '#object + p')).toContain('10日内');
    await expectSoundPage(p);
    await p.close();
  });

  it("shows the snapshot's final tallies: turnout, scores and every option's count, with the digest", async () => {
    const p = await b.page('/results/county-2025/');
    const tally = p.locator('section.tally#tally-rating-units-2025');
    expect(await tally.locator('h3').innerText()).toBe('2025年度县直单位满意度评议');
    expect(await tally.locator('dd.responses').innerText()).toBe('80');
    expect(await tally.locator('code.digest').innerText()).toMatch(/^[0-9a-f]{64}$/);
    expect(await tally.locator('table.turnout tbody tr').allInnerTexts()).toEqual([
      expect.stringMatching(/人大代表\s+20\s+20\s+100\.0%/),
      expect.stringMatching(/政协委员\s+20\s+20\s+100\.0%/),
      expect.stringMatching(/服务对象\s+40\s+40\s+100\.0%/),
    ]);
    expect(await tally.locator('table.options thead th').allInnerTexts()).toEqual([
      '题目',
      '满意',
      '基本满意',
      '不满意',
      '合计',
    ]);
    // Small-cell suppression: the deputies' few 基本满意/不满意 answers hide these totals (and, so that they
    // cannot be solved back, the row total); one line under the tally says what "<5" means.
    expect(await tally.locator('table.options tr[data-question="czj"]').innerText()).toMatch(
      /澄川县财政局\s+40\s+<5\s+<5\s+<5/,
    );
    expect(await tally.locator('.suppressed-note').innerText()).toContain('“<5”');
    // The score stands (72 known answers, at least 5); the known and 不了解 counts are hidden with the cells.
    expect(await tally.locator('table.subjects tr[data-subject="czj"]').innerText()).toMatch(
      /县财政局\s+83\.1\s+<5\s+<5\s/,
    );
    expect(await tally.locator('svg rect.bar').count()).toBe(24);
    // The data table sits in a closed <details>: read its text, not its rendering.
    expect(await tally.locator('details tr', { hasText: '县财政局' }).textContent()).toMatch(/83\.1/);
    await expectSoundPage(p);
    await p.close();
  });

  it('gives the tallies a page before the result is out', async () => {
    const p = await b.page('/results/county-2026/');
    expect(await text(p, 'h1')).toBe('2026年度澄川县领导班子和领导干部考核暨机关绩效考评: 民意征集统计');
    expect(await text(p, '.notice-box')).toBe('本年度考评结果尚未公布。');
    expect(await p.locator('table.result-table').count()).toBe(0);
    const tally = p.locator('section.tally#tally-rating-sessions-2026');
    // The figures are online + paper (the demo meeting's ballots), as the public view of the snapshot gives them.
    const sessions = publishedInstrument('county-2026', 'rating-sessions-2026');
    const czj = ['satisfied', 'basically', 'unsatisfied'].map((o) =>
      cellText(sessions.totals.find((t) => t.question === 'czj' && t.option === o) ?? 0, sessions.minCell),
    );
    const row = cellText(sessions.rows.find((r) => r.question === 'czj') ?? 0, sessions.minCell);
    expect(await tally.locator('table.options tr[data-question="czj"]').innerText()).toMatch(
      new RegExp(`澄川县财政局\\s+${[...czj, row].join('\\s+')}`),
    );
    const npc = sessions.turnout.find((t) => t.raterCategory === 'npc_deputy');
    const online = sessions.sources.online.turnout.find((t) => t.raterCategory === 'npc_deputy')?.responses;
    expect(npc?.responses).toBe(
      (online ?? 0) + (sessions.sources.paper.turnout.find((t) => t.raterCategory === 'npc_deputy')?.responses ?? 0),
    );
    // 参与率 stays online responses per code issued: 18 of 30; the headings say which source each column counts.
    expect(await tally.locator('table.turnout thead').innerText()).toMatch(
      /提交份数 \(网上 \+ 纸质\)\s+发放参与码\s+参与率 \(网上\)/,
    );
    expect(await tally.locator('table.turnout').innerText()).toMatch(
      new RegExp(`人大代表\\s+${npc?.responses}\\s+30\\s+${((online! / 30) * 100).toFixed(1)}%`),
    );
    // The instrument asks for half of each category: 60% reached, the round counts.
    expect(await tally.locator('[data-validity]').innerText()).toBe('本轮测评有效: 各类评议主体参评率均达到要求。');
    await expectSoundPage(p);
    await p.close();
  });

  it('puts the years side by side, saying which are not published yet', async () => {
    const p = await b.page('/results/');
    const head = await p.locator('table.history thead th').allInnerTexts();
    expect(head).toEqual(['考核对象', '2026', '2025']);
    expect(await p.locator('table.history tr[data-unit="czj"]').innerText()).toMatch(
      /澄川县财政局\s+未公布\s+达标 \(91\.4\)/,
    );
    const current = p.locator('main .card').first();
    expect(await current.innerText()).toContain('本年度考评结果尚未公布');
    expect(await current.locator('h3 a').getAttribute('href')).toBe('/results/county-2026/');
    await expectSoundPage(p);
    await p.close();
  });
});

describe('open data page and the rest', () => {
  it('documents every dataset with its files and columns', async () => {
    const p = await b.page('/data/');
    // 14: rater categories, score rules and validity joined the scores (issue 18).
    expect(await p.locator('table.datasets tbody tr').count()).toBe(14);
    const results = p.locator('table.datasets tr[data-dataset="results"]');
    expect(await results.locator('a[href="/data/results.csv"]').count()).toBe(1);
    expect(await results.locator('a[href="/data/results.json"]').count()).toBe(1);
    expect(await results.locator('td.num').innerText()).toBe('24');
    // The row count shown is the file's (407 cells since 不了解 has its own).
    const tallies = (await (await fetch(`${b.base}/data/tallies.json`)).json()) as unknown[];
    expect(tallies.length).toBeGreaterThan(300);
    expect(await p.locator('table.datasets tr[data-dataset="tallies"] td.num').innerText()).toBe(
      String(tallies.length),
    );
    // Every dataset has data: no "empty" notice left.
    expect(await p.locator('main .notice-box').count()).toBe(0);
    // The datasets that change without a rebuild (D1) are listed too, and answer.
    const live = p.locator('table.live-datasets tbody tr');
    expect(await live.count()).toBe(4);
    const ledger = p.locator('table.live-datasets tr[data-dataset="rectification"] a', { hasText: 'JSON' });
    const rows = (await (await fetch(`${b.base}${await ledger.getAttribute('href')}`)).json()) as { unit: string }[];
    expect(rows.some((r) => r.unit === 'xzspj')).toBe(true);
    expect(await text(p, 'main')).toContain('字节顺序标记 (BOM)');
    await expectSoundPage(p);
    await p.close();
  });

  it('has the opinion box in the main menu, current on all its pages, and says each thing once there', async () => {
    const menu = (p: Page) => p.locator('header.site nav a', { hasText: '写意见' });
    const home = await b.page('/');
    expect(await menu(home).getAttribute('href')).toBe('/messages/new/');
    expect(await menu(home).getAttribute('aria-current')).toBeNull();
    await home.close();
    for (const [path, current] of [
      ['/messages/', 'true'],
      ['/messages/new/', 'page'],
      ['/messages/track/', 'true'],
    ] as const) {
      const p = await b.page(path);
      expect(await menu(p).getAttribute('aria-current'), path).toBe(current);
      await p.close();
    }
    const hub = await b.page('/messages/');
    const sentences = (await text(hub, 'main'))
      .split(/[。\n]/)
      .map((x) => x.trim())
      .filter(Boolean);
    expect(sentences.filter((x, i) => sentences.indexOf(x) !== i)).toEqual([]);
    await expectSoundPage(hub);
    await hub.close();
  });

  it('answers an unknown page with the site 404', async () => {
    const r = await fetch(`${b.base}/no-such-page/`);
    expect(r.status).toBe(404);
    expect(await r.text()).toContain('找不到该页面');
    const p = await b.page('/no-such-page/');
    await expectSoundPage(p);
    await p.close();
  });
});
