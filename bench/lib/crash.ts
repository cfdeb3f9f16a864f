// Crash test: load `wrangler pages dev` with submissions (distinct codes),
// SIGKILL its whole process group (wrangler and workerd) in the middle of the
// load, restart it on the same local D1, and check that
// - every response acknowledged with a 201 before the kill is stored;
// - the counters still equal a recount (tally:verify);
// - nothing is half-written: as many redemptions as responses, turnout equal
//   to the responses, and each code whose request was cut off by the kill is
//   either wholly stored (a resubmission answers 409) or not at all (201).
// Used by tests/node/crash.test.ts (small) and bench/reliability.ts (large).

import { d1Each } from '../../scripts/lib/codes';
import { demoAnswers } from '../../scripts/lib/demo-responses';
import type { DevServer } from '../../scripts/lib/dev-server';
import { lit } from '../../scripts/lib/wrangler';
import { verifyTallies } from '../../scripts/tally-verify';
import { DUMMY_TOKEN } from '../../src/server/middleware/turnstile';
import { addresses, demoInstrument, freshState, issueInto, startStand } from './stand';

export interface CrashOptions {
  port: number;
  dist: string;
  state: string;
  instrument: string;
  /** Codes issued; the load stops when they run out. */
  codes: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Kill-and-restart cycles. */
  cycles: number;
  /** Kill once this many submissions of the cycle were acknowledged (or after maxLoadMs). */
  killAfterAcks: number;
  maxLoadMs?: number;
  /** Run tally:verify again after the restart and the resubmissions (a few seconds of wrangler calls). */
  verifyAfterRestart?: boolean;
  log?: (line: string) => void;
}

export interface CrashCycle {
  acked: number;
  /** Requests whose answer the kill cut off: outcome unknown to the client. */
  cutOff: number;
  refused: Record<string, number>;
  loadMs: number;
  ackedPerSecond: number;
}

export interface CrashReport {
  cycles: CrashCycle[];
  acked: number;
  cutOff: number;
  stored: number;
  redemptions: number;
  turnout: number;
  ackedMissing: number;
  verifiedAfterCrash: boolean;
  /** Cut-off codes that turned out stored (409 on resubmission) / not stored (201). */
  cutOffStored: number;
  cutOffNotStored: number;
  cutOffOther: number;
  ackedResubmitted: number;
  ackedAcceptedAgain: number;
  restartMs: number;
  verifiedAfterRestart: boolean | null;
  problems: string[];
}

