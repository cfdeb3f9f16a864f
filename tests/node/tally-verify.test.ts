// `npm run tally:verify` recomputes the counters from the stored responses and
// fails on any difference. Run on a copy of the e2e run's seeded D1.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { DEMO_MEETING, DEMO_PAPER } from '../../scripts/lib/meeting-demo';
import { verifyTallies } from '../../scripts/tally-verify';
import { sqlRun } from '../support/d1';

describe('tally:verify', async () => {
  const copy = mkdtempSync(join(tmpdir(), 'kaoping-verify-'));
  cpSync(inject('persistTo'), copy, { recursive: true });
  const target = { remote: false, persistTo: copy };

  it('passes on the demo data submitted through the API', async () => {
    const report = await verifyTallies(target);
    expect(report.ok).toBe(true);
    const ballot = report.instruments.find((i) => i.id === 'ballot-groups-2026');
    expect(ballot?.responses).toBeGreaterThan(0);
    expect(ballot?.counters).toBeGreaterThan(0);
  });

  it('passes with the demo meeting: online and paper recounted, every paper ballot explained by its meeting', async () => {
    const report = await verifyTallies(target, 'rating-sessions-2026');
    expect(report.ok, report.instruments[0]?.differences.join('\n')).toBe(true);
    const paper = Object.values(DEMO_PAPER).reduce((a, b) => a + b, 0);
    expect(report.instruments[0]).toMatchObject({ responses: 36, paper });
    expect(report.instruments[0]?.paperCounters).toBeGreaterThan(0);
  });

  it('names a paper counter changed behind its back', async () => {
    const copy2 = mkdtempSync(join(tmpdir(), 'kaoping-verify-paper-'));
    cpSync(inject('persistTo'), copy2, { recursive: true });
    const t2 = { remote: false, persistTo: copy2 };
    await sqlRun(t2, [
      "UPDATE paper_tallies SET count = count + 1 WHERE instrument = 'rating-sessions-2026' AND question = 'fgj' AND option = 'satisfied' AND rater_category = 'npc_deputy'",
    ]);
    const report = await verifyTallies(t2, 'rating-sessions-2026');
    expect(report.ok).toBe(false);
    expect(report.instruments[0]?.differences.join('\n')).toMatch(
      /^纸质计数 fgj \/ satisfied \/ npc_deputy: 计数器 (\d+), 按纸质选票重新统计 (\d+)$/m,
    );
    const [, have, want] = /计数器 (\d+), 按纸质选票重新统计 (\d+)/.exec(
      report.instruments[0]!.differences.join('\n'),
    )!;
    expect(Number(have)).toBe(Number(want) + 1);
  });

  it('names a meeting that counts more ballots than returned minus spoilt (the trigger dropped to tamper)', async () => {
    const copy3 = mkdtempSync(join(tmpdir(), 'kaoping-verify-meeting-'));
    cpSync(inject('persistTo'), copy3, { recursive: true });
    const t3 = { remote: false, persistTo: copy3 };
    const counted = Object.values(DEMO_PAPER).reduce((a, b) => a + b, 0);
    // The database refuses it (meetings_not_below_counted): only with the trigger gone can the counts be lowered.
    await sqlRun(
      t3,
      ['DROP TRIGGER meetings_not_below_counted'],
      [`UPDATE meetings SET returned = ${counted - 1}, spoilt = 1 WHERE id = '${DEMO_MEETING.id}'`],
    );
    const report = await verifyTallies(t3, 'rating-sessions-2026');
    expect(report.ok).toBe(false);
    expect(report.instruments[0]?.differences).toContain(
      `测评大会 ${DEMO_MEETING.id} (${DEMO_MEETING.heldOn} ${DEMO_MEETING.place}): 计入纸质选票 ${counted} 张, 多于收回 ${counted - 1} − 废票 1 = ${counted - 2} 张`,
    );
  });

  it('names a paper ballot whose meeting belongs to another instrument', async () => {
    const copy4 = mkdtempSync(join(tmpdir(), 'kaoping-verify-other-'));
    cpSync(inject('persistTo'), copy4, { recursive: true });
    const t4 = { remote: false, persistTo: copy4 };
    await sqlRun(t4, [`UPDATE meetings SET instrument = 'rating-units-2026' WHERE id = '${DEMO_MEETING.id}'`]);
    const report = await verifyTallies(t4, 'rating-sessions-2026');
    expect(report.ok).toBe(false);
    expect(report.instruments[0]?.differences.join('\n')).toContain(
      `: 所属测评大会 ${DEMO_MEETING.id} 属于测评 rating-units-2026`,
    );
  });

  it('names a counter that was changed behind its back', async () => {
    await sqlRun(target, [
      "UPDATE tallies SET count = count + 1 WHERE instrument = 'vote-service-2026' AND option = (SELECT min(option) FROM tallies WHERE instrument = 'vote-service-2026')",
    ]);
    const report = await verifyTallies(target, 'vote-service-2026');
    expect(report.ok).toBe(false);
    expect(report.instruments[0]?.differences.join('\n')).toMatch(
      /计数 choice \/ .+ \/ public: 计数器 \d+, 重新统计 \d+/,
    );
  });

  it('names a turnout counter that disagrees', async () => {
    await sqlRun(target, [
      "UPDATE turnout SET responses = responses - 1 WHERE instrument = 'rating-units-2025' AND rater_category = 'npc_deputy'",
    ]);
    const report = await verifyTallies(target, 'rating-units-2025');
    expect(report.instruments[0]?.differences).toContain('参与数 npc_deputy: 计数器 19, 重新统计 20');
  });

  it('checks every spent token: a signature moved to another token, or a token without its response, is named', async () => {
    expect((await verifyTallies(target, 'rating-sessions-2026')).instruments[0]?.tokens).toBe(36);
    // Give one token another token's signature: it no longer verifies with the published key.
    await sqlRun(target, [
      "UPDATE spent_tokens SET sig = (SELECT sig FROM spent_tokens WHERE instrument = 'rating-sessions-2026' ORDER BY msg DESC LIMIT 1) WHERE hash = (SELECT hash FROM spent_tokens WHERE instrument = 'rating-sessions-2026' ORDER BY msg LIMIT 1)",
    ]);
    let report = await verifyTallies(target, 'rating-sessions-2026');
    expect(report.ok).toBe(false);
    expect(report.instruments[0]?.differences).toContain('令牌: 1 枚已花费令牌的签名无效或与类别、评价范围不符');
    // A token recorded as spent for a category it was not signed for is caught the same way.
    await sqlRun(target, [
      "UPDATE spent_tokens SET rater_category = 'cppcc_member' WHERE hash = (SELECT hash FROM spent_tokens WHERE instrument = 'rating-sessions-2026' AND rater_category = 'npc_deputy' ORDER BY msg DESC LIMIT 1)",
    ]);
    report = await verifyTallies(target, 'rating-sessions-2026');
    expect(report.instruments[0]?.differences).toEqual(
      expect.arrayContaining([
        '令牌: 2 枚已花费令牌的签名无效或与类别、评价范围不符',
        '令牌 npc_deputy: 已花费 17 枚, 意见 18 份',
        '令牌 cppcc_member: 已花费 19 枚, 意见 18 份',
        '令牌 cppcc_member: 已花费 19 枚, 多于已发放的 18 枚',
      ]),
    );
  });
});
