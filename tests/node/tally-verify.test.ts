// `npm run tally:verify` recomputes the counters from the stored responses and
// fails on any difference. Run on a copy of the e2e run's seeded D1.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { d1ExecuteSql } from '../../scripts/lib/wrangler';
import { verifyTallies } from '../../scripts/tally-verify';

describe('tally:verify', () => {
  const copy = mkdtempSync(join(tmpdir(), 'kaoping-verify-'));
  cpSync(inject('persistTo'), copy, { recursive: true });
  const target = { remote: false, persistTo: copy };

  it('passes on the demo data submitted through the API', () => {
    const report = verifyTallies(target);
    expect(report.ok).toBe(true);
    const ballot = report.instruments.find((i) => i.id === 'ballot-groups-2026');
    expect(ballot?.responses).toBeGreaterThan(0);
    expect(ballot?.counters).toBeGreaterThan(0);
  });

  it('names a counter that was changed behind its back', () => {
    d1ExecuteSql(
      "UPDATE tallies SET count = count + 1 WHERE instrument = 'vote-service-2026' AND option = (SELECT min(option) FROM tallies WHERE instrument = 'vote-service-2026');",
      target,
    );
    const report = verifyTallies(target, 'vote-service-2026');
    expect(report.ok).toBe(false);
    expect(report.instruments[0]?.differences.join('\n')).toMatch(
      /计数 choice \/ .+ \/ public: 计数器 \d+, 重新统计 \d+/,
    );
  });

  it('names a turnout counter that disagrees', () => {
    d1ExecuteSql(
      "UPDATE turnout SET responses = responses - 1 WHERE instrument = 'rating-units-2025' AND rater_category = 'npc_deputy';",
      target,
    );
    const report = verifyTallies(target, 'rating-units-2025');
    expect(report.instruments[0]?.differences).toContain('参与数 npc_deputy: 计数器 19, 重新统计 20');
  });
});
