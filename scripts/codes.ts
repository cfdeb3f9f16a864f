// npm run codes -- issue | revoke | stats: the one-person-one-code tool
// (一人一号) of the organisation department. `issue` writes the plain codes
// exactly once, to a CSV and printable slips, and stores only their keyed
// hashes in D1; `revoke` retires a lost or leaked print run; `stats` counts
// without ever printing a hash. Local D1 by default, the production one with
// --remote.
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { loadContent, runtimeCatalog } from '../src/build/content';
import type { Catalog } from '../src/domain/catalog';
import { coversInstrument } from '../src/domain/instrument';
import { generateCredential, hashCredential, objectionWindowOf, resultsPublishedOn } from '../src/domain/objection';
import { dayInChina } from '../src/domain/schemas/common';
import { subjectKinds } from '../src/domain/schemas/question';
import type { RaterCategoryDef } from '../src/domain/schemas/rater-category';
import { subjectsOf } from '../src/domain/tally';
import { ALL_SUBJECTS, scopeOf } from '../src/domain/token';
import { batchCount, codeStats, deleteBatch, insertCodes, revokeBatch } from '../src/server/db/admin/codes';
import { issueObjectionCredentials } from '../src/server/db/admin/objection-credentials';
import type { Database } from '../src/server/env';
import { parseCommandLine, problemLines, RunError, UsageError } from './lib/cli';
import { BATCH_PATTERN, issueCodes, newBatchId } from './lib/codes';
import { d1Message, withDb } from './lib/d1';
import { ensureDevVars } from './lib/dev-vars';
import { progress } from './lib/progress';
import { renderSlips, SLIPS_PER_FILE } from './lib/slips';
import { ensureTokenKeys, keySlots } from './lib/token-keys';
import type { Target } from './lib/wrangler';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_ORIGIN = 'http://127.0.0.1:8788';
const MAX_COUNT = 1_000_000;
/** The smallest targeted batch (定点定向): fewer raters with one scope would be too easy to tell apart. */
const MIN_TARGETED_BATCH = 5;

const HELP = `一人一号参与码工具

用法:
  npm run codes -- issue --appraisal ID --category 类别 --count N [--subjects ID,ID] [--out 文件.csv] [--batch 批次] [--origin 网址] [--no-slips] [--remote]
  npm run codes -- revoke --batch 批次 [--remote]
  npm run codes -- stats [--appraisal ID] [--remote]
  npm run codes -- objection --appraisal ID [--subject 类型:编号 …] [--out 文件.csv] [--remote]

issue   生成 N 个参与码。数据库只保存 HMAC-SHA256(CODE_PEPPER, 参与码) 及考评、类别、批次;
        明文参与码只写入一次: CSV (UTF-8 带 BOM, 可用 Excel 打开) 和旁边的 A4 参与码条
        (<文件名>.slips.html; 超过 ${SLIPS_PER_FILE} 张时分为 <文件名>.slips-001.html 等多个文件,
        每个 ${SLIPS_PER_FILE} 张)。文件权限 0600, 已存在的文件不会被覆盖。
  --appraisal ID   考评 id (见 src/content/appraisals/)
  --category 类别  评议主体类别: 该考评 raterCategories 中的 id (如 npc_deputy), 也可直接写中文名称 (如 人大代表)
  --subjects ID,ID 定点定向: 本批参与码只能评价这些对象 (单位、领导班子或领导干部的 id), 例如服务对象只评价
                   为其办事的单位; 参与码条上注明评价对象。不写则可评价所有对象。同时为涉及的测评生成该范围的
                   签名密钥 (需要 TOKEN_KEY_SECRET; 本地取自 .dev.vars)
  --count N        数量, 1 至 ${MAX_COUNT.toLocaleString('en')}
  --out 文件       CSV 路径, 默认为当前目录下 codes-<批次>.csv
  --batch 批次     批次号, 默认自动生成 (<考评>-<类别>-<年月日>-<4位随机>); 不能与已有批次重复
  --origin 网址    参与码条上的网址, 默认取环境变量 PUBLIC_ORIGIN, 再默认 ${DEFAULT_ORIGIN}
  --no-slips       只写 CSV, 不生成参与码条 (例如交由印刷厂套印)

revoke  作废一个批次 (丢失或泄露时), 并回读作废数量。
stats   按 考评 × 类别 × 批次 列出已发放和已作废数量, 按测评列出已使用的参与码数量。
        不显示任何摘要或参与码。

objection  为被考核对象生成申诉凭证 (每个对象一个, 17 位, 与参与码格式不同, 互不通用),
        用于在结果公示后的申诉期内在线提出申诉或质询。数据库只保存
        HMAC-SHA256(CODE_PEPPER, "objection:" + 凭证); 明文只写入一次 CSV (权限 0600)。
        再次为同一对象生成时, 旧凭证自动作废 (凭证丢失时补发)。
  --appraisal ID   考评 id; 须已公布结果 (结果文件或统计快照)
  --subject 类型:编号  只为这些对象生成, 可重复 (如 --subject unit:czj --subject official:off-czj-1);
                   默认为结果中的全部对象
  --out 文件       CSV 路径, 默认为当前目录下 objection-credentials-<考评>-<年月日>.csv

共同选项:
  --remote           操作线上 D1 (默认操作本地 D1 .wrangler/state)
  --persist-to 目录  本地 D1 的状态目录 (默认取环境变量 KAOPING_PERSIST, 再默认 wrangler 的 .wrangler/state)
  -h, --help         显示本说明

密钥: CODE_PEPPER 取自环境变量; 本地运行时若未设置则取自 .dev.vars。
      使用 --remote 时必须在环境变量中提供与线上 (wrangler pages secret) 相同的 CODE_PEPPER,
      否则线上无法验证这些参与码。`;

