// Issuing one-time codes: generate, and hash with the pepper the rows that
// D1 stores (src/server/db/admin/codes.ts): only the hashes. The plain codes
// leave this module once, to the CSV and the printable slips.
import { ALPHABET, generateCode, hashCode, type RandomFill } from '../../src/domain/code';
import type { CodeRows } from '../../src/server/db/admin/codes';

export interface IssueOptions {
  appraisal: string;
  category: string;
  count: number;
  batch: string;
  pepper: string;
  issuedOn: string;
  /** 定点定向: the subjects the batch may rate (sorted, comma-joined); '*' by default. */
  scope?: string;
  /** Source of random bytes; crypto.getRandomValues unless a demo seed is wanted. */
  random?: RandomFill;
  onProgress?: (done: number, total: number) => void;
}

/** Codes hashed concurrently: WebCrypto's HMAC is async, awaiting one at a time halves the throughput. */
const HASH_CHUNK = 1000;

export async function issueCodes(o: IssueOptions): Promise<{ codes: string[]; rows: CodeRows }> {
  const codes: string[] = [];
  const seen = new Set<string>();
  while (codes.length < o.count) {
    const c = generateCode(o.random);
    if (seen.has(c)) continue;
    seen.add(c);
    codes.push(c);
  }
  const hashes: string[] = [];
  for (let i = 0; i < codes.length; i += HASH_CHUNK) {
    hashes.push(...(await Promise.all(codes.slice(i, i + HASH_CHUNK).map((c) => hashCode(o.pepper, c)))));
    o.onProgress?.(hashes.length, codes.length);
  }
  // Stored in the order of the hashes, not in print order (the order of `codes`): the order rows reach D1 in
  // survives in its WAL and Time Travel, and must not give a code's place in its print run. A keyed hash is as
  // good as a shuffle for that, and it is the primary key's order, so every INSERT appends to the table's B-tree.
  hashes.sort();
  const { appraisal, category: raterCategory, batch, issuedOn } = o;
  return { codes, rows: { appraisal, raterCategory, batch, issuedOn, scope: o.scope ?? '*', hashes } };
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

/** A batch id: letters, digits, `_ . -`; safe in a file name, at most 100 characters. */
export const BATCH_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/**
 * `<appraisal>-<category>-<yyyymmdd>-<4 random chars>`: readable on a slip and
 * in `stats`, and unlikely to collide when several print runs are made on one day.
 */
export function newBatchId(appraisal: string, category: string, issuedOn: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  const suffix = [...bytes].map((b) => ALPHABET[b & 31]).join('');
  return `${appraisal}-${category.replace(/_/g, '-')}-${issuedOn.replace(/-/g, '')}-${suffix}`.toLowerCase();
}
