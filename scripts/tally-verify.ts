// npm run tally:verify [-- --remote] [--instrument ID]: recompute every
// counter from the stored responses and compare, and check the spent tokens
// of code instruments: each signature verifies with the published key of the
// category its message names, spent <= issued, and spent = the code responses
// of that category. The paper source too (issue 19): the paper counters
// recomputed from the counted paper ballots, each ballot valid for its
// instrument and belonging to a meeting of it, and no meeting counting more
// ballots than returned minus spoilt; so the spent-token list and the
// meetings' counts together explain every counted ballot. Prints online /
// paper / sum per instrument. Exits 1 on any difference, naming what differs.
import { parseArgs } from 'node:util';
import { buildCatalog, GENERATED, runtimeCatalog } from '../src/build/content';
import { answersSchema } from '../src/domain/instrument';
import type { Instrument } from '../src/domain/schemas/instrument';
import { countKey, recount } from '../src/domain/tally';
import { fromBase64Url, readTokenMessage } from '../src/domain/token';
import { verifyToken } from '../src/server/auth/token-keys';
import { readForRecount } from '../src/server/db/admin/tallies';
import { withDb } from './lib/d1';
import type { Target } from './lib/wrangler';

export interface VerifyReport {
  instruments: {
    id: string;
    /** Online responses. */
    responses: number;
    counters: number;
    tokens: number | null;
    /** Counted paper ballots, and the paper counters. */
    paper: number;
    paperCounters: number;
    differences: string[];
  }[];
  ok: boolean;
}

export async function verifyTallies(target: Target, only?: string): Promise<VerifyReport> {
  const catalog = runtimeCatalog(buildCatalog(undefined, GENERATED));
  const report: VerifyReport = { instruments: [], ok: true };
  // One batch of reads, grouped here by instrument.
  const read = await withDb(target, (db) => readForRecount(db, only));
  const group = <T extends { instrument: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.instrument, [...(m.get(r.instrument) ?? []), r]);
    return m;
  };
  const responses = group(read.responses);
  const tallies = group(read.tallies);
  const turnouts = group(read.turnout);
  const spentRows = group(read.spent);
  const keys = group(read.keys);
  const issuedRows = group(read.issued);
  const known = new Set(catalog.instruments.map((i) => i.id));
  for (const id of responses.keys()) {
    if (known.has(id)) continue;
    report.ok = false;
    report.instruments.push({
      id,
      responses: 0,
      counters: 0,
      tokens: null,
      paper: 0,
      paperCounters: 0,
      differences: ['不在内容目录中的测评有已存储的意见'],
    });
  }
  const paperBallots = group(read.paperBallots);
  const paperTallies = group(read.paperTallies);
  for (const id of new Set([...paperBallots.keys(), ...paperTallies.keys()])) {
    if (known.has(id)) continue;
    report.ok = false;
    report.instruments.push({
      id,
      responses: 0,
      counters: 0,
      tokens: null,
      paper: paperBallots.get(id)?.length ?? 0,
      paperCounters: paperTallies.get(id)?.length ?? 0,
      differences: ['不在内容目录中的测评有纸质选票或纸质计数器'],
    });
  }
  const meetingsById = new Map(read.meetings.map((m) => [m.id, m]));
  for (const inst of catalog.instruments) {
    if (only && inst.id !== only) continue;
    const rows = responses.get(inst.id) ?? [];
    const expected = recount(
      inst,
      rows.map((r) => ({ raterCategory: r.raterCategory, answers: JSON.parse(r.answers) })),
    );
    const stored = new Map(
      (tallies.get(inst.id) ?? []).map((t) => [countKey(t.question, t.option, t.raterCategory), t.count]),
    );
    const turnout = new Map((turnouts.get(inst.id) ?? []).map((t) => [t.raterCategory, t.responses]));
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
    differences.push(
      ...(await checkSpentTokens(inst.id, inst.access, rows, spentRows.get(inst.id) ?? [], keys, issuedRows)),
    );
    const ballots = paperBallots.get(inst.id) ?? [];
    const paperStored = paperTallies.get(inst.id) ?? [];
    differences.push(...checkPaper(inst, ballots, paperStored, meetingsById, read.meetings));
    if (differences.length > 0) report.ok = false;
    report.instruments.push({
      id: inst.id,
      responses: rows.length,
      counters: stored.size,
      tokens: inst.access === 'code' ? (spentRows.get(inst.id) ?? []).length : null,
      paper: ballots.length,
      paperCounters: paperStored.length,
      differences,
    });
  }
  return report;
}

type Read = Awaited<ReturnType<typeof readForRecount>>;

/**
 * The paper source of one instrument: the paper counters recomputed from the
 * counted ballots (the trigger's work, redone), each ballot's answers valid
 * for the instrument and its meeting one of the instrument's, and per meeting
 * no more ballots counted than returned minus spoilt.
 */
