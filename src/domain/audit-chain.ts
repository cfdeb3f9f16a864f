// The audit log as a hash chain. The database refuses to change an entry
// (triggers), but someone with direct access can drop a trigger and edit a
// row. So each entry also holds the hash of the entry before it and a hash
// of its own content and that link: changing, removing or inserting any
// entry breaks every hash after it, and a head hash written down on paper (the
// console shows it) pins everything up to it. Plain SHA-256, no secret: anyone
// with the export can check it (`npm run audit:verify`).
import { sha256Hex } from './feed';

/** The link of the first entry of the chain. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** What an entry's hash covers: every column, and the hash of the entry before. */
export interface ChainedEntry {
  id: number;
  prevHash: string;
  at: string;
  observer: string | null;
  action: string;
  targetKind: string;
  targetId: string;
  before: string | null;
  after: string | null;
  requestId: string | null;
}

/** The entry's hash: SHA-256 of its fields as one JSON array, in a fixed order, versioned. */
export const auditEntryHash = (e: ChainedEntry) =>
  sha256Hex(
    JSON.stringify([
      'kaoping-audit/v1',
      e.id,
      e.prevHash,
      e.at,
      e.observer,
      e.action,
      e.targetKind,
      e.targetId,
      e.before,
      e.after,
      e.requestId,
    ]),
  );

export interface StoredEntry extends Omit<ChainedEntry, 'prevHash'> {
  /** null: written before the chain existed (migration 0013); such entries can only come first. */
  prevHash: string | null;
  hash: string | null;
}

export interface ChainReport {
  entries: number;
  /** Entries from before the chain, unprotected by it. */
  unchained: number;
  /** The last entry's id and hash (what to write down), if any entry is chained. */
  head: { id: number; at: string; hash: string } | null;
  /** Every break, first first: the entry and what is wrong with it. */
  problems: { id: number; problem: string }[];
}

/** Check a whole log, ordered by id: links, hashes, no gaps, no unchained entry after the first chained one. */
export async function verifyAuditChain(rows: StoredEntry[]): Promise<ChainReport> {
  const report: ChainReport = { entries: rows.length, unchained: 0, head: null, problems: [] };
  let prev: StoredEntry | null = null;
  for (const row of rows) {
    const problem = (text: string) => report.problems.push({ id: row.id, problem: text });
    if (row.hash === null || row.prevHash === null) {
      if (report.head) problem('链中出现未入链的记录 (哈希为空)');
      else report.unchained++;
      prev = row;
      continue;
    }
    const expectedPrev = report.head ? report.head.hash : AUDIT_GENESIS;
    if (prev && row.id !== prev.id + 1) problem(`编号不连续: 上一条是第 ${prev.id} 条 (其间的记录被删除)`);
    if (row.prevHash !== expectedPrev) problem('所记前一条的哈希与前一条不符 (前面的记录被改动、删除或插入)');
    const hash = await auditEntryHash({ ...row, prevHash: row.prevHash });
    if (hash !== row.hash) problem('本条内容与其哈希不符 (本条被改动)');
    report.head = { id: row.id, at: row.at, hash: row.hash };
    prev = row;
  }
  return report;
}
