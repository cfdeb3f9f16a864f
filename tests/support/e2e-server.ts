// Global setup of the Node test run: build the site, migrate a fresh local D1
// of its own, load the demo data, start `wrangler pages dev` and wait for it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { DEMO_NOW } from '../../scripts/lib/demo-clock';
import { bin, waitForHealth } from '../../scripts/lib/dev-server';
import { d1Migrate, wranglerEnv } from '../../scripts/lib/wrangler';

export { waitForHealth };

import { seed } from '../../scripts/seed';

export const E2E_PORT = Number(process.env.E2E_PORT ?? 8799);
export const E2E_STATE = `.wrangler/e2e-${E2E_PORT}`;
export const E2E_TURNOUT_CACHE_SECONDS = 5;
export const E2E_DIST = process.env.KAOPING_DIST ?? 'dist';
/** The instant the e2e run pretends it is: the demo's (opinion collection of the demo appraisal is open). */
export const E2E_NOW = DEMO_NOW;

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    persistTo: string;
  }
}

let server: ChildProcess | undefined;

/** `wrangler pages dev` on the built site; `now` pins the clock of the API and of the dated pages. */
export function startServer(port = E2E_PORT, state = E2E_STATE, now = E2E_NOW): ChildProcess {
  return spawn(
    process.execPath,
    [
      bin('wrangler', 'bin/wrangler.js'),
      'pages',
      'dev',
      E2E_DIST,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--persist-to',
      state,
      '--binding',
      `KAOPING_NOW=${now}`,
      // The turnout's edge cache for 5 s instead of a minute, so the hall screen's test need not wait a minute.
      '--binding',
      `TURNOUT_CACHE_SECONDS=${E2E_TURNOUT_CACHE_SECONDS}`,
      '--log-level',
      'warn',
    ],
    { env: wranglerEnv, stdio: ['ignore', 'inherit', 'inherit'], detached: true },
  );
}

export default async function setup(project: TestProject) {
  const base = `http://127.0.0.1:${E2E_PORT}`;
  project.provide('baseUrl', base);
  project.provide('persistTo', E2E_STATE);
  if (!process.env.E2E_SKIP_BUILD) {
    // --force: Astro's content layer keeps parsed entries between builds, so a schema change (a new
    // default such as an instrument's minKnown) would not reach the files that did not change.
    const b = spawnSync(process.execPath, [bin('astro', 'bin/astro.mjs'), 'build', '--silent', '--force'], {
      stdio: 'inherit',
      env: { ...process.env, KAOPING_NOW: E2E_NOW },
    });
    if (b.status !== 0) throw new Error('astro build failed');
  }
  rmSync(E2E_STATE, { recursive: true, force: true });
  d1Migrate({ remote: false, persistTo: E2E_STATE });
  await seed({ remote: false, persistTo: E2E_STATE });
  server = startServer();
  await waitForHealth(base);
  return async () => {
    if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  };
}
