// A deputies' session votes within minutes: N participations, each with its
// own code, sent as fast as the connections allow, against `wrangler pages
// dev` over loopback, next to the same burst on the bare routes (a static
// page, a function that touches no database, a one-row D1 write) in the same
// run. A participation is two requests since tokens: N issuances (code →
// blind signature), then N spends (token → response; tokens minted with the
// stand's key, the same bytes blinding and finalizing would give). Reports
// the time to drain each burst, requests/s and p50/p99; afterwards every
// counter must verify and every receipt of a 201 must be stored.
// Run: npx tsx bench/burst.ts   (npm run bench, npm run reliability)
import autocannon from 'autocannon';
import { withDb } from '../scripts/lib/d1';
import { demoAnswers } from '../scripts/lib/demo-responses';
import { verifyTallies } from '../scripts/tally-verify';
import { readStored } from '../src/server/db/admin/tallies';
import { DUMMY_TOKEN } from '../src/server/guards/turnstile';
import { machine, writeSection } from './lib/report';
import {
  addresses,
  demoInstrument,
  ensureDist,
  freshState,
  issuedTokensInto,
  issueInto,
  keyInto,
  startStand,
} from './lib/stand';
import { randomBlinded } from './lib/tokens';

const PORT = Number(process.env.BURST_PORT ?? 8872);
const DIST = process.env.KAOPING_DIST ?? '/tmp/kaoping-bench-dist';
const STATE = '.wrangler/bench-burst';
const SIZE = Number(process.env.BURST_SIZE ?? 1000);
const CONNECTIONS = Number(process.env.BURST_CONNECTIONS ?? 100);
const INSTRUMENT = 'rating-units-2026';

export interface BurstRow {
  route: string;
  requests: number;
  drainMs: number;
  rps: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
}

export interface BurstReport {
  size: number;
  connections: number;
  rows: BurstRow[];
  receipts: number;
  missing: number;
  verified: boolean;
  markdown: string;
}

function row(route: string, [r, drainMs]: [autocannon.Result, number]): BurstRow {
  const statuses: Record<string, number> = {};
  for (const [s, v] of Object.entries(r.statusCodeStats ?? {})) statuses[s] = v.count ?? 0;
  if (r.errors) statuses.errors = r.errors;
  if (r.timeouts) statuses.timeouts = r.timeouts;
  return {
    route,
    requests: r.requests.total,
    drainMs,
    rps: Math.round((r.requests.total / drainMs) * 1000),
    p50: r.latency.p50,
    p99: r.latency.p99,
    statuses,
  };
}

