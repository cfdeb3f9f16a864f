// The blind-signing keys of an appraisal's code instruments, one per
// instrument and rater category: created where missing (an existing key is
// never replaced: tokens already issued under it must stay spendable), and
// listed without their sealed private part. Used by `npm run token-keys` and
// by the demo seeder, both through drizzle on a wrangler platform proxy.
import type { RuntimeCatalog } from '../../src/domain/catalog';
import { dayInChina } from '../../src/domain/schemas/common';
import { createTokenKey } from '../../src/server/auth/token-keys';
import { slices } from '../../src/server/db/admin/batch';
import { insertTokenKeys, listTokenKeys } from '../../src/server/db/tokens';
import type { Database } from '../../src/server/env';

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
  db: Database,
  secret: string,
  slots: KeySlot[],
  onKey: (done: number, total: number) => void = () => {},
  now = new Date(),
): Promise<KeySlot[]> {
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
  // Six bound parameters a key row.
  for (const s of slices(rows, 6)) stored.push(...(await insertTokenKeys(db, s)));
  return stored;
}