const OPTIONS = {
  appraisal: { type: 'string' },
  category: { type: 'string' },
  count: { type: 'string' },
  subjects: { type: 'string' },
  out: { type: 'string' },
  batch: { type: 'string' },
  origin: { type: 'string' },
  subject: { type: 'string', multiple: true },
  'no-slips': { type: 'boolean' },
  remote: { type: 'boolean' },
  'persist-to': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
type OptionName = keyof typeof OPTIONS;

const COMMAND_OPTIONS: Record<string, OptionName[]> = {
  issue: ['appraisal', 'category', 'count', 'subjects', 'out', 'batch', 'origin', 'no-slips', 'remote', 'persist-to'],
  revoke: ['batch', 'remote', 'persist-to'],
  stats: ['appraisal', 'remote', 'persist-to'],
  objection: ['appraisal', 'subject', 'out', 'remote', 'persist-to'],
};

function origin(fromFlag: string | undefined, remote: boolean): string {
  const raw = fromFlag ?? process.env.PUBLIC_ORIGIN ?? DEFAULT_ORIGIN;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`--origin: “${raw}” 不是有效的网址`);
  }
  if (!/^https?:$/.test(u.protocol) || u.pathname !== '/' || u.search || u.hash || u.username) {
    throw new UsageError(`--origin: 须为 http(s)://主机[:端口], 不带路径、查询或片段 (收到 “${raw}”)`);
  }
  if (remote && (u.protocol !== 'https:' || /^(localhost|127\.|\[::1\])/.test(u.hostname))) {
    throw new UsageError(
      `--origin: 线上参与码条须印正式网址 (https), 当前为 ${u.origin}; 请用 --origin 或环境变量 PUBLIC_ORIGIN 指定`,
    );
  }
  return u.origin;
}

/** The categories of an appraisal that hold codes, and the subjects its code instruments rate. */
function appraisalFacts(catalog: Catalog, appraisal: string) {
  const a = catalog.appraisals.find((e) => e.id === appraisal)?.data;
  const categories = (a?.raterCategories ?? []).filter((c) => c.group !== 'public');
  const instruments = runtimeCatalog(catalog).instruments.filter(
    (i) => i.appraisal === appraisal && i.access === 'code',
  );
  return { categories, instruments };
}

const categoryList = (cs: RaterCategoryDef[]) => cs.map((c) => `${c.id} (${c.label})`).join(', ');

