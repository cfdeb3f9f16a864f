// Issuing one-time codes: generate, hash with the pepper, and produce the SQL
// that stores only the hashes. The plain codes leave this module once, to the
// CSV and the printable slips.
import { generateCode, hashCode, type RandomFill } from '../../src/domain/code';
import { lit } from './wrangler';

export interface IssueOptions {
  appraisal: string;
  category: string;
  count: number;
  batch: string;
  pepper: string;
  issuedOn: string;
  /** Source of random bytes; crypto.getRandomValues unless a demo seed is wanted. */
  random?: RandomFill;
  onProgress?: (done: number, total: number) => void;
  /** Demo seeding only: skip codes already stored, so a re-run changes nothing. */
  orIgnore?: boolean;
}

/** Rows per INSERT: well under D1's 100 KB statement limit (~150 bytes a row). */
export const ROWS_PER_STATEMENT = 400;

export async function issueCodes(o: IssueOptions): Promise<{ codes: string[]; statements: string[] }> {
  const codes: string[] = [];
  const seen = new Set<string>();
  while (codes.length < o.count) {
    const c = generateCode(o.random);
    if (seen.has(c)) continue;
    seen.add(c);
    codes.push(c);
  }
  const rows: string[] = [];
  const step = Math.max(1, Math.floor(o.count / 20));
  for (let i = 0; i < codes.length; i++) {
    const h = await hashCode(o.pepper, codes[i] as string);
    rows.push(`(${lit(h)},${lit(o.appraisal)},${lit(o.category)},${lit(o.batch)},${lit(o.issuedOn)})`);
    if ((i + 1) % step === 0 || i + 1 === codes.length) o.onProgress?.(i + 1, codes.length);
  }
  const statements: string[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    statements.push(
      `INSERT${o.orIgnore ? ' OR IGNORE' : ''} INTO codes (hash, appraisal, rater_category, batch, issued_on) VALUES\n${rows.slice(i, i + ROWS_PER_STATEMENT).join(',\n')};`,
    );
  }
  return { codes, statements };
}

/** Deterministic bytes for demo codes only (the same demo state on every `npm start`). */
export async function demoRandom(seed: string) {
  const { createHash } = await import('node:crypto');
  let n = 0;
  return (a: Uint8Array<ArrayBuffer>) => {
    const h = createHash('sha256').update(`${seed}:${n++}`).digest();
    a.set(h.subarray(0, a.length));
    return a;
  };
}
