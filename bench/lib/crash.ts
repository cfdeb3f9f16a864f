// Crash test: load `wrangler pages dev` with participations the way the
// island makes them (blind a token, issue it with a code, finalize it, spend
// it with the answers; distinct codes), SIGKILL its whole process group
// (wrangler and workerd) in the middle of the load, restart it on the same
// local D1, and check that
// - every response acknowledged with a 201 before the kill is stored;
// - the counters still equal a recount (tally:verify);
// - nothing is half-written: one spent token per stored response, turnout
//   equal to the responses, no more spent tokens than redemptions;
// - each request the kill cut off is either wholly stored or not at all, and
//   can be retried: an issuance again with the same blinded message answers
//   200 (redeemed before the kill, the same signature) or 201 (not), never
//   409; a spend again answers 409 (stored) or 201 (not);
// - after the retries every redeemed code has exactly one spent token and
//   one response, and nothing acknowledged is accepted a second time.
// Used by tests/node/crash.test.ts (small) and bench/reliability.ts (large).

import { withDb } from '../../scripts/lib/d1';
import { demoAnswers } from '../../scripts/lib/demo-responses';
import type { DevServer } from '../../scripts/lib/dev-server';
import { verifyTallies } from '../../scripts/tally-verify';
import type { SpendToken } from '../../src/domain/schemas/token';
import { type BlindState, blindToken, finalizeToken } from '../../src/lib/participate/token';
import { readStored } from '../../src/server/db/admin/tallies';
import { DUMMY_TOKEN } from '../../src/server/guards/turnstile';
import { addresses, demoInstrument, freshState, issueInto, keyInto, startStand } from './stand';
import { randomBlinded } from './tokens';

const CATEGORY = 'npc_deputy';

export interface CrashOptions {
  port: number;
  dist: string;
  state: string;
  instrument: string;
  /** Codes issued; the load stops when they run out. */
  codes: number;
  /** Participants at work at once (each sends its issuance, then its spend). */
  concurrency: number;
  /** Kill-and-restart cycles. */
  cycles: number;
  /** Kill once this many spends of the cycle were acknowledged (or after maxLoadMs). */
  killAfterAcks: number;
  maxLoadMs?: number;
  /** Run tally:verify again after the restart and the retries (a few seconds of wrangler calls). */
  verifyAfterRestart?: boolean;
  log?: (line: string) => void;
}

export interface CrashCycle {
  /** Issuances acknowledged (201). */
  issued: number;
  /** Spends acknowledged (201). */
  acked: number;
  /** Issuances / spends whose answer the kill cut off: outcome unknown to the client. */
  cutOffIssue: number;
  cutOffSpend: number;
  /** Other statuses, as "tokens 409", "responses 500", … */
  refused: Record<string, number>;
  loadMs: number;
  ackedPerSecond: number;
}

export interface CrashReport {
  cycles: CrashCycle[];
  /** Before the restart: acknowledged issuances and spends, and what the kill cut off. */
  issued: number;
  acked: number;
  cutOffIssue: number;
  cutOffSpend: number;
  /** Issued (201) whose spend was never sent: the kill came first. */
  unspent: number;
  /** The database as the crash left it. */
  stored: number;
  spent: number;
  redemptions: number;
  turnout: number;
  ackedMissing: number;
  verifiedAfterCrash: boolean;
  /** Cut-off issuances sent again with the same blinded message: 200 (redeemed before the kill) / 201 (not) / other. */
  reissuedSame: number;
  reissuedNew: number;
  reissueOther: number;
  /** Cut-off spends sent again with the same token: 409 (stored whole before the kill) / 201 (nothing stored) / other. */
  cutOffStored: number;
  cutOffNotStored: number;
  cutOffOther: number;
  /** Spends of tokens that had never been spent (re-issued or never sent): 201 / other. */
  lateSpent: number;
  lateRefused: number;
  /** A sample of acknowledged participants, tried again. */
  ackedResubmitted: number;
  /** …their token spent again: not 409 (must be 0). */
  ackedAcceptedAgain: number;
  /** …their issuance again, same blinded message: 200 with the same signature. */
  ackedReissuedSame: number;
  /** …another blinded message with their code: 409 (one token per code). */
  ackedSecondTokenRefused: number;
  /** The database after the retries (server down): every redemption spent once, one response each. */
  final: { redemptions: number; spent: number; stored: number; turnout: number };
  restartMs: number;
  verifiedAfterRestart: boolean | null;
  problems: string[];
}

interface Participant {
  i: number;
  code: string;
  state?: BlindState;
  blindSig?: string;
  token?: SpendToken;
  receipt?: string;
}

