import { z } from 'zod';
import { id } from './common';
import { feedInstrument } from './feed';
import { receipt } from './participation';

/**
 * The public record of an appraisal's final opinion tallies (结果公示), taken
 * from D1 by `npm run results:snapshot` once instruments close, committed to
 * src/content/snapshots/, and rendered by the results pages and open data.
 */
export const snapshot = z.object({
  appraisal: id,
  /** When the snapshot was taken (ISO instant). */
  takenAt: z.string(),
  /** SHA-256 of the tally set, identical to the feed's digest of the same instruments. */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  instruments: z.array(feedInstrument.extend({ receipts: z.array(receipt) })),
});
export type Snapshot = z.infer<typeof snapshot>;
