// Submission throughput: the real submission endpoint against a bare one-row
// D1 write, measured in the same run on the same server (autocannon over
// loopback, distinct codes, distinct client addresses). Afterwards every
// counter must verify and every receipt of a 201 must be stored.
// Run: npx tsx bench/submission.ts   (or npm run bench)
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import autocannon from 'autocannon';
import { issueCodes } from '../scripts/lib/codes';
import { buildCatalog, GENERATED, runtimeCatalog } from '../scripts/lib/content';
import { demoAnswers } from '../scripts/lib/demo-responses';
import { bin, startDevServer } from '../scripts/lib/dev-server';
import { ensureDevVars } from '../scripts/lib/dev-vars';
import { d1ExecuteSql, d1Migrate, d1Query } from '../scripts/lib/wrangler';
import { verifyTallies } from '../scripts/tally-verify';
import { DUMMY_TOKEN } from '../src/server/middleware/turnstile';
import { machine, writeSection } from './lib/report';

const PORT = Number(process.env.BENCH_PORT ?? 8870);
const DIST = process.env.KAOPING_DIST ?? '/tmp/kaoping-bench-dist';
const STATE = '.wrangler/bench';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const NOW = '2026-11-23T10:00:00+08:00';

interface Figures {
  route: string;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  other: Record<string, number>;
}

function figures(route: string, r: autocannon.Result, okStatus: number): Figures {
  const other: Record<string, number> = {};
  for (const [s, v] of Object.entries(r.statusCodeStats ?? {})) if (Number(s) !== okStatus) other[s] = v.count ?? 0;
  return {
    route,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: Number(r.statusCodeStats?.[`${okStatus}`]?.count ?? 0),
    other,
  };
}

export async function benchSubmission() {
  const pepper = ensureDevVars().get('CODE_PEPPER') as string;
  if (!existsSync(`${DIST}/index.html`)) {
    console.log(`building the site into ${DIST} …`);
    const b = spawnSync(process.execPath, [bin('astro', 'bin/astro.mjs'), 'build', '--silent'], {
      stdio: 'inherit',
      env: { ...process.env, KAOPING_DIST: DIST, KAOPING_NOW: NOW },
    });
    if (b.status !== 0) throw new Error('build failed');
  }
  rmSync(STATE, { recursive: true, force: true });
  d1Migrate({ remote: false, persistTo: STATE });
  const catalog = runtimeCatalog(buildCatalog(undefined, GENERATED));
  const targets = ['rating-units-2026', 'ballot-groups-2026'].map((id) => {
    const inst = catalog.instruments.find((i) => i.id === id);
    if (!inst) throw new Error(id);
    return inst;
  });
  // Enough distinct codes that no request ever reuses one.
  const perTarget = Math.ceil(SECONDS * 1200);
  const pools: string[][] = [];
  for (const inst of targets) {
    console.log(`issuing ${perTarget} codes for ${inst.id} …`);
    const { codes, statements } = await issueCodes({
      appraisal: inst.appraisal,
      category: 'npc_deputy',
      count: perTarget,
      batch: `bench-${inst.id}`,
      pepper,
      issuedOn: '2026-11-15',
    });
    d1ExecuteSql(statements.join('\n'), { remote: false, persistTo: STATE });
    pools.push(codes);
  }
  const server = await startDevServer({
    port: PORT,
    dist: DIST,
    persistTo: STATE,
    bindings: { BENCH_ROUTES: 'true', KAOPING_NOW: NOW },
  });
  const receipts: string[] = [];
  const results: Figures[] = [];
  try {
    const run = (opts: autocannon.Options) =>
      autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts }) as unknown as Promise<autocannon.Result>;
    let addr = 0;
    // A different client address per request: deputies in a hall share none in this model.
    const from = () => `10.${(addr >> 16) & 255}.${(addr >> 8) & 255}.${addr++ & 255}`;
    console.log('bare one-row D1 write …');
    const bare = await run({
      url: `${server.base}/api/v1/_bench/write`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    results.push(figures('POST /api/v1/_bench/write (bare one-row write)', bare, 201));
    for (const [t, inst] of targets.entries()) {
      const pool = pools[t] as string[];
      let next = 0;
      const bodies = pool.map((_, i) => JSON.stringify(demoAnswers(inst, `bench/${i}`)));
      console.log(`submissions to ${inst.id} (${inst.questions.length} questions) …`);
      const r = await run({
        url: `${server.base}/api/v1/instruments/${inst.id}/responses`,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const i = next++;
              return {
                ...req,
                headers: { 'content-type': 'application/json', 'cf-connecting-ip': from() },
                body: `{"code":"${pool[i % pool.length]}","turnstileToken":"${DUMMY_TOKEN}","answers":${bodies[i % bodies.length]}}`,
              };
            },
            onResponse: (status, body) => {
              if (status === 201) receipts.push((JSON.parse(body) as { receipt: string }).receipt);
            },
          },
        ],
      });
      results.push(
        figures(`POST /api/v1/instruments/${inst.id}/responses (${inst.questions.length} questions)`, r, 201),
      );
    }
  } finally {
    await server.stop();
  }
  const stored = new Set(
    d1Query<{ receipt: string }>('SELECT receipt FROM responses', { remote: false, persistTo: STATE }).map(
      (r) => r.receipt,
    ),
  );
  const missing = receipts.filter((r) => !stored.has(r));
  const verify = verifyTallies({ remote: false, persistTo: STATE });
  const bareRps = results[0]?.rps ?? 1;
  const rows = results.map(
    (f) =>
      `| ${f.route} | ${f.rps} | ${f.p50} / ${f.p99} ms | ${f.ok} | ${
        Object.entries(f.other)
          .map(([s, n]) => `${s}: ${n}`)
          .join(', ') || '—'
      } | ${(f.rps / bareRps).toFixed(2)} |`,
  );
  const md = `## Submission path vs a bare D1 write

${machine()}; autocannon, ${CONNECTIONS} connections, ${SECONDS} s per route, one route after the other against one
\`wrangler pages dev --log-level warn\` (local D1), every submission with its own code and client address.

| route | req/s | p50 / p99 | 2xx | other statuses | ratio to bare write |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Target: submission throughput at least 0.8 of the bare write route.
After the run: \`tally:verify\` ${verify.ok ? 'passed (every counter equals the recount)' : 'FAILED'}; ${receipts.length} receipts
returned with a 201, ${missing.length} of them missing from the database.`;
  writeSection('submission', md);
  console.log(md);
  if (!verify.ok || missing.length > 0) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSubmission();
