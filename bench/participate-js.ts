// The JavaScript a participation page makes a phone download: every script
// the built HTML loads (inline ones too), each island's component and
// renderer, and everything those import, statically or on demand (an import
// the flow may reach counts). Turnstile's own script, loaded from Cloudflare,
// is left aside. Budget: 55 KB compressed per page: 40 KB for the form, as
// before tokens, and 15 KB for the RFC 9474 client (@cloudflare/blindrsa-ts
// and its sjcl big-number code, ~13 KB gzip, fetched only when a code
// instrument opens): the price of blinding in the browser, where it must
// happen for the server never to see the token it signs.
//
//   npm run build && npx tsx bench/participate-js.ts      (KAOPING_DIST=… for another build)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { machine, writeSection } from './lib/report';

const DIST = process.env.KAOPING_DIST ?? 'dist';
const BUDGET = 55 * 1024;
const PAGES = [
  '/participate/',
  '/participate/ballot-groups-2026/',
  '/participate/questionnaire-public-2026/',
  '/participate/rating-units-2026/',
  '/participate/vote-service-2026/',
  '/receipts/',
];

interface Script {
  name: string;
  raw: number;
  gzip: number;
  brotli: number;
}

const sizes = (name: string, body: Buffer): Script => ({
  name,
  raw: body.length,
  gzip: gzipSync(body, { level: 9 }).length,
  brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

const fileOf = (url: string) => join(DIST, url.split(/[?#]/)[0] as string);

/** A module's imports: `import … from "x"`, `import "x"`, `import("x")`, resolved against the module. */
function importsOf(url: string, code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'`]([^"'`]+\.js)["'`]/g)) {
    out.push(new URL(m[1] as string, `http://x${url}`).pathname);
  }
  return out;
}

/** Every script one page loads; shared chunks counted once. */
function pageScripts(page: string): Script[] {
  const html = readFileSync(join(DIST, page, 'index.html'), 'utf8');
  const scripts: Script[] = [];
  const queue: string[] = [];
  let inline = 0;
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const src = /\bsrc="([^"]+)"/.exec(m[1] as string)?.[1];
    if (src) queue.push(src);
    else if ((m[2] as string).trim()) {
      scripts.push(sizes(`(inline script ${++inline})`, Buffer.from(m[2] as string)));
      queue.push(...importsOf(page, m[2] as string));
    }
  }
  for (const m of html.matchAll(/\b(?:component-url|renderer-url|before-hydration-url)="([^"]+)"/g)) queue.push(m[1]!);
  for (const m of html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) queue.push(m[1]!);
  const seen = new Set<string>();
  while (queue.length > 0) {
    const url = queue.shift() as string;
    // Turnstile comes from Cloudflare and is not ours to count; nothing else may come from elsewhere.
    if (/^https?:/.test(url) || seen.has(url)) continue;
    seen.add(url);
    const body = readFileSync(fileOf(url));
    scripts.push(sizes(url, body));
    queue.push(...importsOf(url, body.toString('utf8')));
  }
  return scripts;
}

const kb = (n: number) => (n / 1024).toFixed(1);
const sum = (list: Script[], k: 'raw' | 'gzip' | 'brotli') => list.reduce((s, x) => s + x[k], 0);

function main() {
  if (!existsSync(join(DIST, 'participate', 'index.html'))) {
    console.error(`No build in ${DIST}/: run \`npm run build\` first (or set KAOPING_DIST).`);
    process.exit(2);
  }
  const rows = PAGES.filter((p) => existsSync(join(DIST, p, 'index.html'))).map((page) => {
    const scripts = pageScripts(page);
    return { page, scripts, raw: sum(scripts, 'raw'), gzip: sum(scripts, 'gzip'), brotli: sum(scripts, 'brotli') };
  });
  const over = rows.filter((r) => r.gzip > BUDGET);

  console.log(`JavaScript per participation page (${DIST}/, Turnstile aside), budget ${kb(BUDGET)} KB gzip`);
  console.log(
    `${'page'.padEnd(42)} ${'files'.padStart(5)} ${'raw KB'.padStart(8)} ${'gzip KB'.padStart(8)} ${'br KB'.padStart(8)}`,
  );
  for (const r of rows) {
    const mark = r.gzip > BUDGET ? '  over budget' : '';
    console.log(
      `${r.page.padEnd(42)} ${String(r.scripts.length).padStart(5)} ${kb(r.raw).padStart(8)} ${kb(r.gzip).padStart(8)} ${kb(r.brotli).padStart(8)}${mark}`,
    );
  }
  const first = rows[0];
  if (first) {
    console.log(`\nfiles of ${first.page}:`);
    for (const s of [...first.scripts].sort((a, b) => b.gzip - a.gzip)) {
      console.log(
        `  ${s.name.padEnd(48)} ${kb(s.raw).padStart(7)} raw ${kb(s.gzip).padStart(6)} gzip ${kb(s.brotli).padStart(6)} br`,
      );
    }
  }

  const table = [
    '| page | files | raw KB | gzip KB | brotli KB |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| \`${r.page}\` | ${r.scripts.length} | ${kb(r.raw)} | ${kb(r.gzip)}${r.gzip > BUDGET ? ' (over)' : ''} | ${kb(r.brotli)} |`,
    ),
  ].join('\n');
  const files = first
    ? [
        '',
        `Files of \`${first.page}\`, largest first:`,
        '',
        '| file | raw KB | gzip KB |',
        '| --- | ---: | ---: |',
        ...[...first.scripts]
          .sort((a, b) => b.gzip - a.gzip)
          .map((s) => `| \`${s.name}\` | ${kb(s.raw)} | ${kb(s.gzip)} |`),
      ].join('\n')
    : '';
  writeSection(
    'participate-js',
    `## JavaScript on the participation pages

All scripts a page loads, as built (\`bench/participate-js.ts\`): inline
scripts, each island's component and renderer, and every module they import,
statically or on demand; shared chunks once per page. Turnstile's own script
(from Cloudflare) is left aside. Budget: **${kb(BUDGET)} KB gzip per page**
(gzip level 9; brotli quality 11 for comparison): 40 KB for the form, as before
tokens, and 15 KB for the RFC 9474 client (\`@cloudflare/blindrsa-ts\` with its
sjcl big-number code, ~13 KB gzip), which blinds the token in the browser so
that the server never sees what it signs; it is imported on demand, when a code
instrument opens, but counted on every page since the flow may reach it.
${machine()}.

${table}
${files}

${over.length > 0 ? `**Over budget:** ${over.map((r) => `\`${r.page}\` (${kb(r.gzip)} KB)`).join(', ')}.` : 'Every page is within budget.'}`,
  );
  console.log(over.length > 0 ? `\n${over.length} page(s) over budget` : '\nall pages within budget');
  process.exit(over.length > 0 ? 1 : 0);
}

main();