export async function crashRun(o: CrashOptions): Promise<CrashReport> {
  const log = o.log ?? console.log;
  const inst = demoInstrument(o.instrument);
  freshState(o.state);
  log(`crash: issuing ${o.codes} codes and a token key for ${inst.id} …`);
  const codes = await issueInto(o.state, inst, o.codes, CATEGORY);
  const key = await keyInto(o.state, inst, CATEGORY);
  const people: Participant[] = codes.map((code, i) => ({ i, code }));
  // Blinding costs ~25 ms of client CPU each (blindrsa-ts in Node): done for a cycle's worth while the server is down,
  // so the load generator does not starve the server it loads; anyone left over is blinded when their turn comes.
  const blind = async (p: Participant) => {
    p.state ??= await blindToken(inst.id, CATEGORY, key.spki);
    return p.state;
  };
  const from = addresses(10);
  const post = (base: string, path: string, body: unknown) =>
    fetch(`${base}/api/v1/instruments/${inst.id}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': from() },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  const issue = async (base: string, p: Participant, blindedMsg?: string) =>
    post(base, 'tokens', {
      code: p.code,
      turnstileToken: DUMMY_TOKEN,
      blindedMsg: blindedMsg ?? (await blind(p)).blindedMsg,
    });
  const spend = (base: string, p: Participant, seed: number) =>
    post(base, 'responses', { token: p.token, answers: demoAnswers(inst, `crash/${seed}`) });

  const issuedAcked: Participant[] = [];
  const acked: Participant[] = [];
  const cutOffIssue: Participant[] = [];
  const cutOffSpend: Participant[] = [];
  const unspent: Participant[] = [];
  const cycles: CrashCycle[] = [];
  let next = 0;
  for (let cycle = 0; cycle < o.cycles && next < people.length; cycle++) {
    for (const p of people.slice(next, next + o.killAfterAcks + 2 * o.concurrency)) await blind(p);
    const server = await startStand({ port: o.port, dist: o.dist, state: o.state });
    const started = performance.now();
    const before = {
      issued: issuedAcked.length,
      acked: acked.length,
      issue: cutOffIssue.length,
      spend: cutOffSpend.length,
    };
    const refused: Record<string, number> = {};
    const refuse = (what: string) => {
      refused[what] = (refused[what] ?? 0) + 1;
    };
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
      while (!killed && next < people.length) {
        const p = people[next++] as Participant;
        let r: Response;
        try {
          r = await issue(server.base, p);
          const text = await r.text();
          if (r.status !== 201) {
            refuse(`tokens ${r.status}`);
            continue;
          }
          p.blindSig = (JSON.parse(text) as { blindSig: string }).blindSig;
        } catch {
          // Cut off by the kill: the client cannot know whether the code was redeemed.
          cutOffIssue.push(p);
          continue;
        }
        issuedAcked.push(p);
        p.token = await finalizeToken(p.state as BlindState, p.blindSig);
        if (killed) {
          unspent.push(p);
          continue;
        }
        try {
          r = await spend(server.base, p, p.i);
          const text = await r.text();
          if (r.status !== 201) {
            refuse(`responses ${r.status}`);
            continue;
          }
          p.receipt = (JSON.parse(text) as { receipt: string }).receipt;
        } catch {
          // Cut off by the kill: the client cannot know whether the response was stored.
          cutOffSpend.push(p);
          continue;
        }
        acked.push(p);
        if (acked.length - before.acked >= o.killAfterAcks) kill();
      }
    };
    await Promise.all(Array.from({ length: o.concurrency }, worker));
    kill();
    clearTimeout(deadline);
    await exited;
    const loadMs = Math.round(performance.now() - started);
    const cycleAcked = acked.length - before.acked;
    cycles.push({
      issued: issuedAcked.length - before.issued,
      acked: cycleAcked,
      cutOffIssue: cutOffIssue.length - before.issue,
      cutOffSpend: cutOffSpend.length - before.spend,
      refused,
      loadMs,
      ackedPerSecond: Math.round((cycleAcked / loadMs) * 1000),
    });
    const c = cycles.at(-1) as CrashCycle;
    log(
      `crash: cycle ${cycle + 1}: ${c.issued} issued, ${c.acked} spent; cut off by SIGKILL after ${loadMs} ms: ${c.cutOffIssue} issuances, ${c.cutOffSpend} spends`,
    );
  }

  // The database as the crash left it.
  const target = { remote: false, persistTo: o.state };
  const problems: string[] = [];
  const counts = async () => {
    const { receipts, redemptions, spent, turnout } = await withDb(target, (db) => readStored(db, inst.id));
    return { receipts, stored: receipts.size, redemptions, spent, turnout };
  };
  const after = await counts();
  const { stored, redemptions, spent, turnout } = after;
  const ackedMissing = acked.filter((a) => !after.receipts.has(a.receipt as string)).length;
  const verifiedAfterCrash = (await verifyTallies(target, inst.id)).ok;
  if (ackedMissing > 0) problems.push(`${ackedMissing} acknowledged responses missing`);
  if (spent !== stored) problems.push(`${spent} spent tokens but ${stored} responses`);
  if (turnout !== stored) problems.push(`turnout ${turnout} but ${stored} responses`);
  if (spent > redemptions) problems.push(`${spent} spent tokens but only ${redemptions} redemptions`);
  if (stored < acked.length || stored > acked.length + cutOffSpend.length)
    problems.push(`${stored} stored, outside [${acked.length}, ${acked.length + cutOffSpend.length}]`);
  if (redemptions < issuedAcked.length || redemptions > issuedAcked.length + cutOffIssue.length)
    problems.push(
      `${redemptions} redemptions, outside [${issuedAcked.length}, ${issuedAcked.length + cutOffIssue.length}]`,
    );
  if (!verifiedAfterCrash) problems.push('tally:verify failed after the crash');

  // Restart on the same state; retry what was cut off, spend what was never spent, and try the acknowledged again.
  const restartStarted = performance.now();
  const server = await startStand({ port: o.port, dist: o.dist, state: o.state });
  const restartMs = Math.round(performance.now() - restartStarted);
  let reissuedSame = 0;
  let reissuedNew = 0;
  let reissueOther = 0;
  let cutOffStored = 0;
  let cutOffNotStored = 0;
  let cutOffOther = 0;
  let lateSpent = 0;
  let lateRefused = 0;
  let ackedAcceptedAgain = 0;
  let ackedReissuedSame = 0;
  let ackedSecondTokenRefused = 0;
  const sample = acked.slice(0, 50);
  const late: Participant[] = [...unspent];
  try {
    for (const p of cutOffIssue) {
      const r = await issue(server.base, p);
      const text = await r.text();
      if (r.status === 200) reissuedSame++;
      else if (r.status === 201) reissuedNew++;
      else {
        reissueOther++;
        continue;
      }
      p.token = await finalizeToken(p.state as BlindState, (JSON.parse(text) as { blindSig: string }).blindSig);
      late.push(p);
    }
    for (const [k, p] of cutOffSpend.entries()) {
      const r = await spend(server.base, p, 1_000_000 + k);
      await r.body?.cancel();
      if (r.status === 409) cutOffStored++;
      else if (r.status === 201) cutOffNotStored++;
      else cutOffOther++;
    }
    for (const [k, p] of late.entries()) {
      const r = await spend(server.base, p, 2_000_000 + k);
      await r.body?.cancel();
      if (r.status === 201) lateSpent++;
      else lateRefused++;
    }
    for (const [k, p] of sample.entries()) {
      const again = await spend(server.base, p, 3_000_000 + k);
      await again.body?.cancel();
      if (again.status !== 409) ackedAcceptedAgain++;
      const same = await issue(server.base, p);
      const sig = same.status === 200 ? ((await same.json()) as { blindSig: string }).blindSig : await same.text();
      if (same.status === 200 && sig === p.blindSig) ackedReissuedSame++;
      const other = await issue(server.base, p, randomBlinded());
      await other.body?.cancel();
      if (other.status === 409) ackedSecondTokenRefused++;
    }
  } finally {
    await stopGracefully(server);
  }
  if (reissuedSame !== redemptions - issuedAcked.length)
    problems.push(
      `${reissuedSame} cut-off issuances already redeemed, but ${redemptions - issuedAcked.length} redemptions unacknowledged`,
    );
  if (reissueOther > 0) problems.push(`${reissueOther} cut-off issuances answered neither 200 nor 201`);
  if (cutOffStored !== stored - acked.length)
    problems.push(
      `${cutOffStored} cut-off spends already stored, but ${stored - acked.length} responses stored unacknowledged`,
    );
  if (cutOffOther > 0) problems.push(`${cutOffOther} cut-off spends answered neither 409 nor 201`);
  if (lateRefused > 0) problems.push(`${lateRefused} tokens never spent were refused`);
  if (ackedAcceptedAgain > 0) problems.push(`${ackedAcceptedAgain} acknowledged tokens accepted a second time`);
  if (ackedReissuedSame !== sample.length)
    problems.push(
      `${sample.length - ackedReissuedSame} acknowledged issuances not answered 200 with the same signature`,
    );
  if (ackedSecondTokenRefused !== sample.length)
    problems.push(`${sample.length - ackedSecondTokenRefused} acknowledged codes given a second token`);
  const end = await counts();
  const final = { redemptions: end.redemptions, spent: end.spent, stored: end.stored, turnout: end.turnout };
  if (new Set(Object.values(final)).size !== 1)
    problems.push(
      `after the retries: ${final.redemptions} redemptions, ${final.spent} spent tokens, ${final.stored} responses, turnout ${final.turnout}`,
    );
  const verifiedAfterRestart = o.verifyAfterRestart === false ? null : (await verifyTallies(target, inst.id)).ok;
  if (verifiedAfterRestart === false) problems.push('tally:verify failed after the restart');
  return {
    cycles,
    issued: issuedAcked.length,
    acked: acked.length,
    cutOffIssue: cutOffIssue.length,
    cutOffSpend: cutOffSpend.length,
    unspent: unspent.length,
    stored,
    spent,
    redemptions,
    turnout,
    ackedMissing,
    verifiedAfterCrash,
    reissuedSame,
    reissuedNew,
    reissueOther,
    cutOffStored,
    cutOffNotStored,
    cutOffOther,
    lateSpent,
    lateRefused,
    ackedResubmitted: sample.length,
    ackedAcceptedAgain,
    ackedReissuedSame,
    ackedSecondTokenRefused,
    final,
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
