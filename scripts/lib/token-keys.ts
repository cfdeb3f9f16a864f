// The blind-signing keys of an appraisal's code instruments, one per
// instrument and rater category: created where missing (an existing key is
// never replaced: tokens already issued under it must stay spendable), and
// listed without their sealed private part. Used by `npm run token-keys` and
// by the demo seeder, both through drizzle on a wrangler platform proxy.
import { drizzle } from 'drizzle-orm/d1';
import type { RuntimeCatalog } from '../../src/domain/catalog';
import { dayInChina } from '../../src/domain/schemas/common';
import { createTokenKey } from '../../src/server/auth/token-keys';
import * as schema from '../../src/server/db/schema';
import { insertTokenKeys, listTokenKeys } from '../../src/server/db/tokens';

export interface KeySlot {
  instrument: string;
  raterCategory: string;
}

/** Every (instrument, category) of the appraisal's code instruments that needs a key. */
export function keySlots(catalog: RuntimeCatalog, appraisal?: string): KeySlot[] {
  return catalog.instruments
    .filter((i) => i.access === 'code' && (appraisal === undefined || i.appraisal === appraisal))
    .flatMap((i) => i.raterCategories.map((raterCategory) => ({ instrument: i.id, raterCategory })));
}

/**
 * Create and store the missing keys; returns the slots that got a new key.
 * Key generation takes a fraction of a second per 2048-bit key, so `onKey`
 * reports progress for appraisals with many instruments.
 */
export async function ensureTokenKeys(
  d1: D1Database,
  secret: string,
  slots: KeySlot[],
  onKey: (done: number, total: number) => void = () => {},
  now = new Date(),
): Promise<KeySlot[]> {
  const db = drizzle(d1, { schema });
  const have = new Set(
    (await listTokenKeys(db, [...new Set(slots.map((s) => s.instrument))])).map(
      (k) => `${k.instrument}\n${k.raterCategory}`,
    ),
  );
  const missing = slots.filter((s) => !have.has(`${s.instrument}\n${s.raterCategory}`));
  const rows = [];
  for (const [i, s] of missing.entries()) {
    rows.push({ ...(await createTokenKey(secret, s.instrument, s.raterCategory)), createdOn: dayInChina(now) });
    onKey(i + 1, missing.length);
  }
  const stored: KeySlot[] = [];
  // D1 caps bound parameters per statement (100): six columns, a few rows at a time.
  for (let i = 0; i < rows.length; i += 10) stored.push(...(await insertTokenKeys(db, rows.slice(i, i + 10))));
  return stored;
}

export function listKeys(d1: D1Database, instruments?: string[]) {
  return listTokenKeys(drizzle(d1, { schema }), instruments);
}