function issueSchema(catalog: Catalog) {
  const appraisals = new Map(catalog.appraisals.map((e) => [e.id, e.data.title]));
  const known = [...appraisals.keys()].join(', ');
  return z
    .object({
      appraisal: z
        .string({ error: `请用 --appraisal 指定考评 (可选: ${known})` })
        .refine((id) => appraisals.has(id), { error: (i) => `未知的考评 “${i.input}” (可选: ${known})` }),
      category: z
        .string({ error: '请用 --category 指定评议主体类别 (该考评 raterCategories 中的 id 或中文名称)' })
        .trim(),
      subjects: z
        .string()
        .transform((s) =>
          s
            .split(/[,，\s]+/)
            .map((x) => x.trim())
            .filter(Boolean),
        )
        .optional(),
      count: z
        .string({ error: `请用 --count 指定数量 (1 至 ${MAX_COUNT.toLocaleString('en')})` })
        .transform((s) => s.replace(/[,_\s]/g, ''))
        .pipe(
          z
            .string()
            .regex(/^\d+$/, { error: (i) => `数量须为整数 (收到 “${i.input}”)` })
            .transform(Number)
            .pipe(
              z
                .number()
                .min(1, '数量至少为 1')
                .max(MAX_COUNT, `数量至多为 ${MAX_COUNT.toLocaleString('en')}`),
            ),
        ),
      out: z.string().min(1, '--out 不能为空').optional(),
      batch: z
        .string()
        .regex(BATCH_PATTERN, '批次号只能包含字母、数字和 _ . - (以字母或数字开头, 至多 100 个字符)')
        .optional(),
      origin: z.string().optional(),
      'no-slips': z.boolean().optional(),
      remote: z.boolean().optional(),
      'persist-to': z.string().optional(),
    })
    .transform((a, ctx) => {
      // The category and the subjects are the appraisal's own: its content says who rates whom.
      const { categories, instruments } = appraisalFacts(catalog, a.appraisal);
      const def = categories.find((c) => c.id === a.category || c.label === a.category);
      if (!def) {
        ctx.addIssue({
          code: 'custom',
          path: ['category'],
          message: `未知的评议主体类别 “${a.category}”, 考评 ${a.appraisal} 的类别为: ${categoryList(categories)}`,
        });
        return z.NEVER;
      }
      const mine = instruments.filter((i) => i.raterCategories.includes(def.id));
      const rated = new Set(mine.flatMap((i) => subjectsOf(i).map((s) => s.id)));
      const unknown = (a.subjects ?? []).filter((s) => !rated.has(s));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['subjects'],
          message: `${def.label}参与的测评中没有评价对象 ${unknown.join('、')} (可选: ${[...rated].join(', ') || '无'})`,
        });
        return z.NEVER;
      }
      const scope = scopeOf(a.subjects);
      // A targeted batch is its raters' anonymity set: its scope is in every token it buys.
      if (scope !== ALL_SUBJECTS && a.count < MIN_TARGETED_BATCH) {
        ctx.addIssue({
          code: 'custom',
          path: ['count'],
          message: `定点定向参与码每批至少 ${MIN_TARGETED_BATCH} 个: 令牌中带有评价范围, 批次太小时答卷可能被推断到个人`,
        });
        return z.NEVER;
      }
      const covered = mine.filter((i) => coversInstrument(i, scope));
      return { ...a, category: def.id, categoryLabel: def.label, scope, covered };
    });
}

const revokeSchema = z.object({
  batch: z
    .string({ error: '请用 --batch 指定要作废的批次 (见 npm run codes -- stats)' })
    .regex(BATCH_PATTERN, '批次号格式不正确'),
  remote: z.boolean().optional(),
  'persist-to': z.string().optional(),
});

const statsSchema = z.object({
  appraisal: z.string().optional(),
  remote: z.boolean().optional(),
  'persist-to': z.string().optional(),
});

/** Paths the user typed are relative to where they typed them (npm runs scripts in the project root). */
const userCwd = process.env.INIT_CWD ?? process.cwd();

