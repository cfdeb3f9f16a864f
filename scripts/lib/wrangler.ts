// Runs wrangler (under this Node, the project's Node 22): the dev server, and
// D1 migrations, local by default and on the production database with
// --remote. Queries go through scripts/lib/d1.ts instead.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const WRANGLER = join(require.resolve('wrangler/package.json'), '..', 'bin', 'wrangler.js');

export const wranglerEnv = {
  ...process.env,
  // Offline, wrangler would try to fetch Request.cf from the internet.
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
};

function wrangler(args: string[], opts: { quiet?: boolean; persistTo?: string } = {}) {
  const full = opts.persistTo ? [...args, '--persist-to', opts.persistTo] : args;
  const r = spawnSync(process.execPath, [WRANGLER, ...full], {
    env: wranglerEnv,
    encoding: 'utf8',
    stdio: opts.quiet ? 'pipe' : ['ignore', 'inherit', 'inherit'],
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new Error(
      `wrangler ${args.slice(0, 4).join(' ')} 失败 (exit ${r.status})\n${r.stderr ?? ''}${r.stdout ?? ''}`,
    );
  }
  return r.stdout ?? '';
}

export interface Target {
  remote: boolean;
  /** Local state directory (tests and e2e use their own). */
  persistTo?: string;
}

const where = (t: Target) => (t.remote ? ['--remote'] : ['--local']);

export function d1Migrate(target: Target) {
  wrangler(['d1', 'migrations', 'apply', 'DB', ...where(target)], { quiet: true, persistTo: target.persistTo });
}