export async function benchBurst(dist = DIST): Promise<BurstReport> {
  ensureDist(dist);
  freshState(STATE);
  const inst = demoInstrument(INSTRUMENT);
  console.log(`burst: issuing ${SIZE} codes, a token key and ${SIZE} tokens for ${inst.id} …`);
  const codes = await issueInto(STATE, inst, SIZE);
  const tokens = await issuedTokensInto(STATE, inst, await keyInto(STATE, inst), SIZE);
  const server = await startStand({ port: PORT, dist, state: STATE, bench: true });
  const rows: BurstRow[] = [];
  const receipts: string[] = [];
  try {
    // Time from the start to the last answer: autocannon's own result waits for its next 1-second sample tick.
    const burst = async (opts: autocannon.Options): Promise<[autocannon.Result, number]> => {
      const t0 = performance.now();
      let last = t0;
      const instance = autocannon({
        connections: CONNECTIONS,
        amount: SIZE,
        timeout: 60,
        ...opts,
      }) as unknown as NodeJS.EventEmitter & Promise<autocannon.Result>;
      instance.on('response', () => {
        last = performance.now();
      });
      const r = await instance;
      return [r, Math.max(1, Math.round(last - t0))];
    };
    // Warm-up: the first requests compile the worker.
    await burst({ url: `${server.base}/api/v1/config`, amount: 200 });
    console.log('burst: static page, function without D1, bare D1 write …');
    rows.push(row('GET / (static page)', await burst({ url: `${server.base}/` })));
    rows.push(row('GET /api/v1/config (function, no D1)', await burst({ url: `${server.base}/api/v1/config` })));
    rows.push(
      row(
        'POST /api/v1/_bench/write (bare one-row write)',
        await burst({
          url: `${server.base}/api/v1/_bench/write`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }),
      ),
    );
    const from = addresses(10);
    console.log(`burst: ${SIZE} issuances for ${inst.id} …`);
    let nextCode = 0;
    const issued = await burst({
      url: `${server.base}/api/v1/instruments/${inst.id}/tokens`,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => ({
            ...req,
            headers: { 'content-type': 'application/json', 'cf-connecting-ip': from() },
            body: JSON.stringify({
              code: codes[nextCode++ % codes.length],
              turnstileToken: DUMMY_TOKEN,
              blindedMsg: randomBlinded(),
            }),
          }),
        },
      ],
    });
    rows.push(row(`POST /api/v1/instruments/${inst.id}/tokens (issuance, own code each)`, issued));
    console.log(`burst: ${SIZE} spends to ${inst.id} …`);
    let next = 0;
    const r = await burst({
      url: `${server.base}/api/v1/instruments/${inst.id}/responses`,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const i = next++;
            return {
              ...req,
              headers: { 'content-type': 'application/json', 'cf-connecting-ip': from() },
              body: JSON.stringify({ token: tokens[i % tokens.length], answers: demoAnswers(inst, `burst/${i}`) }),
            };
          },
          onResponse: (status, body) => {
            if (status === 201) receipts.push((JSON.parse(body) as { receipt: string }).receipt);
          },
        },
      ],
    });
    rows.push(
      row(
        `POST /api/v1/instruments/${inst.id}/responses (spend, ${inst.questions.length} questions, own token each)`,
        r,
      ),
    );
  } finally {
    await server.stop();
  }
  const target = { remote: false, persistTo: STATE };
  const { receipts: stored } = await withDb(target, (db) => readStored(db));
  const missing = receipts.filter((x) => !stored.has(x)).length;
  const verified = (await verifyTallies(target)).ok;
  const bare = rows.find((x) => x.route.includes('_bench'))?.rps ?? 1;
  const fmt = (s: Record<string, number>) =>
    Object.entries(s)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
  const markdown = `## Burst: a session's worth of submissions at once

${machine()}; \`bench/burst.ts\` (autocannon): ${SIZE} requests per route, ${CONNECTIONS} connections, sent as fast as
they are answered, one route after the other against one \`wrangler pages dev --log-level warn\` (local D1) on this
2-core machine (client and server share the cores). A participation with a code is two requests: the issuances
(each its own code and a well-formed blinded message of its own) drain first, then the spends (each its own token,
minted with the stand's key, each for a code of its own redeemed beforehand); every request from its own client address. A whole session's worth takes
${(rows.filter((x) => x.route.includes('/instruments/')).reduce((t, x) => t + x.drainMs, 0) / 1000).toFixed(1)} s (both bursts).

| route | requests | time to drain | req/s | p50 / p99 | statuses | req/s vs bare write |
| --- | --- | --- | --- | --- | --- | --- |
${rows
  .map(
    (x) =>
      `| ${x.route} | ${x.requests} | ${(x.drainMs / 1000).toFixed(1)} s | ${x.rps} | ${x.p50} / ${x.p99} ms | ${fmt(x.statuses)} | ${(x.rps / bare).toFixed(2)} |`,
  )
  .join('\n')}

After the burst: \`tally:verify\` ${verified ? 'passed (every counter equals the recount)' : 'FAILED'}; ${receipts.length} receipts
returned with a 201, ${missing} of them missing from the database.`;
  return { size: SIZE, connections: CONNECTIONS, rows, receipts: receipts.length, missing, verified, markdown };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchBurst();
  writeSection('burst', r.markdown);
  console.log(r.markdown);
  if (!r.verified || r.missing > 0) process.exitCode = 1;
}