export async function crashRun(o: CrashOptions): Promise<CrashReport> {
  const log = o.log ?? console.log;
  const inst = demoInstrument(o.instrument);
  freshState(o.state);
  log(`crash: issuing ${o.codes} codes for ${inst.id} …`);
  const codes = await issueInto(o.state, inst, o.codes);
  const from = addresses(10);
  const bodyOf = (code: string, i: number) =>
    JSON.stringify({ code, turnstileToken: DUMMY_TOKEN, answers: demoAnswers(inst, `crash/${i}`) });
  const post = (base: string, code: string, i: number) =>
    fetch(`${base}/api/v1/instruments/${inst.id}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': from() },
      body: bodyOf(code, i),
      signal: AbortSignal.timeout(30_000),
    });

  const acked: { code: string; receipt: string }[] = [];
  const cutOff: string[] = [];
  const cycles: CrashCycle[] = [];
  let next = 0;
  for (let cycle = 0; cycle < o.cycles && next < codes.length; cycle++) {
    const server = await startStand({ port: o.port, dist: o.dist, state: o.state });
    const started = performance.now();
    const ackedBefore = acked.length;
    const refused: Record<string, number> = {};
    let cycleCutOff = 0;
    let killed = false;
    const exited = new Promise<void>((resolve) => server.process.once('exit', () => resolve()));
    const kill = () => {
      if (killed) return;
      killed = true;
      // The whole group: wrangler and its workerd, mid-request, no chance to flush anything.
      if (server.process.pid) process.kill(-server.process.pid, 'SIGKILL');
    };
    const deadline = setTimeout(kill, o.maxLoadMs ?? 60_000);
    const worker = async () => {
      while (!killed && next < codes.length) {
        const i = next++;
        const code = codes[i] as string;
        try {
          const r = await post(server.base, code, i);
          const text = await r.text();
          if (r.status === 201) {
            acked.push({ code, receipt: (JSON.parse(text) as { receipt: string }).receipt });
            if (acked.length - ackedBefore >= o.killAfterAcks) kill();
          } else refused[r.status] = (refused[r.status] ?? 0) + 1;
        } catch {
          // Cut off by the kill: the client cannot know whether it was stored.
          cutOff.push(code);
          cycleCutOff++;
        }
      }
    };
    await Promise.all(Array.from({ length: o.concurrency }, worker));
    kill();
    clearTimeout(deadline);
    await exited;
    const loadMs = Math.round(performance.now() - started);
    const cycleAcked = acked.length - ackedBefore;
    cycles.push({
      acked: cycleAcked,
      cutOff: cycleCutOff,
      refused,
      loadMs,
      ackedPerSecond: Math.round((cycleAcked / loadMs) * 1000),
    });
    log(`crash: cycle ${cycle + 1}: ${cycleAcked} acknowledged, ${cycleCutOff} cut off by SIGKILL after ${loadMs} ms`);
  }

  // The database as the crash left it.
  const target = { remote: false, persistTo: o.state };
  const problems: string[] = [];
  // One wrangler start for both reads (each costs seconds).
  const [receiptRows, countRows] = d1Each<Record<string, unknown>>(
    [
      `SELECT receipt FROM responses WHERE instrument = ${lit(inst.id)}`,
      `SELECT (SELECT count(*) FROM redemptions WHERE instrument = ${lit(inst.id)}) AS redemptions,
              (SELECT coalesce(sum(responses), 0) FROM turnout WHERE instrument = ${lit(inst.id)}) AS turnout`,
    ],
    target,
  );
  const receipts = new Set((receiptRows ?? []).map((r) => String(r.receipt)));
  const counts = countRows?.[0];
  const stored = receipts.size;
  const redemptions = Number(counts?.redemptions ?? -1);
  const turnout = Number(counts?.turnout ?? -1);
  const ackedMissing = acked.filter((a) => !receipts.has(a.receipt)).length;
  const verifiedAfterCrash = verifyTallies(target, inst.id).ok;
  if (ackedMissing > 0) problems.push(`${ackedMissing} acknowledged responses missing`);
  if (redemptions !== stored) problems.push(`${redemptions} redemptions but ${stored} responses`);
  if (turnout !== stored) problems.push(`turnout ${turnout} but ${stored} responses`);
  if (stored < acked.length || stored > acked.length + cutOff.length)
    problems.push(`${stored} stored, outside [${acked.length}, ${acked.length + cutOff.length}]`);
  if (!verifiedAfterCrash) problems.push('tally:verify failed after the crash');

  // Restart on the same state; resubmit what was cut off, and a sample of what was acknowledged.
  const restartStarted = performance.now();
  const server = await startStand({ port: o.port, dist: o.dist, state: o.state });
  const restartMs = Math.round(performance.now() - restartStarted);
  let cutOffStored = 0;
  let cutOffNotStored = 0;
  let cutOffOther = 0;
  let ackedAcceptedAgain = 0;
  const sample = acked.slice(0, 50);
  try {
    for (const [i, code] of cutOff.entries()) {
      const r = await post(server.base, code, 1_000_000 + i);
      await r.body?.cancel();
      if (r.status === 409) cutOffStored++;
      else if (r.status === 201) cutOffNotStored++;
      else cutOffOther++;
    }
    for (const [i, a] of sample.entries()) {
      const r = await post(server.base, a.code, 2_000_000 + i);
      await r.body?.cancel();
      if (r.status !== 409) ackedAcceptedAgain++;
    }
  } finally {
    await stopGracefully(server);
  }
  if (cutOffStored !== stored - acked.length)
    problems.push(
      `${cutOffStored} cut-off codes already used, but ${stored - acked.length} responses stored unacknowledged`,
    );
  if (cutOffOther > 0) problems.push(`${cutOffOther} cut-off codes answered neither 409 nor 201`);
  if (ackedAcceptedAgain > 0) problems.push(`${ackedAcceptedAgain} acknowledged codes accepted a second time`);
  const verifiedAfterRestart = o.verifyAfterRestart === false ? null : verifyTallies(target, inst.id).ok;
  if (verifiedAfterRestart === false) problems.push('tally:verify failed after the restart');
  return {
    cycles,
    acked: acked.length,
    cutOff: cutOff.length,
    stored,
    redemptions,
    turnout,
    ackedMissing,
    verifiedAfterCrash,
    cutOffStored,
    cutOffNotStored,
    cutOffOther,
    ackedResubmitted: sample.length,
    ackedAcceptedAgain,
    restartMs,
    verifiedAfterRestart,
    problems,
  };
}

async function stopGracefully(server: DevServer) {
  await Promise.race([server.stop('SIGTERM'), new Promise((r) => setTimeout(r, 10_000))]);
  if (server.process.exitCode === null && server.process.pid) {
    try {
      process.kill(-server.process.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
