// Starting and stopping `wrangler pages dev` for benchmarks and tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { wranglerEnv } from './wrangler';

const require = createRequire(import.meta.url);
export const bin = (pkg: string, path: string) => join(require.resolve(`${pkg}/package.json`), '..', path);

export interface DevServer {
  base: string;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startDevServer(opts: {
  port: number;
  dist: string;
  persistTo: string;
  bindings?: Record<string, string>;
}): Promise<DevServer> {
  const args = [
    bin('wrangler', 'bin/wrangler.js'),
    'pages',
    'dev',
    opts.dist,
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--persist-to',
    opts.persistTo,
    '--log-level',
    'warn',
    ...Object.entries(opts.bindings ?? {}).flatMap(([k, v]) => ['--binding', `${k}=${v}`]),
  ];
  // Its own process group, so stop() ends workerd too.
  const child = spawn(process.execPath, args, {
    env: wranglerEnv,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const base = `http://127.0.0.1:${opts.port}`;
  await waitForHealth(base);
  return {
    base,
    process: child,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || !child.pid) return resolve();
        child.once('exit', () => resolve());
        process.kill(-child.pid, signal);
      }),
  };
}

export async function waitForHealth(base: string, tries = 240) {
  for (let i = 0; i < tries; i++) {
    try {
      const r = await fetch(`${base}/api/v1/health`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${base} did not become healthy`);
}
