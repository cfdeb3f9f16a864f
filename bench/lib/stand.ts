// A test stand for the reliability runs: a built site, a fresh local D1 of
// its own (migrated, with codes issued as the CLI issues them and a token key
// whose private half the stand keeps) and a `wrangler pages dev` on it, pinned
// to an instant when the demo appraisal's instruments are open.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { issueCodes } from '../../scripts/lib/codes';
import { withDb } from '../../scripts/lib/d1';
import { bin, type DevServer, startDevServer } from '../../scripts/lib/dev-server';
import { ensureDevVars } from '../../scripts/lib/dev-vars';
import { d1Migrate } from '../../scripts/lib/wrangler';
import { buildCatalog, GENERATED, runtimeCatalog } from '../../src/build/content';
import type { Instrument } from '../../src/domain/schemas/instrument';
import { insertCodes, redeemBatch } from '../../src/server/db/admin/codes';
import { type BenchKey, keysInto, mintTokens } from './tokens';

/** Inside the demo appraisal's collection window (as in bench/submission.ts and the e2e run). */
export const STAND_NOW = '2026-11-23T10:00:00+08:00';

/** Build the site into `dist` unless it is there already. */
export function ensureDist(dist: string) {
  if (existsSync(`${dist}/index.html`)) return;
  console.log(`building the site into ${dist} …`);
  const b = spawnSync(process.execPath, [bin('astro', 'bin/astro.mjs'), 'build', '--silent'], {
    stdio: 'inherit',
    env: { ...process.env, KAOPING_DIST: dist, KAOPING_NOW: STAND_NOW },
  });
  if (b.status !== 0) throw new Error('astro build failed');
}

export function demoInstrument(id: string): Instrument {
  const inst = runtimeCatalog(buildCatalog(undefined, GENERATED)).instruments.find((i) => i.id === id);
  if (!inst) throw new Error(`no instrument ${id} in the content`);
  return inst;
}

/** A fresh, migrated local D1 in `state`. */
export function freshState(state: string) {
  rmSync(state, { recursive: true, force: true });
  d1Migrate({ remote: false, persistTo: state });
}

/** Issue `count` codes of `category` for the instrument's appraisal into the local D1 in `state`. */
export async function issueInto(state: string, inst: Instrument, count: number, category = 'npc_deputy') {
  const { codes, rows } = await issueCodes({
    appraisal: inst.appraisal,
    category,
    count,
    batch: `reliability-${inst.id}-${Date.now()}`,
    pepper: ensureDevVars().get('CODE_PEPPER') as string,
    issuedOn: '2026-11-15',
  });
  await withDb({ remote: false, persistTo: state }, (db) => insertCodes(db, rows));
  return codes;
}

/** A token key for the instrument and category in the local D1 in `state`, sealed under .dev.vars' TOKEN_KEY_SECRET. */
export async function keyInto(state: string, inst: Instrument, category = 'npc_deputy'): Promise<BenchKey> {
  const secret = ensureDevVars().get('TOKEN_KEY_SECRET') as string;
  const [key] = await keysInto({ remote: false, persistTo: state }, secret, [
    { instrument: inst.id, raterCategory: category },
  ]);
  return key as BenchKey;
}

/**
 * `count` spend tokens of `key`, each standing for a code of its own that took it: the codes are issued in a batch of
 * their own and redeemed in D1 as issuance leaves them (so spent ≤ issued holds for tally:verify), and the tokens are
 * minted with the key, without an issuance request for each.
 */
export async function issuedTokensInto(state: string, inst: Instrument, key: BenchKey, count: number) {
  const batch = `minted-${inst.id}-${Date.now()}`;
  const { rows } = await issueCodes({
    appraisal: inst.appraisal,
    category: key.raterCategory,
    count,
    batch,
    pepper: ensureDevVars().get('CODE_PEPPER') as string,
    issuedOn: '2026-11-15',
  });
  await withDb({ remote: false, persistTo: state }, async (db) => {
    await insertCodes(db, rows);
    await redeemBatch(db, batch, inst.id);
  });
  return mintTokens(key, count);
}

export function startStand(opts: { port: number; dist: string; state: string; bench?: boolean }): Promise<DevServer> {
  return startDevServer({
    port: opts.port,
    dist: opts.dist,
    persistTo: opts.state,
    bindings: { KAOPING_NOW: STAND_NOW, ...(opts.bench ? { BENCH_ROUTES: 'true' } : {}) },
  });
}

/** A different client address for every request (deputies in a hall are not one client in this model). */
export function addresses(prefix = 10) {
  let n = 0;
  return () => {
    const i = n++;
    return `${prefix}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  };
}
