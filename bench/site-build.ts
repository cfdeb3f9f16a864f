// Benchmark of the static site at county scale: generates a synthetic county
// (1,000 units, each with a work summary and its head's annual report, last
// year's results for all), builds it with the real pages, then measures what
// a visitor downloads for the home, a unit and the results page, and runs
// Lighthouse (mobile profile) on the demo site's home, notice, unit and
// results pages.
//
//   npx tsx bench/site-build.ts [--units 1000] [--no-lighthouse] [--keep]
//
// The build runs in a copy of the project under the system temp folder, with
// its own content, output and Astro cache, so it never touches the work tree.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { stringify } from 'yaml';
import { CHROMIUM_ARGS } from '../tests/support/browser';
import { machine, writeSection } from './lib/report';

const ROOT = resolve(import.meta.dirname, '..');
// A day when every summary of both counties is public: the home page is at its heaviest.
const NOW = '2026-12-02T10:00:00+08:00';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const arg = (name: string) => process.argv.includes(`--${name}`);
const UNITS = Number(process.argv[process.argv.indexOf('--units') + 1]) || 1000;

const CATEGORIES = ['economic', 'enforcement', 'party', 'stationed'] as const;
const FIELD_DAYS = ['07', '08', '09', '10', '11', '14', '15', '16', '17', '18'].map((d) => `2026-12-${d}`);
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文斌';
const FIELDS =
  '财政 商务 农业 水利 交通 教育 卫生 民政 司法 审计 统计 林业 住建 城管 应急 医保 文旅 体育 科技 人社'.split(' ');

const pick = <T>(xs: readonly T[] | string, i: number) => xs[i % xs.length] as T;
const person = (i: number) => `${pick(SURNAMES, i * 7)}${pick(GIVEN, i * 3)}${pick(GIVEN, i * 11 + 5)}`;

