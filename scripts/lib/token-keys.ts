// The blind-signing keys of an appraisal's code instruments, one per
// instrument, rater category and scope (each targeted batch's subjects, 定点定向,
// besides '*' for untargeted codes): created where missing (an existing key is
// never replaced: tokens already issued under it must stay spendable), and
// listed without their sealed private part. Used by `npm run token-keys` and
// by the demo seeder, both through drizzle on a wrangler platform proxy.
import type { RuntimeCatalog } from '../../src/domain/catalog';
import { coversInstrument } from '../../src/domain/instrument';
import { dayInChina } from '../../src/domain/schemas/common';
import { ALL_SUBJECTS } from '../../src/domain/token';
import { createTokenKey } from '../../src/server/auth/token-keys';
import { slices } from '../../src/server/db/admin/batch';
import { insertTokenKeys, listTokenKeys } from '../../src/server/db/tokens';
import type { Database } from '../../src/server/env';

export interface KeySlot {
  instrument: string;
  raterCategory: string;
  scope: string;
}

const slotName = (s: KeySlot) => `${s.instrument}\n${s.raterCategory}\n${s.scope}`;

/**
 * Every (instrument, category, scope) of the appraisal's code instruments that
 * needs a key: '*' for each allowed category, and each targeted scope in use
 * (`scopes`: the distinct scopes of live codes, per category) where it covers
 * the instrument.
 */
export function keySlots(
  catalog: RuntimeCatalog,
  appraisal?: string,
  scopes: { raterCategory: string; scope: string }[] = [],
): KeySlot[] {
  return catalog.instruments
    .filter((i) => i.access === 'code' && (appraisal === undefined || i.appraisal === appraisal))
    .flatMap((i) =>
      i.raterCategories.flatMap((raterCategory) => [
        { instrument: i.id, raterCategory, scope: ALL_SUBJECTS },
        ...scopes
          .filter((s) => s.raterCategory === raterCategory && s.scope !== ALL_SUBJECTS && coversInstrument(i, s.scope))
          .map((s) => ({ instrument: i.id, raterCategory, scope: s.scope })),
      ]),
    );
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
  const have = new Set((await listTokenKeys(db, [...new Set(slots.map((s) => s.instrument))])).map(slotName));
  const missing = slots.filter((s) => !have.has(slotName(s)));
  const rows = [];
  for (const [i, s] of missing.entries()) {
    rows.push({
      ...(await createTokenKey(secret, s.instrument, s.raterCategory, s.scope)),
      createdOn: dayInChina(now),
    });
    onKey(i + 1, missing.length);
  }
  const stored: KeySlot[] = [];
  // Seven bound parameters a key row.
  for (const s of slices(rows, 7)) stored.push(...(await insertTokenKeys(db, s)));
  return stored;
}

/** The keys missing for these slots (what `token-keys list` warns about). */
export function missingSlots(slots: KeySlot[], keys: KeySlot[]): KeySlot[] {
  const have = new Set(keys.map(slotName));
  return slots.filter((s) => !have.has(slotName(s)));
}