function target(values: { remote?: boolean; 'persist-to'?: string }): Target {
  if (values.remote) {
    if (values['persist-to']) throw new UsageError('--persist-to 只用于本地 D1, 不能与 --remote 同用');
    return { remote: true };
  }
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

function pepper(remote: boolean): { value: string; source: string } {
  const env = process.env.CODE_PEPPER;
  if (remote && !env) {
    throw new UsageError(
      '使用 --remote 时必须在环境变量 CODE_PEPPER 中提供线上的密钥 (与 wrangler pages secret 中的相同), 否则线上无法验证这些参与码',
    );
  }
  const value = env ?? ensureDevVars(join(ROOT, '.dev.vars'), join(ROOT, '.dev.vars.example')).get('CODE_PEPPER');
  if (!value || value.length < 32) {
    throw new UsageError('CODE_PEPPER 过短: 至少 32 个字符 (例如 openssl rand -base64 32 的输出)');
  }
  return { value, source: env ? '环境变量 CODE_PEPPER' : '.dev.vars 中的 CODE_PEPPER' };
}

/** Runs a D1 step; turns D1's failure into one readable line (and the hint that matters most). */
async function d1<T>(what: string, t: Target, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const msg = d1Message(e);
    const hint = /no such table/i.test(msg) ? ' (数据库尚未迁移? 请先运行 npm run db:migrate)' : '';
    throw new RunError(`${what}失败 (${where(t)})${hint}:\n${msg}`);
  }
}

