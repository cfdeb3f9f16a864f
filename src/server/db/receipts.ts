// Receipts: a participant checks one (POST body, never a URL: docs/privacy.md),
// and after close anyone can read an instrument's list, sorted.
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../env';
import { responses } from './schema';

/** The receipt's instrument and day, if such a response is stored. */
export async function findReceipt(db: Database, receipt: string) {
  const [row] = await db
    .select({ instrument: responses.instrument, recordedOn: responses.recordedOn })
    .from(responses)
    .where(eq(responses.receipt, receipt));
  return row ?? null;
}

/** All receipts of an instrument, sorted (so the order says nothing about submission order). */
export async function listReceipts(db: Database, instrument: string): Promise<string[]> {
  const rows = await db
    .select({ receipt: responses.receipt })
    .from(responses)
    .where(eq(responses.instrument, instrument))
    .orderBy(asc(responses.receipt));
  return rows.map((r) => r.receipt);
}
