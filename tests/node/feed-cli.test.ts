// The integrator's view: the signing client against the running server with
// the demo key, and the key CLI on a copy of the D1.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { feedBody } from '../../src/domain/schemas/feed';

const tsx = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('feed client and keys', () => {
  it('fetches the demo appraisal with the signed demo key, JSON and CSV', () => {
    const r = tsx(['scripts/feed-client.ts', '--appraisal', 'county-2026', '--origin', inject('baseUrl')]);
    expect(r.stderr).toMatch(/HTTP 200 {2}digest [0-9a-f]{64}/);
    const feed = feedBody.parse(JSON.parse(r.stdout));
    const ballot = feed.instruments.find((i) => i.id === 'ballot-groups-2026');
    const party = ballot?.turnout.find((t) => t.raterCategory === 'party_deputy');
    // 18 demo responses, plus any that other e2e tests sent to the shared server before this one.
    expect(party?.codesIssued).toBe(30);
    expect(party?.responses).toBeGreaterThanOrEqual(18);
    const csv = tsx(['scripts/feed-client.ts', '--appraisal', 'county-2026', '--csv', '--origin', inject('baseUrl')]);
    expect(csv.stdout).toContain(`turnout,ballot-groups-2026,,,,,,party_deputy,${party?.responses}`);
  });

  it('adds, lists and revokes keys, never printing a secret twice (refusal of revoked keys: tests/api/feed.test.ts)', () => {
    const copy = mkdtempSync(join(tmpdir(), 'kaoping-keys-'));
    cpSync(inject('persistTo'), copy, { recursive: true });
    const env = { KAOPING_PERSIST: copy };
    const add = tsx(['scripts/feed-keys.ts', 'add', '--name', '测试系统'], env);
    expect(add.status).toBe(0);
    const id = /编号 {3}(key-[0-9a-f]{12})/.exec(add.stdout)?.[1];
    expect(id).toBeTruthy();
    expect(add.stdout).toMatch(/密钥值 [0-9a-f]{64}/);
    const list = tsx(['scripts/feed-keys.ts', 'list'], env);
    expect(list.stdout).toContain(`${id}\t测试系统`);
    expect(list.stdout).not.toMatch(/[0-9a-f]{64}/);
    const revoke = tsx(['scripts/feed-keys.ts', 'revoke', '--id', id as string], env);
    expect(revoke.stdout).toContain('已撤销');
    expect(tsx(['scripts/feed-keys.ts', 'list'], env).stdout).toMatch(
      new RegExp(`${id}\\t测试系统\\t建于 [\\d-]+\\t已于`),
    );
    const bad = tsx(['scripts/feed-keys.ts', 'add'], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--name');
  });
});
