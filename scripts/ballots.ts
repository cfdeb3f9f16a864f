// npm run ballots -- print: the paper ballots (纸质测评表) of an evaluation
// meeting (测评大会), printed from the same definition as the online form
// (paperQuestions over the instrument in src/content), one numbered sheet per
// serial, as printable A4 HTML like the code slips. Without --meeting it reads
// only the content; with --meeting it reads that meeting from D1 (local by
// default, --remote for production) for its rater categories and to number
// the sheets after the serials already keyed for the instrument.
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, max } from 'drizzle-orm';
import { z } from 'zod';
import { loadContent, runtimeCatalog } from '../src/build/content';
import { formatSerial, MAX_SERIAL } from '../src/domain/ballot-serial';
import type { Catalog } from '../src/domain/catalog';
import { takesPaper } from '../src/domain/paper';
import type { Instrument } from '../src/domain/schemas/instrument';
import type { SubjectRef } from '../src/domain/schemas/question';
import { zhCNSite } from '../src/i18n/zh-CN/site';
import { meetings, paperBallots, paperKeyings } from '../src/server/db/schema';
import type { Database } from '../src/server/env';
import { type BallotForm, layoutSheet, MAX_PAGES_PER_FILE, renderBallots, sheetsPerFile } from './lib/ballot-sheet';
import { parseCommandLine, problemLines, RunError, UsageError } from './lib/cli';
import { d1Message, withDb } from './lib/d1';
import { progress } from './lib/progress';
import type { Target } from './lib/wrangler';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_COUNT = 10_000;

const HELP = `纸质测评表打印工具

用法:
  npm run ballots -- print --instrument ID --count N [--meeting 会议] [--start S] [--out 文件.html] [--remote]

print   按测评的定义 (与网上测评表相同的对象、项目和等次, 不含文字意见) 生成 A4 纸质测评表,
        每张一个序号 (如 000123-K, 末位为校验字母), 序号大字印在每页顶部 (录入时先录序号), 小字印在每页底部。
        输出为可打印的 HTML (无脚本), 用浏览器打印; 超过 ${MAX_PAGES_PER_FILE} 页时按整张分为
        <文件名>-001.html 等多个文件。已存在的文件不会被覆盖。
  --instrument ID  测评 id (见 src/content/instruments/); 须为凭码参与、列有评议主体类别的测评
  --count N        张数, 1 至 ${MAX_COUNT.toLocaleString('en')}
  --meeting 会议   测评大会的 id (观察员控制台中登记的会议; 须属于该测评)。评议主体方格按会议登记的类别印制,
                   序号默认接在该测评已录入的最大序号之后
  --start S        第一张的序号数字 (1 至 ${MAX_SERIAL.toLocaleString('en')}), 默认 1 (有 --meeting 时见上)。
                   同一测评的序号只能计入一次: 同一测评再次印制 (另一场会议、补印) 时, 请接着上次印制的
                   最后一个序号, 例如上次印到 000200 则用 --start 201 (打印工具不在数据库中记录印制的序号)
  --out 文件       输出路径, 默认为当前目录下 ballots-<测评>-<首序号>-<末序号>.html

评议主体方格: 有 --meeting 时为会议登记的类别, 否则为测评的全部评议主体类别; 只有一类时直接印出类别, 不设方格。

共同选项 (只在使用 --meeting 时读数据库):
  --remote           读取线上 D1 (默认读取本地 D1 .wrangler/state)
  --persist-to 目录  本地 D1 的状态目录 (默认取环境变量 KAOPING_PERSIST, 再默认 wrangler 的 .wrangler/state)
  -h, --help         显示本说明`;