/** Write the synthetic county's content into <dir>/src/content. */
function generate(dir: string, units: number) {
  const content = join(dir, 'src/content');
  rmSync(content, { recursive: true, force: true });
  const put = (path: string, text: string) => {
    mkdirSync(join(content, path, '..'), { recursive: true });
    writeFileSync(join(content, path), text);
  };
  const demo = (path: string) => readFileSync(join(ROOT, 'src/content', path), 'utf8');
  // The demo's appraisals and indicator system, as they are: realistic text and phases.
  put('appraisals/county-2025.yaml', demo('appraisals/county-2025.yaml'));
  put('appraisals/county-2026.yaml', demo('appraisals/county-2026.yaml'));
  put('indicators/county-2026-indicators.yaml', demo('indicators/county-2026-indicators.yaml'));
  const body = demo('summaries/czj-2026.md').replace(/^---[\s\S]*?---\n/, '');
  const report = demo('summaries/off-czj-1-2026.md').replace(/^---[\s\S]*?---\n/, '');

  const ids: string[] = [];
  for (let i = 0; i < units; i++) {
    const id = `u${String(i + 1).padStart(4, '0')}`;
    ids.push(id);
    const name = `澄川县第${i + 1}${pick(FIELDS, i)}服务中心`;
    put(
      `units/${id}.yaml`,
      stringify({
        id,
        name,
        shortName: `${pick(FIELDS, i)}${i + 1}中心`,
        category: pick(CATEGORIES, i),
        profile: `县政府直属事业单位，承担全县${pick(FIELDS, i)}领域的公共服务和行业管理工作，下设综合科、业务科和${(i % 9) + 2}个乡镇服务站。`,
        address: `澄川县城关镇${pick(FIELDS, i + 3)}路${(i % 200) + 1}号`,
        phone: `0799-86${String(10000 + i).slice(-5)}`,
      }),
    );
    for (const k of [1, 2]) {
      put(
        `officials/${id}-${k}.yaml`,
        stringify({ id: `${id}-${k}`, name: person(i * 2 + k), post: k === 1 ? '党组书记、主任' : '副主任', unit: id }),
      );
    }
    const publicity = { start: '2026-11-25', end: '2026-12-02' };
    put(
      `summaries/${id}-2026.md`,
      `---\n${stringify({ appraisal: 'county-2026', unit: id, kind: 'work-summary', title: `${name}2026年度工作总结`, publicity })}---\n${body}`,
    );
    put(
      `summaries/${id}-1-2026.md`,
      `---\n${stringify({ appraisal: 'county-2026', unit: id, kind: 'annual-report', official: `${id}-1`, title: `${person(i * 2 + 1)}同志2026年度述职报告`, publicity })}---\n${report}`,
    );
  }
  // 25 teams of 40 units, visits spread over the ten fieldwork days.
  const perTeam = 40;
  for (let t = 0; t * perTeam < ids.length; t++) {
    const mine = ids.slice(t * perTeam, (t + 1) * perTeam);
    put(
      `teams/county-2026-team-${t + 1}.yaml`,
      stringify({
        id: `county-2026-team-${t + 1}`,
        appraisal: 'county-2026',
        name: `第${t + 1}考核组`,
        leader: { name: person(5000 + t), post: '县委组织部副部长' },
        members: [1, 2, 3].map((k) => ({ name: person(6000 + t * 3 + k), post: '县绩效办干部' })),
        phone: `0799-87${String(100 + t).padStart(3, '0')}00`,
        email: `team${t + 1}@example.org`,
        units: mine.map((unit, k) => ({ unit, date: pick(FIELD_DAYS, k) })),
      }),
    );
  }
  for (let o = 0; o < 20; o++) {
    put(
      `observers/obs-${o + 1}.yaml`,
      stringify({
        id: `obs-${o + 1}`,
        appraisal: 'county-2026',
        name: person(7000 + o),
        role: o % 2 ? 'opinion-survey' : 'fixed-point',
        phone: `0799-88${String(100 + o).padStart(3, '0')}00`,
        email: `obs${o + 1}@example.org`,
        units: ids.filter((_, k) => k % 20 === o).slice(0, 50),
      }),
    );
  }
  const bands = ['先进', '达标', '诫勉'];
  put(
    'results/county-2025-results.yaml',
    stringify({
      appraisal: 'county-2025',
      title: '2025年度澄川县机关绩效考评结果公示',
      publishedOn: '2026-01-15',
      bands,
      entries: ids.map((id, k) => {
        const score = 84 + ((k * 37) % 140) / 10;
        return {
          subject: { kind: 'unit', id },
          band: score >= 95 ? bands[0] : score >= 86 ? bands[1] : bands[2],
          score: Math.round(score * 10) / 10,
          satisfaction: Math.round((86 + ((k * 53) % 110) / 10) * 10) / 10,
        };
      }),
      note: '综合得分满分100分，由指标体系考核（70%）、民主测评（20%）和满意度评议（10%）加权计算。',
    }),
  );
  // No instruments and no tally snapshots: the site's pages do not depend on them.
  mkdirSync(join(content, 'instruments'), { recursive: true });
  mkdirSync(join(content, 'snapshots'), { recursive: true });
  return ids;
}

