// Submission throughput: the real submission endpoint against a bare one-row
// D1 write, measured in the same run on the same server (autocannon over
// loopback, distinct codes, distinct client addresses). Afterwards every
// counter must verify and every receipt of a 201 must be stored.
// Run: npx tsx bench/submission.ts   (or npm run bench)
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import autocannon from 'autocannon';
import { issueCodes } from '../scripts/lib/codes';
import { buildCatalog, GENERATED, runtimeCatalog } from '../scripts/lib/content';
import { demoAnswers } from '../scripts/lib/demo-responses';
import { startDevServer } from '../scripts/lib/dev-server';
import { ensureDevVars } from '../scripts/lib/dev-vars';
import { d1ExecuteSql, d1Migrate, d1Query } from '../scripts/lib/wrangler';
import { verifyTallies } from '../scripts/tally-verify';
import { DUMMY_TOKEN } from '../src/server/middleware/turnstile';
import { machine, writeSection } from './lib/report';
import { ensureDist } from './lib/stand';

const PORT = Number(process.env.BENCH_PORT ?? 8870);
const DIST = process.env.KAOPING_DIST ?? '/tmp/kaoping-bench-dist';
const STATE = '.wrangler/bench';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
/** Bare write and submissions take turns this many times, so a drift of the machine's load hits them alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const NOW = '2026-11-23T10:00:00+08:00';
const BARE = 'POST /api/v1/_bench/write (bare one-row write)';
const TARGET = 0.8;

interface Figures {
  route: string;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  other: Record<string, number>;
  /** CPU time of the server's processes (wrangler, workerd) per request, in ms; null where /proc is missing. */
  cpu: number | null;
  /** CPU time per request of the server's busiest thread (see `threadCpuMs`); null where /proc is missing. */
  thread: number | null;
}

function figures(route: string, round: number, r: autocannon.Result, okStatus: number, cpu: CpuDelta | null): Figures {
  const other: Record<string, number> = {};
  for (const [s, v] of Object.entries(r.statusCodeStats ?? {})) if (Number(s) !== okStatus) other[s] = v.count ?? 0;
  return {
    route,
    round,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: Number(r.statusCodeStats?.[`${okStatus}`]?.count ?? 0),
    other,
    cpu: cpu === null || r.requests.total === 0 ? null : cpu.total / r.requests.total,
    thread: cpu === null || r.requests.total === 0 ? null : cpu.busiest / r.requests.total,
  };
}

/** CPU time (user + system, ms) each thread of a process group has used so far (Linux /proc; null elsewhere). */
function threadCpuMs(pgid: number | undefined): Map<string, number> | null {
  if (!pgid || !existsSync('/proc/self/stat')) return null;
  // Fields after "(comm) ": state ppid pgrp … utime(14th) stime(15th); USER_HZ is 100 on Linux.
  const ms = (stat: string) => {
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pgrp: Number(f[2]), ms: (Number(f[11]) + Number(f[12])) * 10 };
  };
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (ms(readFileSync(`/proc/${pid}/stat`, 'utf8')).pgrp !== pgid) continue;
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        out.set(`${pid}/${tid}`, ms(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')).ms);
      }
    } catch {
      // the process or thread ended meanwhile
    }
  }
  return out;
}

interface CpuDelta {
  total: number;
  /** The thread that used the most CPU: locally, workerd's thread that runs both our Worker and the D1 Durable Object. */
  busiest: number;
}

function cpuDelta(before: Map<string, number> | null, after: Map<string, number> | null): CpuDelta | null {
  if (!before || !after) return null;
  let total = 0;
  let busiest = 0;
  for (const [k, v] of after) {
    const d = v - (before.get(k) ?? 0);
    total += d;
    busiest = Math.max(busiest, d);
  }
  return { total, busiest };
}

