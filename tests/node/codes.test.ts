// `npm run codes` end to end against a throwaway local D1: the plain codes
// exist only in the CSV and the slips, D1 holds exactly their keyed hashes,
// the QR code on a slip opens the participation page with the code in the
// fragment, and bad input writes nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import decodeQR from 'qr/decode.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { d1Migrate, type Target } from '../../scripts/lib/wrangler';
import { codeProblem, hashCode, hmacHex, normaliseCrockford } from '../../src/domain/code';
import { launch } from '../support/browser';
import { sqlAll, sqlRun } from '../support/d1';

const ROOT = resolve(import.meta.dirname, '../..');
const PEPPER = 'test-pepper-0123456789abcdefghijklmnopqrstuvwxyz';
const ORIGIN = 'https://kaoping.example.org';
const state = mkdtempSync(join(tmpdir(), 'kaoping-codes-d1-'));
const target: Target = { remote: false, persistTo: state };

/** Runs the CLI as `npm run codes` would, in the project root, as if typed in `cwd`. */
function codes(args: string[], opts: { cwd: string; env?: Record<string, string | undefined> }) {
  const env: Record<string, string | undefined> = {
    ...process.env,
    CODE_PEPPER: PEPPER,
    KAOPING_PERSIST: state,
    INIT_CWD: opts.cwd,
    PUBLIC_ORIGIN: undefined,
    ...opts.env,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/codes.ts', ...args], {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
  });
}

const made: string[] = [state];
/** An empty directory to run the CLI in; removed after the run, since it holds plain codes. */
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kaoping-codes-out-'));
  made.push(dir);
  return dir;
};
const countRows = async (batch?: string) =>
  (batch === undefined
    ? await sqlAll<{ n: number }>(target, 'SELECT COUNT(*) AS n FROM codes')
    : await sqlAll<{ n: number }>(target, 'SELECT COUNT(*) AS n FROM codes WHERE batch = ?1', batch))[0]?.n;