/** A copy of the project to build in: sources and config copied, node_modules linked. */
function workspace(name: string): string {
  const dir = join(tmpdir(), name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const p of ['src', 'public', 'scripts', 'astro.config.mjs', 'package.json', 'tsconfig.json']) {
    cpSync(join(ROOT, p), join(dir, p), { recursive: true });
  }
  rmSync(join(dir, 'src/generated'), { recursive: true, force: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // Astro's cache would otherwise land in the shared node_modules through the link.
  writeFileSync(
    join(dir, 'astro.bench.mjs'),
    "import config from './astro.config.mjs';\nexport default { ...config, cacheDir: './.bench-cache' };\n",
  );
  return dir;
}

function build(dir: string, out: string): { seconds: number; pagefindMs: number; pages: number } {
  const started = performance.now();
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', '--config', 'astro.bench.mjs'],
    { cwd: dir, env: { ...process.env, KAOPING_NOW: NOW, KAOPING_DIST: out }, encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`astro build failed:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  const log = r.stdout + r.stderr;
  return {
    seconds,
    pagefindMs: Number(/indexed \d+ pages in (\d+) ms/.exec(log)?.[1] ?? Number.NaN),
    pages: Number(/(\d+) page\(s\) built/.exec(log)?.[1] ?? Number.NaN),
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
};

/** Serves a built site the way a CDN does: gzip for text (Cloudflare's brotli is smaller still). */
function serve(dist: string): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = join(dist, path);
    if (path.endsWith('/')) file = join(file, 'index.html');
    if (!file.startsWith(dist) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const body = readFileSync(file);
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const zip = /text|javascript|xml|json|svg/.test(type) && /gzip/.test(String(req.headers['accept-encoding']));
    res.writeHead(200, { 'Content-Type': type, ...(zip ? { 'Content-Encoding': 'gzip' } : {}) });
    res.end(zip ? gzipSync(body, { level: 6 }) : body);
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      ok({ server, base: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` });
    }),
  );
}

/** Bytes on the wire (headers included) for everything a page loads, from Chromium's network log. */
async function transferred(base: string, paths: string[]) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const out: { path: string; requests: number; bytes: number; html: number }[] = [];
  for (const path of paths) {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    let bytes = 0;
    let requests = 0;
    cdp.on('Network.loadingFinished', (e) => {
      bytes += e.encodedDataLength;
      requests++;
    });
    const res = await page.goto(base + path, { waitUntil: 'networkidle' });
    const html = Number((await res?.request().sizes())?.responseBodySize ?? 0);
    out.push({ path, requests, bytes, html });
    await page.close();
  }
  await browser.close();
  return out;
}

async function lighthouseScores(base: string, paths: string[]) {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', ...CHROMIUM_ARGS],
  });
  const out: { path: string; performance: number; accessibility: number; lcpMs: number; tbtMs: number }[] = [];
  try {
    for (const path of paths) {
      // Default config = mobile profile (Moto G Power emulation, simulated slow 4G, 4x CPU slowdown).
      const r = await lighthouse(base + path, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility'],
      });
      const lhr = r?.lhr;
      if (!lhr) throw new Error(`lighthouse gave no result for ${path}`);
      if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      out.push({
        path,
        performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
        accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
        lcpMs: Math.round(lhr.audits['largest-contentful-paint']?.numericValue ?? Number.NaN),
        tbtMs: Math.round(lhr.audits['total-blocking-time']?.numericValue ?? Number.NaN),
      });
    }
  } finally {
    chrome.kill();
  }
  return out;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** The issue's targets. */
const TARGET = { buildSeconds: 60, homeBytes: 50 * 1024, performance: 95, accessibility: 100 };

