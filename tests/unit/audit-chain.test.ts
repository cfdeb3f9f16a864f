// The audit log's hash chain (src/domain/audit-chain.ts): what an entry's hash
// covers, and what the check finds in a log.
import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS, auditEntryHash, type StoredEntry, verifyAuditChain } from '../../src/domain/audit-chain';

const fields = {
  at: '2026-11-23T02:00:00.000Z',
  observer: 'o1',
  action: 'post.approve',
  targetKind: 'post',
  targetId: 'p1',
  before: '{"status":"pending"}',
  after: '{"status":"visible"}',
  requestId: 'r1',
};

async function chain(n: number, legacy = 0): Promise<StoredEntry[]> {
  const rows: StoredEntry[] = [];
  for (let i = 1; i <= legacy; i++) rows.push({ ...fields, id: i, prevHash: null, hash: null });
  let prev = AUDIT_GENESIS;
  for (let i = legacy + 1; i <= legacy + n; i++) {
    const row = { ...fields, id: i, targetId: `p${i}`, prevHash: prev };
    const hash = await auditEntryHash(row);
    rows.push({ ...row, hash });
    prev = hash;
  }
  return rows;
}

describe('the audit hash chain', () => {
  it('hashes every field and the link: changing any one changes the hash', async () => {
    const base = { ...fields, id: 7, prevHash: AUDIT_GENESIS };
    const hash = await auditEntryHash(base);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    for (const [k, v] of Object.entries({ ...fields, id: 8, prevHash: 'a'.repeat(64) })) {
      const changed = { ...base, [k]: k === 'id' ? v : `${v}x` };
      expect([k, await auditEntryHash(changed)]).not.toEqual([k, hash]);
    }
    // null and the text "null" are different entries.
    expect(await auditEntryHash({ ...base, before: null })).not.toBe(await auditEntryHash({ ...base, before: 'null' }));
  });

  it('passes a straight chain, and names its head', async () => {
    const rows = await chain(5, 2);
    const r = await verifyAuditChain(rows);
    expect(r).toEqual({ entries: 7, unchained: 2, head: { id: 7, at: fields.at, hash: rows[6]?.hash }, problems: [] });
    expect(await verifyAuditChain([])).toEqual({ entries: 0, unchained: 0, head: null, problems: [] });
  });

  it('names an edited entry, a removed one, one moved, and an entry without a hash inside the chain', async () => {
    const rows = await chain(6);
    const edited = rows.map((r) => (r.id === 3 ? { ...r, after: '{"status":"hidden"}' } : r));
    expect((await verifyAuditChain(edited)).problems.map((p) => p.id)).toEqual([3]);
    const removed = rows.filter((r) => r.id !== 4);
    expect((await verifyAuditChain(removed)).problems.map((p) => p.id)).toEqual([5, 5]);
    const swapped = [rows[0], rows[2], rows[1], ...rows.slice(3)] as StoredEntry[];
    expect((await verifyAuditChain(swapped)).problems.length).toBeGreaterThan(0);
    const unhashed = rows.map((r) => (r.id === 5 ? { ...r, hash: null } : r));
    expect((await verifyAuditChain(unhashed)).problems[0]).toEqual({
      id: 5,
      problem: expect.stringContaining('未入链'),
    });
  });
});