/** The target's D1 for `fn`; failing to open it is a RunError of its own, errors of `fn` pass as they are. */
async function open<T>(t: Target, fn: (db: Database) => Promise<T>): Promise<T> {
  let opened = false;
  try {
    return await withDb(t, (db) => {
      opened = true;
      return fn(db);
    });
  } catch (e) {
    if (opened) throw e;
    throw new RunError(`打开 ${where(t)} 失败:\n${d1Message(e)}`);
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} 秒`;

function slipPaths(csv: string, count: number, noSlips: boolean): string[] {
  if (noSlips) return [];
  const stem = csv.replace(/\.csv$/i, '');
  const parts = Math.ceil(count / SLIPS_PER_FILE);
  if (parts === 1) return [`${stem}.slips.html`];
  const width = Math.max(3, String(parts).length);
  return Array.from({ length: parts }, (_, i) => `${stem}.slips-${String(i + 1).padStart(width, '0')}.html`);
}

async function issue(argv: Record<string, unknown>) {
  const started = Date.now();
  const content = loadContent(join(ROOT, 'src/content'));
  const appraisals = new Map(content.catalog.appraisals.map((e) => [e.id, e.data.title]));
  const names = subjectNames(content.catalog);
  const parsed = issueSchema(content.catalog).safeParse(argv);
  if (!parsed.success) throw new UsageError(problemLines(parsed.error));
  const a = parsed.data;
  const remote = a.remote ?? false;
  const t = target(a);
  const publicOrigin = origin(a.origin, remote);
  const key = pepper(remote);
  const issuedOn = dayInChina(new Date());
  const batch = a.batch ?? newBatchId(a.appraisal, a.category, issuedOn);

  const csv = resolve(userCwd, a.out ?? `codes-${batch}.csv`);
  const slips = slipPaths(csv, a.count, a['no-slips'] ?? false);
  const files = [csv, ...slips];
  if (!existsSync(dirname(csv))) throw new UsageError(`--out: 目录不存在: ${dirname(csv)}`);
  const existing = files.filter((f) => existsSync(f) || existsSync(`${f}.partial`));
  if (existing.length > 0) {
    throw new UsageError(`不覆盖已有文件, 请换一个 --out 或先移走:\n  ${existing.join('\n  ')}`);
  }

  const { codes, written, keysNote } = await open(t, async (db) => {
    const before = await d1('检查批次', t, () => batchCount(db, batch));
    if (before.codes > 0) {
      throw new UsageError(`批次 “${batch}” 已存在 (${before.codes} 个参与码), 请换一个 --batch`);
    }

    const targeted = a.scope === ALL_SUBJECTS ? '' : ` · 定点定向: ${a.scope.split(',').map(names).join('、')}`;
    console.log(
      `发放 ${a.count.toLocaleString('en')} 个参与码: ${a.appraisal} · ${a.categoryLabel}${targeted} · 批次 ${batch} → ${where(t)}; 密钥取自 ${key.source}`,
    );
    const { codes, rows } = await issueCodes({
      appraisal: a.appraisal,
      category: a.category,
      count: a.count,
      batch,
      pepper: key.value,
      issuedOn,
      scope: a.scope,
      onProgress: progress('生成参与码并计算摘要'),
    });

    // Written under a temporary name and renamed only once D1 holds the batch:
    // a file of codes that do not work must never look finished.
    const written: { path: string; what: string }[] = [];
    const write = (path: string, data: string, what: string) => {
      writeFileSync(`${path}.partial`, data, { mode: 0o600, flag: 'wx' });
      written.push({ path, what });
    };
    const discard = () => {
      for (const f of written) rmSync(`${f.path}.partial`, { force: true });
    };
    // Ctrl+C while D1 is written: leave no file of codes behind (a batch in flight is one transaction: whole or none).
    const interrupted = () => {
      discard();
      console.error(`\n已中断: 未保留任何文件。批次 “${batch}” 可能已部分写入, 请用 revoke --batch ${batch} 作废`);
      process.exit(130);
    };
    process.once('SIGINT', interrupted);
    try {
      write(
        csv,
        `\uFEFF${stringify(
          codes.map((c) => [c, a.category, a.appraisal, batch, a.scope]),
          {
            header: true,
            columns: ['code', 'raterCategory', 'appraisal', 'batch', 'subjects'],
            record_delimiter: 'windows',
          },
        )}`,
        `${codes.length} 行`,
      );
      const step = progress('写参与码条');
      for (let i = 0; i < slips.length; i++) {
        const part = codes.slice(i * SLIPS_PER_FILE, (i + 1) * SLIPS_PER_FILE);
        write(
          slips[i] as string,
          renderSlips({
            appraisalTitle: appraisals.get(a.appraisal) as string,
            category: a.categoryLabel,
            subjects: a.scope === ALL_SUBJECTS ? [] : a.scope.split(',').map(names),
            batch,
            origin: publicOrigin,
            codes: part,
            part: i + 1,
            parts: slips.length,
          }),
          `${part.length} 张`,
        );
        step(Math.min(codes.length, (i + 1) * SLIPS_PER_FILE), codes.length);
      }

      const d1Started = Date.now();
      await d1('写入参与码摘要', t, () =>
        insertCodes(db, rows, {
          onBatch: (i, n) => process.stderr.write(`写入 ${where(t)} ${n > 1 ? `(${i}/${n}) ` : ''}…\n`),
        }),
      );
      const after = await d1('回读批次', t, () => batchCount(db, batch));
      if (after.codes !== codes.length) {
        throw new RunError(`回读批次 “${batch}” 得到 ${after.codes} 条, 应为 ${codes.length} 条`);
      }
      process.stderr.write(`写入 D1 用时 ${seconds(Date.now() - d1Started)}\n`);
    } catch (e) {
      discard();
      try {
        await deleteBatch(db, batch);
      } catch {
        // The batch may never have reached D1; the error below is the one that matters.
      }
      throw new RunError(
        `${(e as Error).message}\n未保留任何文件; 批次 “${batch}” 已从 ${where(t)} 删除 (若删除失败, 可用 revoke --batch ${batch} 作废)`,
      );
    }
    process.off('SIGINT', interrupted);
    // A targeted batch's tokens need keys of their own (the key vouches for the subjects): make them now.
    let keysNote = '';
    if (a.scope !== ALL_SUBJECTS) {
      const secret = process.env.TOKEN_KEY_SECRET ?? (remote ? undefined : ensureDevVars().get('TOKEN_KEY_SECRET'));
      const slots = keySlots({ ...runtimeCatalog(content.catalog), instruments: a.covered }, a.appraisal, [
        { raterCategory: a.category, scope: a.scope },
      ]).filter((s) => s.scope === a.scope);
      if (!secret || secret.length < 32) {
        keysNote = `\n注意: 未生成本批次评价范围的签名密钥 (缺少 TOKEN_KEY_SECRET); 请在测评开始前运行 npm run token-keys -- create --appraisal ${a.appraisal}${remote ? ' --remote' : ''}`;
      } else {
        const made = await d1('生成签名密钥', t, () => ensureTokenKeys(db, secret, slots));
        keysNote = `\n签名密钥: 为 ${slots.map((s) => s.instrument).join('、')} 的这一评价范围新生成 ${made.length} 对 (已有 ${slots.length - made.length} 对)`;
      }
    }
    return { codes, written, keysNote };
  });
  for (const f of written) renameSync(`${f.path}.partial`, f.path);

  const describe = (f: { path: string; what: string }) =>
    `  ${relative(userCwd, f.path)}  (${f.what}, ${mb(statSync(f.path).size)})`;
  const listed =
    written.length > 6
      ? [...written.slice(0, 3).map(describe), `  … (共 ${written.length} 个文件)`, ...written.slice(-2).map(describe)]
      : written.map(describe);
  console.log(`${where(t)} 已保存本批次 ${codes.length} 个参与码的 HMAC-SHA256 摘要 (不含明文)。
已写入 (权限 0600, 仅本机当前用户可读):
${listed.join('\n')}
参与码条网址: ${publicOrigin}/participate/ (二维码把参与码放在 # 之后, 不会发送到服务器)
提醒: 明文参与码只存在于以上文件中, 无法再次导出。打印分发后请安全删除 (如 shred -u), 切勿提交到代码库或通过聊天工具传送。
丢失或泄露时作废本批次: npm run codes -- revoke --batch ${batch}${remote ? ' --remote' : ''}${keysNote}
用时 ${seconds(Date.now() - started)}`);
}

async function revoke(argv: Record<string, unknown>) {
  const parsed = revokeSchema.safeParse(argv);
  if (!parsed.success) throw new UsageError(problemLines(parsed.error));
  const { batch } = parsed.data;
  const t = target(parsed.data);
  const today = dayInChina(new Date());
  // One batch: the batch before, the update, and the batch read back after it.
  const { before, after } = await open(t, (db) => d1('作废批次', t, () => revokeBatch(db, batch, today)));
  if (after.codes === 0) {
    throw new UsageError(`批次 “${batch}” 不存在 (${where(t)}); 已有批次见 npm run codes -- stats`);
  }
  console.log(
    `批次 ${batch} (${where(t)}): 本次作废 ${after.revoked - before.revoked} 个; 该批次共 ${after.codes} 个参与码, 现已作废 ${after.revoked} 个`,
  );
}

/** Display width in a terminal: CJK characters take two columns. */
const width = (s: string) => [...s].reduce((n, c) => n + ((c.codePointAt(0) ?? 0) >= 0x2e80 ? 2 : 1), 0);

function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => width(r[i] ?? ''))));
  const numeric = head.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const line = (r: string[]) =>
    r
      .map((c, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - width(c));
        return numeric[i] ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}

/** A subject id as people read it (a unit's or an official's name). */
function subjectNames(catalog: Catalog): (id: string) => string {
  const names = new Map<string, string>([
    ...catalog.units.map((e) => [e.id, e.data.name] as [string, string]),
    ...catalog.officials.map((e) => [e.id, e.data.name] as [string, string]),
  ]);
  return (id) => names.get(id) ?? id;
}

/** Category labels of every appraisal (ids are shared across years where the content reuses them). */
function categoryLabels(catalog: Catalog): (category: string) => string {
  const labels = new Map(catalog.appraisals.flatMap((e) => e.data.raterCategories.map((c) => [c.id, c.label])));
  return (category) => labels.get(category) ?? category;
}

async function stats(argv: Record<string, unknown>) {
  const parsed = statsSchema.safeParse(argv);
  if (!parsed.success) throw new UsageError(problemLines(parsed.error));
  const t = target(parsed.data);
  const label = categoryLabels(loadContent(join(ROOT, 'src/content')).catalog);
  const { batches, redeemed } = await open(t, (db) => d1('读取统计', t, () => codeStats(db, parsed.data.appraisal)));
  const scope = parsed.data.appraisal ? `考评 ${parsed.data.appraisal}` : '全部考评';
  console.log(`参与码统计 · ${scope} · ${where(t)}\n`);
  if (batches.length === 0) {
    console.log('尚未发放参与码。');
    return;
  }
  const total = batches.reduce((n, b) => n + b.issued, 0);
  const revoked = batches.reduce((n, b) => n + b.revoked, 0);
  console.log(
    table(
      ['考评', '评议主体', '批次', '发放日期', '已发放', '已作废', '有效'],
      [
        ...batches.map((b) => [
          b.appraisal,
          label(b.raterCategory),
          b.batch,
          b.issuedOn,
          b.issued,
          b.revoked,
          b.issued - b.revoked,
        ]),
        ['合计', '', '', '', total, revoked, total - revoked],
      ],
    ),
  );
  console.log('\n已使用 (按测评; 同一参与码可参与多项测评, 每项各计一次):\n');
  if (redeemed.length === 0) console.log('尚无参与码被使用。');
  else {
    const issuedBy = new Map<string, number>();
    for (const b of batches) issuedBy.set(b.raterCategory, (issuedBy.get(b.raterCategory) ?? 0) + b.issued);
    console.log(
      table(
        ['测评', '评议主体', '已使用', '占已发放'],
        redeemed.map((r) => [
          r.instrument,
          label(r.raterCategory),
          r.redeemed,
          `${((r.redeemed / (issuedBy.get(r.raterCategory) ?? r.redeemed)) * 100).toFixed(1)}%`,
        ]),
      ),
    );
  }
}

/** The subjects of an appraisal's published result: its entries, else the subjects of its tallies snapshot. */
function resultSubjects(c: Catalog, appraisal: string): { kind: (typeof subjectKinds)[number]; id: string }[] {
  const result = c.results.find((r) => r.data.appraisal === appraisal)?.data;
  const snapshot = c.snapshots.find((s) => s.data.appraisal === appraisal)?.data;
  const list = result
    ? result.entries.map((e) => e.subject)
    : (snapshot?.instruments.flatMap((i) => i.subjects.map((s) => s.subject)) ?? []);
  const seen = new Map(list.map((s) => [`${s.kind}:${s.id}`, s]));
  return [...seen.values()];
}

function objectionSchema(c: Catalog) {
  const appraisals = new Map(c.appraisals.map((e) => [e.id, e.data]));
  const known = [...appraisals.keys()].join(', ');
  return z.object({
    appraisal: z
      .string({ error: `请用 --appraisal 指定考评 (可选: ${known})` })
      .refine((id) => appraisals.has(id), { error: (i) => `未知的考评 “${i.input}” (可选: ${known})` }),
    subject: z
      .array(
        z
          .string()
          .regex(
            new RegExp(`^(${subjectKinds.join('|')}):[a-z0-9][a-z0-9-]{0,63}$`),
            '--subject 格式为 类型:编号, 类型为 unit、group 或 official (如 unit:czj)',
          ),
      )
      .optional(),
    out: z.string().min(1, '--out 不能为空').optional(),
    remote: z.boolean().optional(),
    'persist-to': z.string().optional(),
  });
}

async function objection(argv: Record<string, unknown>) {
  const content = loadContent(join(ROOT, 'src/content')).catalog;
  const parsed = objectionSchema(content).safeParse(argv);
  if (!parsed.success) throw new UsageError(problemLines(parsed.error));
  const a = parsed.data;
  const appraisal = content.appraisals.find((e) => e.id === a.appraisal)?.data;
  const published = resultsPublishedOn(
    content.results.find((r) => r.data.appraisal === a.appraisal)?.data,
    content.snapshots.find((s) => s.data.appraisal === a.appraisal)?.data,
  );
  if (!appraisal || !published) {
    throw new UsageError(`考评 “${a.appraisal}” 尚未公布结果 (src/content/results/ 或 snapshots/), 无需申诉凭证`);
  }
  const inResult = resultSubjects(content, a.appraisal);
  const units = new Map(content.units.map((u) => [u.id, u.data]));
  const officials = new Map(content.officials.map((o) => [o.id, o.data]));
  const wanted = a.subject
    ? a.subject.map((s) => {
        const [kind, id] = s.split(':') as [(typeof subjectKinds)[number], string];
        return { kind, id };
      })
    : inResult;
  for (const s of wanted) {
    const exists = s.kind === 'official' ? officials.has(s.id) : units.has(s.id);
    if (!exists) throw new UsageError(`--subject: 未知的考核对象 ${s.kind}:${s.id}`);
  }
  if (wanted.length === 0) throw new UsageError('该考评的结果中没有考核对象; 请用 --subject 指定');
  const t = target(a);
  const key = pepper(a.remote ?? false);
  const issuedOn = dayInChina(new Date());
  const csv = resolve(userCwd, a.out ?? `objection-credentials-${a.appraisal}-${issuedOn.replace(/-/g, '')}.csv`);
  if (!existsSync(dirname(csv))) throw new UsageError(`--out: 目录不存在: ${dirname(csv)}`);
  if (existsSync(csv) || existsSync(`${csv}.partial`)) {
    throw new UsageError(`不覆盖已有文件, 请换一个 --out 或先移走:\n  ${csv}`);
  }
  const unitOf = (s: { kind: string; id: string }) =>
    s.kind === 'official' ? (officials.get(s.id)?.unit ?? s.id) : s.id;
  const nameOf = (s: { kind: string; id: string }) =>
    s.kind === 'official'
      ? (officials.get(s.id)?.name ?? s.id)
      : `${units.get(s.id)?.name ?? s.id}${s.kind === 'group' ? '领导班子' : ''}`;
  const issued = await Promise.all(
    wanted.map(async (s) => {
      const credential = generateCredential();
      return { s, credential, hash: await hashCredential(key.value, credential) };
    }),
  );
  const window = objectionWindowOf({ resultsOn: published, objection: appraisal.objection });
  // Written under a temporary name and renamed once D1 holds the hashes: a file of credentials that do not work must never look finished.
  writeFileSync(
    `${csv}.partial`,
    `\uFEFF${stringify(
      issued.map((x) => [a.appraisal, x.s.kind, x.s.id, nameOf(x.s), x.credential]),
      {
        header: true,
        columns: ['appraisal', 'subjectKind', 'subjectId', 'subjectName', 'credential'],
        record_delimiter: 'windows',
      },
    )}`,
    { mode: 0o600, flag: 'wx' },
  );
  try {
    await open(t, (db) =>
      d1('写入申诉凭证摘要', t, () =>
        issueObjectionCredentials(
          db,
          issued.map((x) => ({
            hash: x.hash,
            appraisal: a.appraisal,
            subjectKind: x.s.kind,
            subjectId: x.s.id,
            unit: unitOf(x.s),
            issuedOn,
          })),
        ),
      ),
    );
  } catch (e) {
    rmSync(`${csv}.partial`, { force: true });
    throw e;
  }
  renameSync(`${csv}.partial`, csv);
  console.log(`${where(t)} 已保存 ${issued.length} 个申诉凭证的 HMAC-SHA256 摘要 (不含明文); 同一对象此前的凭证已作废。
申诉期: ${window?.start} 至 ${window?.end} (结果公布之日起 ${appraisal.objection.days} 日)
已写入 (权限 0600): ${relative(userCwd, csv)}
请将凭证以书面通知分别送达各被考核单位 (本人), 送达后安全删除本文件; 申诉凭证不能用作参与码。`);
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(argv, OPTIONS);
    const [command, ...extra] = positionals;
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (!command) throw new UsageError('请指定命令: issue、revoke、stats 或 objection');
    const allowed = COMMAND_OPTIONS[command];
    if (!allowed) throw new UsageError(`未知的命令 “${command}” (可用: issue、revoke、stats、objection)`);
    if (extra.length > 0) throw new UsageError(`多余的参数: ${extra.join(' ')}`);
    const wrong = Object.keys(values).filter((k) => !allowed.includes(k as OptionName));
    if (wrong.length > 0) throw new UsageError(`${command} 不接受选项 ${wrong.map((k) => `--${k}`).join(', ')}`);
    process.chdir(ROOT);
    if (command === 'issue') await issue(values);
    else if (command === 'revoke') await revoke(values);
    else if (command === 'objection') await objection(values);
    else await stats(values);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`错误: ${e.message}\n(npm run codes -- --help 查看用法)`);
      return 2;
    }
    console.error(`错误: ${e instanceof RunError ? e.message : (e as Error).stack}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