export async function benchSite(): Promise<boolean> {
  const dir = workspace('kaoping-site-bench');
  console.log(`generating a synthetic county of ${UNITS} units in ${dir}`);
  const ids = generate(dir, UNITS);
  const out = join(dir, 'dist');
  console.log('building (astro build + Pagefind index)…');
  const b = build(dir, out);
  console.log(
    `built ${b.pages} pages in ${b.seconds.toFixed(1)} s (of which Pagefind ${(b.pagefindMs / 1000).toFixed(1)} s)`,
  );

  const big = await serve(out);
  const sizes = await transferred(big.base, ['/', `/units/${ids[0]}/`, '/results/county-2025/']);
  big.server.close();
  console.log('\ntransferred (gzip, all requests incl. headers):');
  for (const s of sizes) {
    console.log(`  ${s.path.padEnd(24)} ${kb(s.bytes).padStart(9)} in ${s.requests} request(s); HTML ${kb(s.html)}`);
  }
  if (!arg('keep')) rmSync(dir, { recursive: true, force: true });

  let scores: Awaited<ReturnType<typeof lighthouseScores>> = [];
  if (!arg('no-lighthouse')) {
    // Lighthouse on the demo site (the pages the issue names), built the ordinary way.
    // The output stays inside the workspace: Astro's prerender step resolves packages from there.
    const demoDir = workspace('kaoping-site-bench-demo');
    const demoOut = join(demoDir, 'dist');
    console.log('\nbuilding the demo site for Lighthouse…');
    build(demoDir, demoOut);
    const demo = await serve(demoOut);
    scores = await lighthouseScores(demo.base, [
      '/',
      '/appraisals/county-2026/',
      '/units/czj/',
      '/results/county-2025/',
    ]);
    demo.server.close();
    if (!arg('keep')) rmSync(demoDir, { recursive: true, force: true });
    console.log('\nLighthouse (mobile profile):');
    for (const s of scores) {
      console.log(
        `  ${s.path.padEnd(26)} performance ${s.performance}  accessibility ${s.accessibility}  LCP ${s.lcpMs} ms  TBT ${s.tbtMs} ms`,
      );
    }
  }

  const home = sizes[0]!;
  const misses = [
    ...(b.seconds > TARGET.buildSeconds ? [`build ${b.seconds.toFixed(1)} s > ${TARGET.buildSeconds} s`] : []),
    ...(home.bytes > TARGET.homeBytes ? [`home ${kb(home.bytes)} > ${kb(TARGET.homeBytes)}`] : []),
    ...scores.flatMap((s) => [
      ...(s.performance < TARGET.performance ? [`${s.path} performance ${s.performance}`] : []),
      ...(s.accessibility < TARGET.accessibility ? [`${s.path} accessibility ${s.accessibility}`] : []),
    ]),
  ];
  const md = [
    '## Static site at county scale',
    '',
    `${machine()}; \`npx tsx bench/site-build.ts\`. A synthetic county of ${UNITS} units (each with a work summary and`,
    "its head's annual report, 2 officials, 25 teams, last year's results for every unit) built with the real pages in a",
    'copy of the project, pinned to 2026-12-02 (all summaries public, so the home page lists them). Transferred bytes: everything Chromium loads for the page (HTML, CSS,',
    'favicon; headers included) from a local server that gzips like a CDN (Cloudflare serves brotli, which is smaller).',
    '',
    '| measure | figure | target |',
    '| --- | --- | --- |',
    `| build, ${b.pages} pages (astro build incl. Pagefind index) | ${b.seconds.toFixed(1)} s (Pagefind ${(b.pagefindMs / 1000).toFixed(1)} s) | < ${TARGET.buildSeconds} s |`,
    ...sizes.map(
      (s) =>
        `| transferred: ${s.path} | ${kb(s.bytes)} in ${s.requests} requests (HTML ${kb(s.html)}) | ${s === home ? `< ${kb(TARGET.homeBytes)}` : '—'} |`,
    ),
    '',
    ...(scores.length > 0
      ? [
          'Lighthouse 12 (npm `lighthouse`, default mobile profile: emulated mid-range phone, simulated slow 4G, 4x CPU',
          'slowdown) driving Debian Chromium, on the demo site served the same way. Targets: performance >= 95, accessibility 100.',
          '',
          '| page | performance | accessibility | LCP | TBT |',
          '| --- | --- | --- | --- | --- |',
          ...scores.map((s) => `| ${s.path} | ${s.performance} | ${s.accessibility} | ${s.lcpMs} ms | ${s.tbtMs} ms |`),
          '',
        ]
      : ['Lighthouse was skipped in this run (`--no-lighthouse`).', '']),
    misses.length === 0 ? 'All targets met.' : `Missed: ${misses.join('; ')}.`,
  ].join('\n');
  writeSection('site', md);
  console.log(misses.length === 0 ? '\nall site targets met' : `\nmissed: ${misses.join('; ')}`);
  return misses.length === 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = (await benchSite()) ? 0 : 1;
}