const OPTIONS = {
  instrument: { type: 'string' },
  count: { type: 'string' },
  meeting: { type: 'string' },
  start: { type: 'string' },
  out: { type: 'string' },
  remote: { type: 'boolean' },
  'persist-to': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A whole number typed on the command line (thousands separators allowed). */
const wholeNumber = (what: string, min: number, maxValue: number, missing?: string) =>
  z
    .string(missing ? { error: missing } : undefined)
    .transform((s) => s.replace(/[,_\s]/g, ''))
    .pipe(
      z
        .string()
        .regex(/^\d+$/, { error: (i) => `${what}须为整数 (收到 “${i.input}”)` })
        .transform(Number)
        .pipe(
          z
            .number()
            .min(min, `${what}至少为 ${min.toLocaleString('en')}`)
            .max(maxValue, `${what}至多为 ${maxValue.toLocaleString('en')}`),
        ),
    );

function printSchema(instruments: Instrument[]) {
  const ids = new Map(instruments.map((i) => [i.id, i]));
  const known = instruments.map((i) => i.id).join(', ');
  const paper = instruments
    .filter(takesPaper)
    .map((i) => i.id)
    .join(', ');
  return z
    .object({
      instrument: z
        .string({ error: `请用 --instrument 指定测评 (可用纸质测评表的: ${paper})` })
        .refine((id) => ids.has(id), { error: (i) => `未知的测评 “${i.input}” (已有: ${known})`, abort: true })
        .refine((id) => takesPaper(ids.get(id) as Instrument), {
          error: (i) =>
            `测评 “${i.input}” 不用纸质测评表: 纸质测评表只用于凭码参与、列有评议主体类别的测评 (可用: ${paper})`,
        }),
      count: wholeNumber('张数', 1, MAX_COUNT, `请用 --count 指定张数 (1 至 ${MAX_COUNT.toLocaleString('en')})`),
      start: wholeNumber('起始序号', 1, MAX_SERIAL).optional(),
      meeting: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, '会议 id 只能包含字母、数字和 _ . : - (至多 100 个字符)')
        .optional(),
      out: z.string().min(1, '--out 不能为空').optional(),
      remote: z.boolean().optional(),
      'persist-to': z.string().optional(),
    })
    .refine((a) => !a.remote || a.meeting, {
      error: '--remote 只在使用 --meeting 时有用 (读取线上的会议)',
      path: ['remote'],
    })
    .refine((a) => !a['persist-to'] || a.meeting, {
      error: '--persist-to 只在使用 --meeting 时有用 (读取本地的会议)',
      path: ['persist-to'],
    })
    .refine((a) => !(a.remote && a['persist-to']), {
      error: '只用于本地 D1, 不能与 --remote 同用',
      path: ['persist-to'],
    });
}

const userCwd = process.env.INIT_CWD ?? process.cwd();

function target(values: { remote?: boolean; 'persist-to'?: string }): Target {
  if (values.remote) return { remote: true };
  const flag = values['persist-to'];
  const env = process.env.KAOPING_PERSIST;
  return { remote: false, persistTo: flag ? resolve(userCwd, flag) : env ? resolve(ROOT, env) : undefined };
}

const where = (t: Target) => {
  if (t.remote) return '线上 D1';
  const dir = t.persistTo ?? join(ROOT, '.wrangler/state');
  const rel = relative(ROOT, dir);
  return `本地 D1 (${rel.startsWith('..') ? dir : rel})`;
};

interface MeetingFacts {
  id: string;
  instrument: string;
  heldOn: string;
  place: string;
  categories: string[];
  issued: number;
  /** The highest serial number keyed or counted for the instrument, 0 when none. */
  lastSerial: number;
}

/** The meeting and the instrument's highest serial so far: two small reads of the target's D1. */
async function readMeeting(t: Target, id: string): Promise<MeetingFacts | null> {
  let opened = false;
  try {
    return await withDb(t, async (db: Database) => {
      opened = true;
      const [m] = await db.select().from(meetings).where(eq(meetings.id, id));
      if (!m) return null;
      const [counted, keyed] = await db.batch([
        db
          .select({ s: max(paperBallots.serial) })
          .from(paperBallots)
          .where(eq(paperBallots.instrument, m.instrument)),
        db
          .select({ s: max(paperKeyings.serial) })
          .from(paperKeyings)
          .innerJoin(meetings, eq(meetings.id, paperKeyings.meeting))
          .where(eq(meetings.instrument, m.instrument)),
      ]);
      const digits = (s: string | null | undefined) => (s ? Number(s.slice(0, 6)) : 0);
      let categories: string[] = [];
      try {
        categories = z.array(z.string()).parse(JSON.parse(m.categories));
      } catch {
        throw new RunError(`会议 “${id}” 的评议主体类别无法读取: ${m.categories}`);
      }
      return {
        id: m.id,
        instrument: m.instrument,
        heldOn: m.heldOn,
        place: m.place,
        categories,
        issued: m.issued,
        lastSerial: Math.max(digits(counted[0]?.s), digits(keyed[0]?.s)),
      };
    });
  } catch (e) {
    if (e instanceof RunError) throw e;
    const msg = d1Message(e);
    const hint = /no such table/i.test(msg) ? ' (数据库尚未迁移? 请先运行 npm run db:migrate)' : '';
    throw new RunError(`${opened ? '读取会议' : '打开数据库'}失败 (${where(t)})${hint}:\n${msg}`);
  }
}

