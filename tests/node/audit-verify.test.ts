// `npm run audit:verify` checks the audit log's hash chain on a copy of the
// e2e run's D1 (demo seed and e2e logins wrote entries), then shows that an
// edit made with direct database access, the triggers dropped first, breaks it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { verifyAudit } from '../../scripts/audit-verify';
import { sqlRun } from '../support/d1';

describe('audit:verify', async () => {
  const copy = mkdtempSync(join(tmpdir(), 'kaoping-audit-'));
  cpSync(inject('persistTo'), copy, { recursive: true });
  const target = { remote: false, persistTo: copy };
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts', ...args], {
      encoding: 'utf8',
      env: { ...process.env, KAOPING_PERSIST: copy },
    });
    return { code: r.status, out: r.stdout };
  };
  let head = '';

  it('passes on the demo data, prints the head to write down, and finds a head written down earlier', async () => {
    const report = await verifyAudit(target);
    expect(report.problems).toEqual([]);
    expect(report.entries).toBeGreaterThan(0);
    head = report.head?.hash ?? '';
    expect(head).toMatch(/^[0-9a-f]{64}$/);
    const run = cli('--head', head);
    expect(run.code).toBe(0);
    expect(run.out).toContain('哈希链完整');
    expect(run.out).toContain(head);
    expect(run.out).toContain('仍在链中');
    expect(cli('--head', 'f'.repeat(64)).code).toBe(1);
  });

  it('names the entry someone edited with direct database access, and the written-down head no longer checks out', async () => {
    await sqlRun(
      target,
      ['DROP TRIGGER audit_log_no_update'],
      ['UPDATE audit_log SET after = \'{"rows":0}\' WHERE id = (SELECT min(id) FROM audit_log)'],
    );
    const run = cli('--head', head);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/第 \d+ 条: 本条内容与其哈希不符/);
    expect(run.out).toContain('操作日志核验失败');
  });
});
