// Runs wrangler (under this Node, the project's Node 22) for D1 work, local by
// default and against the production database with --remote.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const WRANGLER = join(require.resolve('wrangler/package.json'), '..', 'bin', 'wrangler.js');

export const wranglerEnv = {
  ...process.env,
  // Offline, wrangler would try to fetch Request.cf from the internet.
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
};

export function wrangler(args: string[], opts: { quiet?: boolean; persistTo?: string } = {}) {
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

/** Execute a SQL file against D1 (statements run in order; wrangler splits them). */
export function d1ExecuteSql(sql: string, target: Target) {
  const dir = mkdtempSync(join(tmpdir(), 'kaoping-sql-'));
  const file = join(dir, 'batch.sql');
  writeFileSync(file, sql);
  try {
    wrangler(['d1', 'execute', 'DB', ...where(target), '--file', file, '--yes'], {
      quiet: true,
      persistTo: target.persistTo,
    });
  } finally {
    // The SQL may be 15 MB of code hashes (npm run codes): no copy left lying in the temp dir.
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Run one read query and return its rows. */
export function d1Query<T = Record<string, unknown>>(sql: string, target: Target): T[] {
  const out = wrangler(['d1', 'execute', 'DB', ...where(target), '--command', sql, '--json'], {
    quiet: true,
    persistTo: target.persistTo,
  });
  const parsed = JSON.parse(out.slice(out.indexOf('['))) as { results: T[] }[];
  return parsed.flatMap((r) => r.results);
}

export function d1Migrate(target: Target) {
  wrangler(['d1', 'migrations', 'apply', 'DB', ...where(target)], { quiet: true, persistTo: target.persistTo });
}

/** A SQL string literal. Values we write are ids, hashes and dates; quoting keeps any text safe anyway. */
export const lit = (v: string | number | null) =>
  v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;