export async function benchSubmission() {
  const pepper = ensureDevVars().get('CODE_PEPPER') as string;
  ensureDist(DIST);
  rmSync(STATE, { recursive: true, force: true });
  d1Migrate({ remote: false, persistTo: STATE });
  const catalog = runtimeCatalog(buildCatalog(undefined, GENERATED));
  // One instrument of each kind: the two code instruments deputies answer, and the public ones residents do.
  const targets = ['rating-units-2026', 'ballot-groups-2026', 'questionnaire-public-2026', 'vote-service-2026'].map(
    (id) => {
      const inst = catalog.instruments.find((i) => i.id === id);
      if (!inst) throw new Error(id);
      return inst;
    },
  );
  // Enough distinct codes that no request ever reuses one.
  const perTarget = Math.ceil(SECONDS * 1200 * ROUNDS);
  const pools: string[][] = [];
  for (const inst of targets) {
    if (inst.access !== 'code') {
      pools.push([]);
      continue;
    }
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
    const pgid = server.process.pid;
    const run = async (route: string, round: number, okStatus: number, opts: autocannon.Options) => {
      const before = threadCpuMs(pgid);
      const r = (await autocannon({
        connections: CONNECTIONS,
        duration: SECONDS,
        ...opts,
      })) as unknown as autocannon.Result;
      results.push(figures(route, round, r, okStatus, cpuDelta(before, threadCpuMs(pgid))));
    };
    let addr = 0;
    // A different client address per request: deputies in a hall share none in this model.
    const from = () => `10.${(addr >> 16) & 255}.${(addr >> 8) & 255}.${addr++ & 255}`;
    const next = targets.map(() => 0);
    const bodies = targets.map((inst) =>
      Array.from({ length: 2000 }, (_, i) => JSON.stringify(demoAnswers(inst, `bench/${i}`))),
    );
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`round ${round}/${ROUNDS}: bare one-row D1 write …`);
      await run(BARE, round, 201, {
        url: `${server.base}/api/v1/_bench/write`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      for (const [t, inst] of targets.entries()) {
        const pool = pools[t] as string[];
        const answers = bodies[t] as string[];
        const what = `${inst.kind}, ${inst.access === 'code' ? 'with a code' : 'public'}, ${inst.questions.length} questions`;
        console.log(`round ${round}/${ROUNDS}: submissions to ${inst.id} (${what}) …`);
        await run(`POST /api/v1/instruments/${inst.id}/responses (${what})`, round, 201, {
          url: `${server.base}/api/v1/instruments/${inst.id}/responses`,
          requests: [
            {
              method: 'POST',
              setupRequest: (req) => {
                const i = next[t] as number;
                next[t] = i + 1;
                const code = pool.length > 0 ? `"code":"${pool[i % pool.length]}",` : '';
                return {
                  ...req,
                  headers: { 'content-type': 'application/json', 'cf-connecting-ip': from() },
                  body: `{${code}"turnstileToken":"${DUMMY_TOKEN}","answers":${answers[i % answers.length]}}`,
                };
              },
              onResponse: (status, body) => {
                if (status === 201) receipts.push((JSON.parse(body) as { receipt: string }).receipt);
              },
            },
          ],
        });
      }
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
  const bareOf = (round: number) => results.find((f) => f.route === BARE && f.round === round);
  const ratio = (f: Figures) => f.rps / (bareOf(f.round)?.rps ?? 1);
  /** The bare write's CPU on the busiest thread over this route's: the ratio were that thread the only limit. */
  const threadRatio = (f: Figures) => {
    const bare = bareOf(f.round)?.thread;
    return bare == null || f.thread === null || f.thread === 0 ? null : bare / f.thread;
  };
  const ms = (x: number | null) => (x === null ? '—' : x.toFixed(1));
  const rows = results.map(
    (f) =>
      `| ${f.round} | ${f.route} | ${f.rps} | ${f.p50} / ${f.p99} ms | ${ms(f.cpu)} | ${ms(f.thread)} | ${f.ok} | ${
        Object.entries(f.other)
          .map(([s, n]) => `${s}: ${n}`)
          .join(', ') || '—'
      } | ${ratio(f).toFixed(2)} |`,
  );
  const routes = [...new Set(results.map((f) => f.route))].filter((r) => r !== BARE);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const summary = routes.map((route) => {
    const mine = results.filter((f) => f.route === route);
    const ratios = mine.map(ratio);
    const threads = mine.map(threadRatio).filter((x): x is number => x !== null);
    const m = mean(ratios);
    return {
      route,
      mean: m,
      min: Math.min(...ratios),
      max: Math.max(...ratios),
      thread: threads.length ? mean(threads) : null,
      met: m >= TARGET,
    };
  });
  const md = `## Submission path vs a bare D1 write

${machine()}; autocannon, ${CONNECTIONS} connections, ${SECONDS} s per route, against one
\`wrangler pages dev --log-level warn\` (local D1), every submission with its own code and client address. The bare
write and the submissions take turns, ${ROUNDS} rounds; each ratio is to the bare write of its own round. Server CPU is
the CPU time of wrangler's and workerd's processes per request; busiest thread is the CPU time per request of the one
thread that used the most, workerd's thread that runs both our Worker and the local D1 Durable Object.

| round | route | req/s | p50 / p99 | server CPU ms/req | busiest thread ms/req | 2xx | other statuses | ratio to bare write |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Mean ratio over the rounds, with the lowest and highest round (target: at least ${TARGET} of the bare write route), and
the bare write's busiest-thread CPU over the route's (the ratio that thread alone allows; where it matches the req/s
ratio, that thread is the limit):
${summary
  .map(
    (x) =>
      `- ${x.route}: **${x.mean.toFixed(2)}** (${x.min.toFixed(2)}–${x.max.toFixed(2)}) ${x.met ? '(met)' : '(missed)'}; busiest thread ${
        x.thread === null ? '—' : x.thread.toFixed(2)
      }`,
  )
  .join('\n')}

After the run: \`tally:verify\` ${verify.ok ? 'passed (every counter equals the recount)' : 'FAILED'}; ${receipts.length} receipts
returned with a 201, ${missing.length} of them missing from the database.`;
  writeSection('submission', md);
  console.log(md);
  if (!verify.ok || missing.length > 0 || summary.some((x) => !x.met)) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSubmission();