/** How a subject is named on the participation pages. */
function subjectNamer(c: Catalog): (s: SubjectRef) => string {
  const units = new Map(c.units.map((u) => [u.id, u.data]));
  const officials = new Map(c.officials.map((o) => [o.id, o.data]));
  return (s) => {
    if (s.kind === 'official') {
      const o = officials.get(s.id);
      if (!o) return s.id;
      const u = units.get(o.unit);
      return zhCNSite.subject.official(o.name, o.post, u?.shortName ?? u?.name ?? '');
    }
    const name = units.get(s.id)?.name ?? s.id;
    return s.kind === 'group' ? zhCNSite.subject.group(name) : zhCNSite.subject.unit(name);
  };
}

function outPaths(path: string, parts: number): string[] {
  if (parts === 1) return [path];
  const stem = path.replace(/\.html?$/i, '');
  const width = Math.max(3, String(parts).length);
  return Array.from({ length: parts }, (_, i) => `${stem}-${String(i + 1).padStart(width, '0')}.html`);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} 秒`;

async function print(argv: Record<string, unknown>) {
  const started = Date.now();
  const content = loadContent(join(ROOT, 'src/content'));
  if (content.issues.length > 0) {
    throw new RunError(
      `内容校验失败, 请先修正 (npm run content):\n${content.issues.map((i) => `${i.file}: ${i.message}`).join('\n')}`,
    );
  }
  const runtime = runtimeCatalog(content.catalog);
  const parsed = printSchema(runtime.instruments).safeParse(argv);
  if (!parsed.success) throw new UsageError(problemLines(parsed.error));
  const a = parsed.data;
  const { count } = a;
  const inst = runtime.instruments.find((i) => i.id === a.instrument) as Instrument;
  const appraisal = runtime.appraisals.find((x) => x.id === inst.appraisal);
  const label = (id: string) => appraisal?.raterCategories.find((c) => c.id === id)?.label ?? id;

  let categories = inst.raterCategories;
  let meeting: MeetingFacts | null = null;
  let start = a.start ?? 1;
  if (a.meeting) {
    const t = target(a);
    meeting = await readMeeting(t, a.meeting);
    if (!meeting) throw new UsageError(`未知的会议 “${a.meeting}” (${where(t)}); 请先在观察员控制台登记测评大会`);
    if (meeting.instrument !== inst.id) {
      throw new UsageError(`会议 “${meeting.id}” 属于测评 “${meeting.instrument}”, 不是 “${inst.id}”`);
    }
    const present = meeting.categories.filter((c) => inst.raterCategories.includes(c));
    if (present.length === 0) {
      throw new UsageError(
        `会议 “${meeting.id}” 登记的评议主体类别 (${meeting.categories.join(', ') || '无'}) 都不在测评 “${inst.id}” 的类别中`,
      );
    }
    categories = present;
    if (a.start === undefined) start = meeting.lastSerial + 1;
    else if (a.start <= meeting.lastSerial) {
      throw new UsageError(
        `--start: 测评 “${inst.id}” 已录入到序号 ${formatSerial(meeting.lastSerial)}; 同一序号只能计入一次, 请从 ${meeting.lastSerial + 1} 或更大的数开始`,
      );
    }
  }
  const last = start + count - 1;
  if (last > MAX_SERIAL) {
    throw new UsageError(`序号超出范围: ${start} + ${count} 张将超过 ${MAX_SERIAL} (序号只有 6 位)`);
  }
  const serials = Array.from({ length: count }, (_, i) => formatSerial(start + i));
  const first = serials[0] as string;
  const lastSerial = serials[serials.length - 1] as string;

  const form: BallotForm = {
    inst,
    appraisalTitle: appraisal?.title ?? inst.appraisal,
    subjectName: subjectNamer(content.catalog),
    categories: categories.map((id) => ({ id, label: label(id) })),
    ...(meeting ? { meeting: { id: meeting.id, heldOn: meeting.heldOn, place: meeting.place } } : {}),
  };
  const layout = layoutSheet(form);
  const perFile = sheetsPerFile(layout.pages);
  const parts = Math.ceil(count / perFile);
  const out = resolve(userCwd, a.out ?? `ballots-${inst.id}-${first.slice(0, 6)}-${lastSerial.slice(0, 6)}.html`);
  const files = outPaths(out, parts);
  if (!existsSync(dirname(out))) throw new UsageError(`--out: 目录不存在: ${dirname(out)}`);
  const existing = files.filter((f) => existsSync(f) || existsSync(`${f}.partial`));
  if (existing.length > 0) {
    throw new UsageError(`不覆盖已有文件, 请换一个 --out 或先移走:\n  ${existing.join('\n  ')}`);
  }

  console.log(
    `印制 ${count.toLocaleString('en')} 张纸质测评表: ${inst.id} (${inst.title})${meeting ? ` · 会议 ${meeting.id}` : ''} · 序号 ${first} 至 ${lastSerial} · 每张 ${layout.pages} 页`,
  );
  // Written under temporary names and renamed once every file is complete: a half-written print run never looks finished.
  const written: { path: string; sheets: number }[] = [];
  const discard = () => {
    for (const f of written) rmSync(`${f.path}.partial`, { force: true });
  };
  const interrupted = () => {
    discard();
    console.error('\n已中断: 未保留任何文件。');
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  const step = progress('排版测评表');
  try {
    for (let i = 0; i < files.length; i++) {
      const path = files[i] as string;
      const part = serials.slice(i * perFile, (i + 1) * perFile);
      const html = renderBallots({
        form,
        layout,
        serials: part,
        part: i + 1,
        parts: files.length,
        onSheet: (done) => {
          const total = i * perFile + done;
          if (total % 100 === 0 || total === count) step(total, count);
        },
      });
      written.push({ path, sheets: part.length });
      writeFileSync(`${path}.partial`, html, { flag: 'wx' });
    }
  } catch (e) {
    discard();
    throw new RunError(`写入失败, 未保留任何文件:\n${(e as Error).message}`);
  } finally {
    process.off('SIGINT', interrupted);
  }
  for (const f of written) renameSync(`${f.path}.partial`, f.path);

  const describe = (f: { path: string; sheets: number }) =>
    `  ${relative(userCwd, f.path)}  (${f.sheets} 张, ${f.sheets * layout.pages} 页, ${mb(statSync(f.path).size)})`;
  const listed =
    written.length > 6
      ? [...written.slice(0, 3).map(describe), `  … (共 ${written.length} 个文件)`, ...written.slice(-2).map(describe)]
      : written.map(describe);
  const categoryLine =
    form.categories.length > 1
      ? `评议主体方格: ${form.categories.map((c) => c.label).join('、')}`
      : `评议主体: ${form.categories[0]?.label ?? ''} (只有一类, 不设方格)`;
  const issuedNote =
    meeting && meeting.issued !== count
      ? `\n注意: 会议 ${meeting.id} 登记的发放张数为 ${meeting.issued}, 本次印制 ${count} 张。`
      : '';
  console.log(`已写入:
${listed.join('\n')}
共 ${count} 张, ${count * layout.pages} 页 (每张 ${layout.pages} 页), 序号 ${first} 至 ${lastSerial}
${categoryLine}
下次为测评 ${inst.id} 印制时, 请用 --start ${last + 1}, 使序号不重复。${issuedNote}
打印: 用浏览器打开, 按 A4 纵向、无缩放 (100%)、不打印页眉页脚打印。
用时 ${seconds(Date.now() - started)}`);
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(argv, OPTIONS);
    const [command, ...extra] = positionals;
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (!command) throw new UsageError('请指定命令: print');
    if (command !== 'print') throw new UsageError(`未知的命令 “${command}” (可用: print)`);
    if (extra.length > 0) throw new UsageError(`多余的参数: ${extra.join(' ')}`);
    process.chdir(ROOT);
    await print(values);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`错误: ${e.message}\n(npm run ballots -- --help 查看用法)`);
      return 2;
    }
    console.error(`错误: ${e instanceof RunError ? e.message : (e as Error).stack}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