export function checkPaper(
  inst: Instrument,
  ballots: Read['paperBallots'],
  stored: Read['paperTallies'],
  meetingsById: Map<string, Read['meetings'][number]>,
  meetings: Read['meetings'],
): string[] {
  const out: string[] = [];
  const expected = recount(
    inst,
    ballots.map((b) => ({ raterCategory: b.raterCategory, answers: JSON.parse(b.answers) })),
  );
  const have = new Map(stored.map((t) => [countKey(t.question, t.option, t.raterCategory), t.count]));
  for (const k of new Set([...expected.counts.keys(), ...have.keys()])) {
    const want = expected.counts.get(k) ?? 0;
    const got = have.get(k) ?? 0;
    if (want !== got) out.push(`纸质计数 ${k.split('\u0000').join(' / ')}: 计数器 ${got}, 按纸质选票重新统计 ${want}`);
  }
  const schema = answersSchema(inst);
  const perMeeting = new Map<string, number>();
  for (const b of ballots) {
    perMeeting.set(b.meeting, (perMeeting.get(b.meeting) ?? 0) + 1);
    const m = meetingsById.get(b.meeting);
    if (!m) out.push(`纸质选票 ${b.serial}: 所属测评大会 ${b.meeting} 不存在`);
    else if (m.instrument !== inst.id)
      out.push(`纸质选票 ${b.serial}: 所属测评大会 ${b.meeting} 属于测评 ${m.instrument}`);
    else if (!(JSON.parse(m.categories) as string[]).includes(b.raterCategory))
      out.push(`纸质选票 ${b.serial}: 评议主体类别 ${b.raterCategory} 不在测评大会 ${b.meeting} 的类别中`);
    if (!inst.raterCategories.includes(b.raterCategory))
      out.push(`纸质选票 ${b.serial}: 评议主体类别 ${b.raterCategory} 不是本测评的类别`);
    if (!schema.safeParse(JSON.parse(b.answers)).success) out.push(`纸质选票 ${b.serial}: 答案不符合测评定义`);
  }
  for (const m of meetings.filter((x) => x.instrument === inst.id || perMeeting.has(x.id))) {
    const counted = perMeeting.get(m.id) ?? 0;
    if (counted > m.returned - m.spoilt)
      out.push(
        `测评大会 ${m.id} (${m.heldOn} ${m.place}): 计入纸质选票 ${counted} 张, 多于收回 ${m.returned} − 废票 ${m.spoilt} = ${m.returned - m.spoilt} 张`,
      );
  }
  return out;
}

/** The spent tokens of one instrument against its keys, its redemptions and its code responses. */
async function checkSpentTokens(
  instrument: string,
  access: 'code' | 'public',
  responses: Read['responses'],
  spent: Read['spent'],
  keys: Map<string, Read['keys']>,
  issued: Map<string, Read['issued']>,
): Promise<string[]> {
  const out: string[] = [];
  if (access === 'public') {
    if (spent.length > 0) out.push(`公开测评不应有已花费令牌, 却有 ${spent.length} 枚`);
    return out;
  }
  // A token verifies only under the key of the category and scope its message names (定点定向 scopes have their own).
  const spki = new Map((keys.get(instrument) ?? []).map((k) => [`${k.raterCategory}\n${k.scope}`, k.spki]));
  const perCategory = new Map<string, number>();
  let bad = 0;
  for (const t of spent) {
    const category = t.raterCategory;
    const msg = fromBase64Url(t.msg);
    const sig = fromBase64Url(t.sig);
    const claims = msg ? readTokenMessage(msg) : null;
    const key = spki.get(`${category}\n${t.scope}`);
    const valid =
      !!msg &&
      !!sig &&
      !!key &&
      claims?.instrument === instrument &&
      claims.raterCategory === category &&
      claims.scope === t.scope &&
      (await verifyToken(key, msg, sig).catch(() => false));
    if (!valid) bad++;
    perCategory.set(category, (perCategory.get(category) ?? 0) + 1);
  }
  if (bad > 0) out.push(`令牌: ${bad} 枚已花费令牌的签名无效或与类别、评价范围不符`);
  const answered = new Map<string, number>();
  for (const r of responses) answered.set(r.raterCategory, (answered.get(r.raterCategory) ?? 0) + 1);
  const issuedBy = new Map((issued.get(instrument) ?? []).map((r) => [r.raterCategory, r.n]));
  for (const c of new Set([...perCategory.keys(), ...answered.keys(), ...issuedBy.keys()])) {
    const n = perCategory.get(c) ?? 0;
    if (n !== (answered.get(c) ?? 0)) out.push(`令牌 ${c}: 已花费 ${n} 枚, 意见 ${answered.get(c) ?? 0} 份`);
    if (n > (issuedBy.get(c) ?? 0)) out.push(`令牌 ${c}: 已花费 ${n} 枚, 多于已发放的 ${issuedBy.get(c) ?? 0} 枚`);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { remote: { type: 'boolean', default: false }, instrument: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(
      '用法: npm run tally:verify [-- --remote] [--instrument ID]\n从已存储的意见和纸质选票重新统计, 与网上和纸质计数器逐项比对, 核验已花费令牌 (签名、类别、不多于发放数、等于意见数) 和测评大会 (每张纸质选票属于本测评的大会, 计入数不多于收回减废票); 有任何差异时以状态 1 退出。',
    );
    process.exit(0);
  }
  const report = await verifyTallies(
    { remote: values.remote ?? false, persistTo: process.env.KAOPING_PERSIST },
    values.instrument,
  );
  for (const i of report.instruments) {
    const sources = ` (网上 ${i.responses} + 纸质 ${i.paper} = ${i.responses + i.paper} 份)`;
    console.log(
      `${i.differences.length ? '✗' : '✓'} ${i.id}: ${i.responses} 份意见, ${i.counters} 个计数器${i.tokens === null ? '' : `, ${i.tokens} 枚令牌`}${i.paper > 0 ? `, ${i.paper} 张纸质选票, ${i.paperCounters} 个纸质计数器` : ''}${sources}${i.differences.length ? `, ${i.differences.length} 处差异` : ', 一致'}`,
    );
    for (const d of i.differences) console.log(`    ${d}`);
  }
  console.log(
    report.ok
      ? '统计核验通过: 所有计数器 (网上与纸质) 与重新统计一致, 令牌签名全部有效且与意见数相符, 每张纸质选票都属于本测评的测评大会且不多于收回减废票数。'
      : '统计核验失败: 见上方差异。',
  );
  process.exit(report.ok ? 0 : 1);
}
