// npm run audit:verify [-- --remote] [--head HASH]: check the audit log's hash
// chain (src/domain/audit-chain.ts): every entry's link to the one before, its
// own hash, no gap in the ids. Prints the chain's head (id, time, hash) to be
// written down; with --head, checks that a head written down earlier is still
// in the chain. Exits 1 on any break, naming the entry, or on a head not found.
import { parseArgs } from 'node:util';
import { type ChainReport, verifyAuditChain } from '../src/domain/audit-chain';
import { auditChain } from '../src/server/db/audit';
import { withDb } from './lib/d1';
import type { Target } from './lib/wrangler';

export interface AuditVerifyReport extends ChainReport {
  /** With --head: the entry whose hash it is, null if none (or no --head). */
  written: { hash: string; id: number | null } | null;
  ok: boolean;
}

export async function verifyAudit(target: Target, writtenHead?: string): Promise<AuditVerifyReport> {
  const rows = await withDb(target, (db) => auditChain(db));
  const report = await verifyAuditChain(rows);
  const wanted = writtenHead?.trim().toLowerCase();
  const written = wanted ? { hash: wanted, id: rows.find((r) => r.hash === wanted)?.id ?? null } : null;
  return { ...report, written, ok: report.problems.length === 0 && (!written || written.id !== null) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { remote: { type: 'boolean', default: false }, head: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(
      '用法: npm run audit:verify [-- --remote] [--head 哈希]\n核验操作日志的哈希链 (每条记有前一条的哈希与本条内容的哈希), 打印链头哈希供抄录;\n--head 核对此前抄录的链头仍在链中。有任何断裂或抄录的哈希不在链中时以状态 1 退出。',
    );
    process.exit(0);
  }
  const r = await verifyAudit({ remote: values.remote ?? false, persistTo: process.env.KAOPING_PERSIST }, values.head);
  console.log(
    `${r.problems.length ? '✗' : '✓'} 操作日志 ${r.entries} 条${r.unchained ? `, 其中 ${r.unchained} 条早于哈希链 (不受链保护)` : ''}${r.problems.length ? `, ${r.problems.length} 处断裂:` : ', 哈希链完整'}`,
  );
  for (const p of r.problems) console.log(`    第 ${p.id} 条: ${p.problem}`);
  console.log(r.head ? `链头: 第 ${r.head.id} 条 (${r.head.at})\n      ${r.head.hash}` : '链头: 无 (日志为空)');
  if (r.written) {
    console.log(
      r.written.id === null
        ? `✗ 抄录的链头 ${r.written.hash} 不在链中: 抄录之后, 此前的日志被改动或删除过。`
        : `✓ 抄录的链头是第 ${r.written.id} 条, 仍在链中${r.problems.length ? '' : ': 它及之前的日志未被改动'}。`,
    );
  }
  console.log(r.ok ? '操作日志核验通过。' : '操作日志核验失败: 见上方。');
  process.exit(r.ok ? 0 : 1);
}
