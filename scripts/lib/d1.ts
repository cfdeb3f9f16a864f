// The D1 database of the CLIs, benches and tests, through wrangler's
// getPlatformProxy(): a real D1 binding in Node, wrapped in drizzle, so a
// script runs the very query modules of src/server/db/ that the API runs.
// Local by default (the state `wrangler pages dev` uses, or the `persistTo`
// of the target); with `remote` the production database, through wrangler's
// remote bindings (needs `wrangler login` or CLOUDFLARE_API_TOKEN).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from '../../src/server/db/schema';
import type { Bindings, Database } from '../../src/server/env';
import type { Target } from './wrangler';

const ROOT = resolve(import.meta.dirname, '../..');
const CONFIG = join(ROOT, 'wrangler.toml');

/**
 * A copy of wrangler.toml whose D1 binding says `remote = true`: the one way
 * to point getPlatformProxy's binding at the deployed database. It lives in
 * .wrangler/ (one per process), so the paths in it are rewritten to stay
 * relative to the project root.
 */
function remoteConfig(): string {
  const toml = readFileSync(CONFIG, 'utf8');
  const patched = toml.replace(/^binding = "DB"$/m, 'binding = "DB"\nremote = true');
  if (patched === toml) throw new Error('wrangler.toml 中找不到 binding = "DB"');
  const dir = join(ROOT, '.wrangler');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `d1-remote-${process.pid}.toml`);
  writeFileSync(
    path,
    patched
      .replace('pages_build_output_dir = "./dist"', 'pages_build_output_dir = "../dist"')
      .replace('migrations_dir = "migrations"', 'migrations_dir = "../migrations"'),
  );
  return path;
}

/** Wrangler's own lines ("Using secrets defined in .dev.vars") would mix with the tool's output: warnings and errors only. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const level = process.env.WRANGLER_LOG;
  process.env.WRANGLER_LOG = level ?? 'warn';
  try {
    return await fn();
  } finally {
    if (level === undefined) delete process.env.WRANGLER_LOG;
  }
}

/**
 * Open the target's D1, run `fn` with it (as drizzle, beside the bindings and
 * `.dev.vars` secrets the API would see), and close it again whatever
 * happens: the proxy is a workerd process that would keep Node alive.
 */
export async function withDb<T>(target: Target, fn: (db: Database, env: Bindings) => Promise<T>): Promise<T> {
  // Loaded here, not at the top: wrangler is a 15 MB module (seconds to load), and
  // `--help` or a mistyped option should not wait for it.
  const { getPlatformProxy } = await import('wrangler');
  const configPath = target.remote ? remoteConfig() : CONFIG;
  try {
    const { env, dispose } = await quietly(() =>
      getPlatformProxy<Bindings>({
        configPath,
        // `wrangler pages dev --persist-to X` keeps its D1 under X/v3.
        persist: target.remote
          ? false
          : { path: join(resolve(target.persistTo ?? join(ROOT, '.wrangler/state')), 'v3') },
        // Local runs never reach Cloudflare, whatever the config says.
        remoteBindings: target.remote,
      }),
    );
    try {
      return await fn(drizzle(env.DB, { schema }), env);
    } finally {
      await dispose();
    }
  } finally {
    if (target.remote) rmSync(configPath, { force: true });
  }
}

/** drizzle wraps D1's error in "Failed query: <SQL> params: …": D1's own message is in the cause. */
export function d1Message(e: unknown): string {
  const err = e as Error & { cause?: Error };
  return (err.cause?.message ?? err.message ?? String(e)).trim();
}
