// npm run tally:verify [-- --remote] [--instrument ID]: recompute every
// counter from the stored responses and compare. Exits 1 on any difference,
// naming the instrument, question, option and category.
import { parseArgs } from 'node:util';
import { countKey, recount } from '../src/domain/tally';
import { buildCatalog, GENERATED, runtimeCatalog } from './lib/content';
import { d1Query, type Target } from './lib/wrangler';

export interface VerifyReport {
  instruments: { id: string; responses: number; counters: number; differences: string[] }[];
  ok: boolean;
}

export function verifyTallies(target: Target, only?: string): VerifyReport {
  const catalog = runtimeCatalog(buildCatalog(undefined, GENERATED));
  const report: VerifyReport = { instruments: [], ok: true };
  // Three reads in all (each wrangler call costs seconds), grouped here by instrument.
  const where = only ? ` WHERE instrument = '${only.replace(/'/g, "''")}'` : '';
  const group = <T extends { instrument: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.instrument, [...(m.get(r.instrument) ?? []), r]);
    return m;
  };
  type Row = { instrument: string } & Record<string, string | number>;
  const responses = group(d1Query<Row>(`SELECT instrument, rater_category, answers FROM responses${where}`, target));
  const tallies = group(
    d1Query<Row>(`SELECT instrument, question, option, rater_category, count FROM tallies${where}`, target),
  );
  const turnouts = group(d1Query<Row>(`SELECT instrument, rater_category, responses FROM turnout${where}`, target));
  const known = new Set(catalog.instruments.map((i) => i.id));
  for (const id of responses.keys()) {
    if (known.has(id)) continue;
    report.ok = false;
    report.instruments.push({ id, responses: 0, counters: 0, differences: ['不在内容目录中的测评有已存储的意见'] });
  }
  for (const inst of catalog.instruments) {
    if (only && inst.id !== only) continue;
    const rows = responses.get(inst.id) ?? [];
    const expected = recount(
      inst,
      rows.map((r) => ({ raterCategory: String(r.rater_category), answers: JSON.parse(String(r.answers)) })),
    );
    const stored = new Map(
      (tallies.get(inst.id) ?? []).map((t) => [
        countKey(String(t.question), String(t.option), String(t.rater_category)),
        Number(t.count),
      ]),
    );
    const turnout = new Map((turnouts.get(inst.id) ?? []).map((t) => [String(t.rater_category), Number(t.responses)]));
    const differences: string[] = [];
    for (const k of new Set([...expected.counts.keys(), ...stored.keys()])) {
      const want = expected.counts.get(k) ?? 0;
      const have = stored.get(k) ?? 0;
      if (want !== have) differences.push(`计数 ${k.split('\u0000').join(' / ')}: 计数器 ${have}, 重新统计 ${want}`);
    }
    for (const k of new Set([...expected.turnout.keys(), ...turnout.keys()])) {
      const want = expected.turnout.get(k) ?? 0;
      const have = turnout.get(k) ?? 0;
      if (want !== have) differences.push(`参与数 ${k}: 计数器 ${have}, 重新统计 ${want}`);
    }
    if (differences.length > 0) report.ok = false;
    report.instruments.push({ id: inst.id, responses: rows.length, counters: stored.size, differences });
  }
  return report;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { remote: { type: 'boolean', default: false }, instrument: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(
      '用法: npm run tally:verify [-- --remote] [--instrument ID]\n从已存储的意见重新统计, 与计数器逐项比对; 有任何差异时以状态 1 退出。',
    );
    process.exit(0);
  }
  const report = verifyTallies(
    { remote: values.remote ?? false, persistTo: process.env.KAOPING_PERSIST },
    values.instrument,
  );
  for (const i of report.instruments) {
    console.log(
      `${i.differences.length ? '✗' : '✓'} ${i.id}: ${i.responses} 份意见, ${i.counters} 个计数器${i.differences.length ? `, ${i.differences.length} 处差异` : ', 一致'}`,
    );
    for (const d of i.differences) console.log(`    ${d}`);
  }
  console.log(report.ok ? '统计核验通过: 所有计数器与重新统计一致。' : '统计核验失败: 见上方差异。');
  process.exit(report.ok ? 0 : 1);
}