function readCsv(path: string) {
  const text = readFileSync(path, 'utf8');
  const lines = text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  return { text, header: lines[0], rows: lines.slice(1).map((l) => l.split(',')) };
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

beforeAll(() => {
  d1Migrate(target);
}, 120_000);

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('npm run codes -- issue', () => {
  const out = newDir();
  const batch = 'test-npc-1';
  const csvPath = join(out, 'npc.csv');
  let codeList: string[] = [];

  beforeAll(() => {
    const r = codes(
      ['issue', '--appraisal', 'county-2026', '--category', 'npc_deputy', '--count', '1001', '--out', 'npc.csv'].concat(
        ['--batch', batch, '--origin', ORIGIN],
      ),
      { cwd: out },
    );
    expect(r.stderr).not.toMatch(/错误/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/明文参与码只存在于以上文件中/);
    codeList = readCsv(csvPath).rows.map((row) => row[0] as string);
  }, 120_000);

  it('writes a CSV with a BOM, the header, and N distinct valid codes', () => {
    const { text, header, rows } = readCsv(csvPath);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(header).toBe('code,raterCategory,appraisal,batch,subjects');
    expect(rows).toHaveLength(1001);
    for (const row of rows) {
      expect(codeProblem(row[0] as string)).toBeNull();
      expect(row[0]).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
      expect(row.slice(1)).toEqual(['npc_deputy', 'county-2026', batch, '*']);
    }
    expect(new Set(codeList).size).toBe(1001);
  });

  it('splits the slips into files of at most 1,000, each code on exactly one slip, all files 0600', () => {
    const slips = ['npc.slips-001.html', 'npc.slips-002.html'].map((f) => join(out, f));
    expect(readdirSync(out).sort()).toEqual(['npc.csv', 'npc.slips-001.html', 'npc.slips-002.html']);
    const html = slips.map((f) => readFileSync(f, 'utf8'));
    expect(html.map((h) => h.match(/<svg class="qr"/g)?.length)).toEqual([1000, 1]);
    const all = html.join('\n');
    const onSlips = [...all.matchAll(/<span class="value">([^<]*)<\/span>/g)].map((m) => m[1]);
    expect(onSlips).toEqual(codeList);
    // Checked as booleans: a failing toContain would print 3 MB of HTML.
    for (const h of html) {
      expect(h.includes('<p class="title">2026年度澄川县领导班子和领导干部考核暨机关绩效考评</p>')).toBe(true);
      expect(h.includes('评议主体: <strong>人大代表</strong>')).toBe(true);
      expect(h.includes(`<span class="url">${ORIGIN}/<wbr>participate/</span>`)).toBe(true);
      // Self-contained: nothing to fetch, so nothing leaks when it is opened or printed.
      expect(/<script|<link|src=|url\(|@import/i.exec(h)?.[0]).toBeUndefined();
    }
    for (const f of [csvPath, ...slips]) expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  it('stores exactly HMAC-SHA256(pepper, code) for each code, with appraisal, category and batch', async () => {
    const rows = await sqlAll<Record<string, string | null>>(
      target,
      'SELECT hash, appraisal, rater_category, batch, issued_on, revoked_on FROM codes WHERE batch = ?1',
      batch,
    );
    expect(rows).toHaveLength(1001);
    const expected = new Set(await Promise.all(codeList.map((c) => hashCode(PEPPER, c))));
    expect(new Set(rows.map((r) => r.hash))).toEqual(expected);
    for (const r of rows) {
      expect(r).toMatchObject({ appraisal: 'county-2026', rater_category: 'npc_deputy', batch, revoked_on: null });
      expect(r.issued_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  }, 120_000);

  it('leaves no plain code anywhere in the D1 files', async () => {
    const files = allFiles(state);
    expect(files.some((f) => /\.sqlite$/.test(f))).toBe(true);
    const bytes = files.map((f) => readFileSync(f));
    const someHash = (await sqlAll<{ hash: string }>(target, 'SELECT hash FROM codes LIMIT 1'))[0]?.hash as string;
    // The search itself works: a stored hash is found.
    expect(bytes.some((b) => b.includes(someHash))).toBe(true);
    for (const c of [codeList[0], codeList[500], codeList[1000]] as string[]) {
      for (const form of [c, normaliseCrockford(c), c.toLowerCase(), normaliseCrockford(c).toLowerCase()]) {
        expect(bytes.some((b) => b.includes(form))).toBe(false);
      }
    }
  }, 120_000);

  it('prints QR codes that open the participation page with the code in the URL fragment', async () => {
    const html = readFileSync(join(out, 'npc.slips-001.html'), 'utf8');
    const svgs = html.match(/<svg class="qr"[\s\S]*?<\/svg>/g) ?? [];
    const ctx = await launch();
    try {
      const page = await ctx.newPage();
      for (const i of [0, 1, 999]) {
        const { width, height, data } = await page.evaluate(async (svg) => {
          const img = new Image();
          img.src = `data:image/svg+xml,${encodeURIComponent(svg)}`;
          await img.decode();
          const canvas = document.createElement('canvas');
          canvas.width = canvas.height = 400;
          const g = canvas.getContext('2d') as CanvasRenderingContext2D;
          g.drawImage(img, 0, 0, 400, 400);
          return { width: 400, height: 400, data: [...g.getImageData(0, 0, 400, 400).data] };
        }, svgs[i] as string);
        const url = decodeQR({ width, height, data: Uint8Array.from(data) });
        expect(url).toBe(`${ORIGIN}/participate/#code=${codeList[i]}`);
      }
    } finally {
      await ctx.close();
    }
  }, 120_000);

  it('lays out 10 slips a page for print, none of them clipped', async () => {
    const ctx = await launch();
    try {
      const page = await ctx.newPage();
      await page.goto(`file://${join(out, 'npc.slips-001.html')}`);
      await page.emulateMedia({ media: 'print' });
      const layout = await page.evaluate(() => ({
        pages: document.querySelectorAll('.page').length,
        slips: document.querySelectorAll('.page:first-of-type .slip').length,
        header: getComputedStyle(document.querySelector('header') as Element).display,
        clipped: [...document.querySelectorAll<HTMLElement>('.slip')].filter(
          (s) => s.scrollHeight > s.clientHeight + 1 || s.scrollWidth > s.clientWidth + 1,
        ).length,
      }));
      expect(layout).toEqual({ pages: 100, slips: 10, header: 'none', clipped: 0 });
    } finally {
      await ctx.close();
    }
  }, 120_000);

  it('names the files after a generated batch by default and can skip the slips', async () => {
    const dir = newDir();
    const r = codes(['issue', '--appraisal', 'county-2026', '--category', '党代表', '--count', '3', '--no-slips'], {
      cwd: dir,
    });
    expect(r.status).toBe(0);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const m = /^codes-(county-2026-party-deputy-\d{8}-[0-9a-z]{4})\.csv$/.exec(files[0] as string);
    expect(m).not.toBeNull();
    expect(readCsv(join(dir, files[0] as string)).rows.map((row) => row[3])).toEqual(Array(3).fill(m?.[1]));
    expect(await countRows(m?.[1])).toBe(3);
  }, 120_000);

  it('issues a targeted batch (定点定向): the subjects in the CSV, on the slips and in D1, with a key per scope', async () => {
    const dir = newDir();
    const r = codes(
      // 一般干部 of two units (an internal ballot), so the service recipients' figures below stay as they are.
      ['issue', '--appraisal', 'county-2026', '--category', '一般干部', '--count', '5', '--subjects', 'czj,fgj'],
      { cwd: dir },
    );
    expect(r.status, r.stderr).toBe(0);
    const csv = readdirSync(dir).find((f) => f.endsWith('.csv')) as string;
    const { text, rows } = readCsv(join(dir, csv));
    expect(rows).toHaveLength(5);
    // The subjects are one CSV field, quoted because of its comma.
    expect(
      text
        .trim()
        .split('\r\n')
        .slice(1)
        .every((l) => l.endsWith(',"czj,fgj"')),
    ).toBe(true);
    const slips = readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.html')) as string), 'utf8');
    expect(slips).toContain('评价对象');
    expect(slips).toContain('澄川县财政局');
    const batchId = rows[0]?.[3] as string;
    const stored = await sqlAll<{ scope: string }>(
      target,
      `SELECT DISTINCT scope FROM codes WHERE batch = '${batchId}'`,
    );
    expect(stored).toEqual([{ scope: 'czj,fgj' }]);
    const keys = await sqlAll<{ instrument: string }>(
      target,
      "SELECT instrument FROM token_keys WHERE rater_category = 'staff' AND scope = 'czj,fgj'",
    );
    expect(keys.map((k) => k.instrument)).toEqual(['ballot-internal-2026']);
  }, 120_000);

  it('refuses a subject the category does not rate, and a targeted batch under 5 codes', async () => {
    const before = await countRows();
    const nowhere = codes(
      ['issue', '--appraisal', 'county-2026', '--category', 'service_recipient', '--count', '5', '--subjects', 'nope'],
      { cwd: newDir() },
    );
    expect(nowhere.status).toBe(2);
    expect(nowhere.stderr).toMatch(/没有评价对象 nope/);
    const small = codes(
      ['issue', '--appraisal', 'county-2026', '--category', 'service_recipient', '--count', '4', '--subjects', 'czj'],
      { cwd: newDir() },
    );
    expect(small.status).toBe(2);
    expect(small.stderr).toMatch(/每批至少 5 个/);
    expect(await countRows()).toBe(before);
  }, 120_000);

  it('refuses an existing batch or an existing file, and writes nothing', async () => {
    const dir = newDir();
    const before = await countRows();
    const again = codes(
      ['issue', '--appraisal', 'county-2026', '--category', 'npc_deputy', '--count', '5', '--batch', batch],
      { cwd: dir },
    );
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(new RegExp(`批次 “${batch}” 已存在`));
    const clash = codes(
      ['issue', '--appraisal', 'county-2026', '--category', 'npc_deputy', '--count', '5', '--out', csvPath],
      { cwd: dir },
    );
    expect(clash.status).toBe(2);
    expect(clash.stderr).toMatch(/不覆盖已有文件/);
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(out)).toHaveLength(3);
    expect(await countRows()).toBe(before);
  }, 120_000);
});

describe('npm run codes -- issue, when D1 fails half-way', () => {
  it('keeps no file and no row of the batch', async () => {
    // Row 451 of the batch is refused, after 450 went in.
    await sqlRun(target, [
      `CREATE TRIGGER test_boom BEFORE INSERT ON codes
       WHEN NEW.batch = 'test-boom' AND (SELECT COUNT(*) FROM codes WHERE batch = 'test-boom') >= 450
       BEGIN SELECT RAISE(ABORT, 'test_boom'); END;`,
    ]);
    try {
      const dir = newDir();
      const r = codes(
        ['issue', '--appraisal', 'county-2026', '--category', 'masses_rep', '--count', '900', '--batch', 'test-boom'],
        { cwd: dir },
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/写入参与码摘要失败[\s\S]*test_boom[\s\S]*未保留任何文件/);
      expect(readdirSync(dir)).toEqual([]);
      expect(await countRows('test-boom')).toBe(0);
    } finally {
      await sqlRun(target, ['DROP TRIGGER test_boom']);
    }
  }, 120_000);
});

describe('npm run codes: bad arguments', () => {
  const cases: [string, string[], RegExp, Record<string, string | undefined>?][] = [
    [
      'an unknown appraisal',
      ['--appraisal', 'county-1999', '--category', 'npc_deputy', '--count', '5'],
      /未知的考评 “county-1999”/,
    ],
    [
      'the public category',
      ['--appraisal', 'county-2026', '--category', 'public', '--count', '5'],
      /未知的评议主体类别 “public”/,
    ],
    ['a count of 0', ['--appraisal', 'county-2026', '--category', 'npc_deputy', '--count', '0'], /数量至少为 1/],
    [
      'a count over 1,000,000',
      ['--appraisal', 'county-2026', '--category', 'npc_deputy', '--count', '1000001'],
      /数量至多为 1,000,000/,
    ],
    [
      'a count that is not a number',
      ['--appraisal', 'county-2026', '--category', 'npc_deputy', '--count', 'ten'],
      /数量须为整数/,
    ],
    ['a missing count', ['--appraisal', 'county-2026', '--category', 'npc_deputy'], /请用 --count 指定数量/],
    ['an unknown option', ['--appraisal', 'county-2026', '--colour', 'red'], /未知的选项 --colour/],
    [
      'a batch id with a quote',
      ['--appraisal', 'county-2026', '--category', 'npc_deputy', '--count', '5', '--batch', "x'y"],
      /批次号只能包含/,
    ],
    [
      'an origin with a path',
      ['--appraisal', 'county-2026', '--category', 'npc_deputy', '--count', '5', '--origin', 'https://a.example/x'],
      /不带路径/,
    ],
    [
      '--remote without CODE_PEPPER in the environment',
      ['--appraisal', 'county-2026', '--category', 'npc_deputy', '--count', '5', '--remote', '--origin', ORIGIN],
      /使用 --remote 时必须在环境变量 CODE_PEPPER/,
      { CODE_PEPPER: undefined },
    ],
    [
      '--remote with a local origin',
      ['--appraisal', 'county-2026', '--category', 'npc_deputy', '--count', '5', '--remote'],
      /线上参与码条须印正式网址/,
    ],
    [
      'a short pepper',
      ['--appraisal', 'county-2026', '--category', 'npc_deputy', '--count', '5'],
      /CODE_PEPPER 过短/,
      { CODE_PEPPER: 'short' },
    ],
  ];
  let before: number | undefined;
  beforeAll(async () => {
    before = await countRows();
  }, 60_000);

  it.each(cases)('refuses %s with a clear message and writes nothing', (_name, args, message, env) => {
    const dir = newDir();
    const r = codes(['issue', ...args], { cwd: dir, env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses an unknown command and options of another command', () => {
    const dir = newDir();
    expect(codes(['print'], { cwd: dir }).stderr).toMatch(/未知的命令 “print”/);
    const r = codes(['revoke', '--batch', 'x', '--count', '5'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/revoke 不接受选项 --count/);
  });

  it('stored nothing for any of them', async () => {
    expect(await countRows()).toBe(before);
  }, 120_000);

  it('prints help with --help', () => {
    const r = codes(['--help'], { cwd: newDir() });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/npm run codes -- issue --appraisal ID --category 类别 --count N/);
  });
});

describe('npm run codes -- revoke and stats', () => {
  const batch = 'test-sr-1';
  let hashes: string[] = [];

  beforeAll(async () => {
    const dir = newDir();
    const r = codes(
      ['issue', '--appraisal', 'county-2026', '--category', 'service_recipient', '--count', '20', '--batch', batch],
      { cwd: dir },
    );
    expect(r.status).toBe(0);
    const list = readCsv(join(dir, `codes-${batch}.csv`)).rows.map((row) => row[0] as string);
    hashes = await Promise.all(list.map((c) => hashCode(PEPPER, c)));
    // Three codes answered one instrument, one of them another too; and a
    // batch of another appraisal that neither stats --appraisal nor revoke may touch.
    const redeem = 'INSERT INTO redemptions (code_hash, instrument) VALUES (?1, ?2)';
    await sqlRun(
      target,
      ...Array.from({ length: 5 }, (_, i): [string, string] => [
        "INSERT INTO codes (hash, appraisal, rater_category, batch, issued_on) VALUES (?1, 'county-2025', 'masses_rep', 'test-other', '2025-11-20')",
        `other-${i}`,
      ]),
      ...hashes.slice(0, 3).map((h): [string, string, string] => [redeem, h, 'rating-units-2026']),
      [redeem, hashes[0] as string, 'vote-service-2026'],
    );
  }, 120_000);

  it('stats prints issued, revoked and per-instrument use, and no hash', () => {
    const r = codes(['stats', '--appraisal', 'county-2026'], { cwd: newDir() });
    expect(r.status).toBe(0);
    const line = (re: RegExp) => r.stdout.split('\n').find((l) => re.test(l)) ?? '';
    expect(line(new RegExp(batch))).toMatch(/服务对象\s+test-sr-1\s+\d{4}-\d{2}-\d{2}\s+20\s+0\s+20$/);
    expect(line(/test-other/)).toBe('');
    expect(line(/rating-units-2026/)).toMatch(/rating-units-2026\s+服务对象\s+3\s+15\.0%$/);
    expect(line(/vote-service-2026/)).toMatch(/vote-service-2026\s+服务对象\s+1\s+5\.0%$/);
    expect(r.stdout).not.toMatch(/[0-9a-f]{64}/);
    const all = codes(['stats'], { cwd: newDir() }).stdout.split('\n');
    expect(all.find((l) => l.includes('test-other'))).toMatch(
      /county-2025\s+群众代表\s+test-other\s+2025-11-20\s+5\s+0\s+5$/,
    );
    expect(codes(['stats', '--appraisal', 'county-1999'], { cwd: newDir() }).stdout).toMatch(/尚未发放参与码/);
  }, 120_000);

  it('revoke marks the whole batch, and only it, and reads the count back', async () => {
    const r = codes(['revoke', '--batch', batch], { cwd: newDir() });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/本次作废 20 个; 该批次共 20 个参与码, 现已作废 20 个/);
    const rows = await sqlAll<{ batch: string; n: number; revoked: number; dated: number }>(
      target,
      `SELECT batch, COUNT(*) AS n, SUM(revoked_on IS NOT NULL) AS revoked,
         SUM(COALESCE(revoked_on, '') GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]') AS dated
       FROM codes WHERE batch IN (?1, 'test-other') GROUP BY batch ORDER BY batch`,
      batch,
    );
    expect(rows).toEqual([
      { batch: 'test-other', n: 5, revoked: 0, dated: 0 },
      { batch, n: 20, revoked: 20, dated: 20 },
    ]);
    expect(codes(['revoke', '--batch', batch], { cwd: newDir() }).stdout).toMatch(/本次作废 0 个/);
  }, 120_000);

  it('revoke refuses an unknown batch', () => {
    const r = codes(['revoke', '--batch', 'no-such-batch'], { cwd: newDir() });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/批次 “no-such-batch” 不存在/);
  }, 120_000);
});

describe('npm run codes -- objection', () => {
  it('issues one credential per subject, stores only its labelled hash, and revokes the old one on reissue', async () => {
    const out = newDir();
    const args = ['objection', '--appraisal', 'county-2025', '--subject', 'unit:czj', '--subject', 'unit:fgj'];
    const r = codes([...args, '--out', 'cred.csv'], { cwd: out });
    expect(r.stderr).not.toMatch(/错误/);
    expect(r.status).toBe(0);
    expect(statSync(join(out, 'cred.csv')).mode & 0o777).toBe(0o600);
    const { header, rows } = readCsv(join(out, 'cred.csv'));
    expect(header).toBe('appraisal,subjectKind,subjectId,subjectName,credential');
    expect(rows.map((x) => x[2])).toEqual(['czj', 'fgj']);
    const first = rows.map((x) => x[4] as string);
    for (const c of first) expect(c).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
    // Stored under "objection:" ‖ credential, never as a participation code would be.
    const stored = await sqlAll<{ hash: string; subject_id: string; revoked_on: string | null }>(
      target,
      "SELECT hash, subject_id, revoked_on FROM objection_credentials WHERE appraisal = 'county-2025' ORDER BY subject_id",
    );
    expect(stored.map((s) => s.hash).sort()).toEqual(
      (await Promise.all(first.map((c) => hmacHex(PEPPER, `objection:${normaliseCrockford(c)}`)))).sort(),
    );
    for (const c of first) {
      const asCode = await hashCode(PEPPER, c);
      expect(stored.some((s) => s.hash === asCode)).toBe(false);
    }
    // Reissue for one subject: the old credential is revoked, the other untouched.
    const again = codes([...args.slice(0, 3), '--subject', 'unit:czj', '--out', 'cred2.csv'], { cwd: out });
    expect(again.status).toBe(0);
    const after = await sqlAll<{ subject_id: string; revoked: number }>(
      target,
      "SELECT subject_id, COUNT(revoked_on) AS revoked FROM objection_credentials WHERE appraisal = 'county-2025' GROUP BY subject_id ORDER BY subject_id",
    );
    expect(after).toEqual([
      { subject_id: 'czj', revoked: 1 },
      { subject_id: 'fgj', revoked: 0 },
    ]);
  }, 120_000);

  it('refuses an unknown appraisal and an unknown subject, writing nothing', async () => {
    const before = (await sqlAll<{ n: number }>(target, 'SELECT COUNT(*) AS n FROM objection_credentials'))[0]?.n;
    const dir = newDir();
    const unpublished = codes(['objection', '--appraisal', 'county-2027'], { cwd: dir });
    expect(unpublished.status).toBe(2);
    expect(unpublished.stderr).toMatch(/未知的考评/);
    const unknown = codes(['objection', '--appraisal', 'county-2025', '--subject', 'unit:nosuch'], { cwd: dir });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/未知的考核对象 unit:nosuch/);
    expect(readdirSync(dir)).toEqual([]);
    expect((await sqlAll<{ n: number }>(target, 'SELECT COUNT(*) AS n FROM objection_credentials'))[0]?.n).toBe(before);
  }, 120_000);
});
