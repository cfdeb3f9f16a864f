// A hard crash in the middle of a load, small: its own `wrangler pages dev`
// (on the built site of this run, with a local D1 of its own) is killed with
// SIGKILL while submissions are in flight, then restarted on the same state.
// The large version (several crashes, thousands of codes) runs in
// `npm run reliability` (bench/reliability.ts), with the same code.
import { describe, expect, it } from 'vitest';
import { crashRun } from '../../bench/lib/crash';
import { E2E_DIST, E2E_PORT } from '../e2e/server';

describe('SIGKILL of the dev server under load', () => {
  it('loses no acknowledged response, half-writes nothing, and the tallies still verify', async () => {
    const report = await crashRun({
      port: E2E_PORT + 11,
      dist: E2E_DIST,
      state: `.wrangler/crash-${E2E_PORT + 11}`,
      instrument: 'rating-units-2026',
      codes: 300,
      concurrency: 16,
      cycles: 1,
      killAfterAcks: 60,
      // The after-crash check is the claim; re-verifying after the restart is left to `npm run reliability`.
      verifyAfterRestart: false,
      log: () => {},
    });
    expect(report.problems).toEqual([]);
    // The kill did land in the middle of the load.
    expect(report.acked).toBeGreaterThanOrEqual(60);
    expect(report.acked + report.cutOff).toBeLessThan(300);
    expect(report.cutOff).toBeGreaterThan(0);
    expect(report.ackedMissing).toBe(0);
    expect(report.redemptions).toBe(report.stored);
    expect(report.turnout).toBe(report.stored);
    expect(report.cutOffStored + report.cutOffNotStored).toBe(report.cutOff);
    expect(report.ackedAcceptedAgain).toBe(0);
    expect(report.verifiedAfterCrash).toBe(true);
  }, 240_000);
});
