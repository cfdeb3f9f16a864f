// Issuing one-time codes: generate, hash with the pepper, and produce the SQL
// that stores only the hashes. The plain codes leave this module once, to the
// CSV and the printable slips. Also the SQL of revoking a batch and of the
// issue/redemption statistics, which never select a hash.
import { ALPHABET, generateCode, hashCode, type RandomFill } from '../../src/domain/code';
import { lit, type Target, wrangler } from './wrangler';

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
/** Codes hashed concurrently: WebCrypto's HMAC is async, awaiting one at a time halves the throughput. */
const HASH_CHUNK = 1000;

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
  const tail = `,${lit(o.appraisal)},${lit(o.category)},${lit(o.batch)},${lit(o.issuedOn)})`;
  for (let i = 0; i < codes.length; i += HASH_CHUNK) {
    const hashes = await Promise.all(codes.slice(i, i + HASH_CHUNK).map((c) => hashCode(o.pepper, c)));
    for (const h of hashes) rows.push(`(${lit(h)}${tail}`);
    o.onProgress?.(rows.length, codes.length);
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

/** Run several statements in one wrangler start (~2 s each) and return each statement's rows. */
export function d1Each<T = Record<string, unknown>>(statements: string[], target: Target): T[][] {
  const out = wrangler(
    ['d1', 'execute', 'DB', target.remote ? '--remote' : '--local', '--command', statements.join(';\n'), '--json'],
    { quiet: true, persistTo: target.remote ? undefined : target.persistTo },
  );
  const parsed = JSON.parse(out.slice(out.indexOf('['))) as { results?: T[] }[];
  return parsed.map((r) => r.results ?? []);
}

export interface BatchCount {
  codes: number;
  revoked: number;
}

export const batchCountSql = (batch: string) =>
  `SELECT COUNT(*) AS codes, COALESCE(SUM(revoked_on IS NOT NULL), 0) AS revoked FROM codes WHERE batch = ${lit(batch)}`;

export const revokeSql = (batch: string, revokedOn: string) =>
  `UPDATE codes SET revoked_on = ${lit(revokedOn)} WHERE batch = ${lit(batch)} AND revoked_on IS NULL`;

/** Undo a failed issue: the batch id was checked to be new, so every row with it is ours. */
export const deleteBatchSql = (batch: string) => `DELETE FROM codes WHERE batch = ${lit(batch)}`;

export interface BatchRow {
  appraisal: string;
  rater_category: string;
  batch: string;
  issued_on: string;
  issued: number;
  revoked: number;
}

export interface RedemptionRow {
  instrument: string;
  rater_category: string;
  redeemed: number;
}

/**
 * Issued and revoked per appraisal × category × batch; codes used per
 * instrument × category. A redemption is stored per (code, instrument), so
 * "redeemed" only means something per instrument: one code may answer
 * several instruments and is counted once for each.
 */
export function statsSql(appraisal?: string): [string, string] {
  const where = appraisal ? `WHERE c.appraisal = ${lit(appraisal)}` : '';
  return [
    `SELECT c.appraisal, c.rater_category, c.batch, MIN(c.issued_on) AS issued_on, COUNT(*) AS issued,
       COALESCE(SUM(c.revoked_on IS NOT NULL), 0) AS revoked
     FROM codes c ${where}
     GROUP BY c.appraisal, c.rater_category, c.batch
     ORDER BY c.appraisal, c.rater_category, c.batch`,
    `SELECT r.instrument, c.rater_category, COUNT(*) AS redeemed
     FROM redemptions r JOIN codes c ON c.hash = r.code_hash ${where}
     GROUP BY r.instrument, c.rater_category
     ORDER BY r.instrument, c.rater_category`,
  ];
}
