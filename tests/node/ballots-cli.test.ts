// `npm run ballots -- print` end to end: the printed sheets ask exactly what
// the online form asks (checked against paperQuestions, not a pasted list),
// each sheet carries one valid serial, none twice, on every page; the file is
// valid HTML without script; Chromium prints each sheet on its own A4 pages;
// a meeting in D1 sets the categories and the first serial; bad input writes
// nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutSheet, renderBallots } from '../../scripts/lib/ballot-sheet';
import { hasJava } from '../../scripts/lib/browser-deps';
import { d1Migrate, type Target } from '../../scripts/lib/wrangler';
import { loadContent, runtimeCatalog } from '../../src/build/content';
import { formatSerial, parseSerial } from '../../src/domain/ballot-serial';
import { paperQuestions, takesPaper } from '../../src/domain/paper';
import type { Instrument } from '../../src/domain/schemas/instrument';
import { PLEDGE } from '../../src/i18n/zh-CN/common';
import { launch } from '../support/browser';
import { sqlRun } from '../support/d1';

const ROOT = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const VNU = join(require.resolve('vnu-jar/package.json'), '..', 'build/dist/vnu.jar');
const catalog = runtimeCatalog(loadContent(join(ROOT, 'src/content')).catalog);
const instrument = (id: string) => catalog.instruments.find((i) => i.id === id) as Instrument;
const labelOf = (id: string) =>
  catalog.appraisals.flatMap((a) => a.raterCategories).find((c) => c.id === id)?.label as string;

const made: string[] = [];
const newDir = (prefix = 'kaoping-ballots-') => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
const state = newDir('kaoping-ballots-d1-');
const target: Target = { remote: false, persistTo: state };

/** Runs the CLI as `npm run ballots` would, in the project root, as if typed in `cwd`. */
function ballots(args: string[], cwd: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/ballots.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, INIT_CWD: cwd, KAOPING_PERSIST: state },
    encoding: 'utf8',
  });
}

interface Sheet {
  serial: string;
  pages: string[];
}

/** The sheets of a file: its pages grouped by serial, in order. */
function sheetsOf(html: string): Sheet[] {
  const pages = html.split('<div class="page" ').slice(1);
  const sheets: Sheet[] = [];
  for (const p of pages) {
    const serial = /^data-serial="([^"]+)"/.exec(p)?.[1] as string;
    const last = sheets[sheets.length - 1];
    if (last && last.serial === serial) last.pages.push(p);
    else sheets.push({ serial, pages: [p] });
  }
  return sheets;
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

/** What every sheet of an instrument must ask: each paper question, its label and every option. */
function expectSameQuestions(sheet: Sheet, inst: Instrument) {
  const html = sheet.pages.join('');
  const asked = [...html.matchAll(/data-q="([^"]+)"/g)].map((m) => m[1]);
  const questions = paperQuestions(inst);
  expect(asked.sort()).toEqual(questions.map((q) => q.id).sort());
  const words = text(html);
  for (const q of questions) {
    // A subject's 不了解 is its one box, as on the online form (which asks "是否了解…", not the question's label).
    if (q.role !== 'unknown') expect(words, q.id).toContain(q.label.replace(/\s+/g, ' ').trim());
    for (const o of q.options) expect(words, `${q.id}: ${o.id}`).toContain(o.label);
  }
  // Free text is never printed: paper carries no handwriting into the count.
  for (const q of inst.questions.filter((x) => x.type === 'text')) expect(html).not.toContain(`data-q="${q.id}"`);
}

function vnuErrors(files: string[]): string[] {
  const r = spawnSync('java', ['-Xss8m', '-jar', VNU, '--errors-only', '--format', 'json', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 240_000,
  });
  if (r.error) throw r.error;
  const report = JSON.parse(r.stderr) as {
    messages: { type: string; subType?: string; lastLine?: number; message: string }[];
  };
  return report.messages
    .filter((m) => m.type === 'error' || m.subType === 'fatal')
    .map((m) => `${m.lastLine ?? '?'}: ${m.message}`);
}

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('npm run ballots -- print', () => {
  const out = newDir();
  const runs = [
    { id: 'rating-sessions-2026', count: 3, file: join(out, 'sessions.html') },
    { id: 'ballot-groups-2026', count: 2, file: join(out, 'groups.html') },
    // Two officials to a page with a few millimetres to spare: the tightest layout of the demo content.
    { id: 'ballot-officials-2026', count: 1, file: join(out, 'officials.html') },
  ];
  const results = new Map<string, { stdout: string; stderr: string; status: number | null; pagesPerSheet: number }>();

  beforeAll(() => {
    for (const r of runs) {
      const res = ballots(['print', '--instrument', r.id, '--count', String(r.count), '--out', r.file], out);
      const pagesPerSheet = Number(/每张 (\d+) 页/.exec(res.stdout)?.[1]);
      results.set(r.id, { stdout: res.stdout, stderr: res.stderr, status: res.status, pagesPerSheet });
    }
  }, 60_000);

  for (const r of runs) {
    describe(r.id, () => {
      const inst = instrument(r.id);
      const html = () => readFileSync(r.file, 'utf8');

      it('writes one sheet per serial, serials valid, consecutive from 1, none twice, on every page', () => {
        const res = results.get(r.id);
        expect(res?.stderr).toContain('100%');
        expect(res?.status, res?.stderr).toBe(0);
        const sheets = sheetsOf(html());
        expect(sheets.map((s) => s.serial)).toEqual(Array.from({ length: r.count }, (_, i) => formatSerial(i + 1)));
        for (const s of sheets) expect(parseSerial(s.serial)).toBe(s.serial);
        expect(new Set(sheets.map((s) => s.serial)).size).toBe(r.count);
        for (const s of sheets) {
          expect(s.pages.length).toBe(res?.pagesPerSheet);
          // Large at the top (keyed first) and small at the bottom of every page; no page without a question.
          for (const p of s.pages) expect(p.split(s.serial).length - 1).toBeGreaterThanOrEqual(3);
          for (const p of s.pages) expect(p).toMatch(/data-q="/);
        }
        const first = formatSerial(1);
        const last = formatSerial(r.count);
        expect(res?.stdout).toContain(`共 ${r.count} 张, ${r.count * (res?.pagesPerSheet ?? 0)} 页`);
        expect(res?.stdout).toContain(`序号 ${first} 至 ${last}`);
      });

      it('asks on each sheet every subject, item and grade of the online form (paperQuestions), and nothing else', () => {
        expect(takesPaper(inst)).toBe(true);
        const sheets = sheetsOf(html());
        for (const s of sheets) expectSameQuestions(s, inst);
      });

      it('has a box per category of the instrument, the pledge and how to fill in; no script anywhere', () => {
        const h = html();
        const first = sheetsOf(h)[0]?.pages[0] as string;
        expect(inst.raterCategories.length).toBeGreaterThan(1);
        for (const c of inst.raterCategories) expect(first).toContain(`<span class="box"></span>${labelOf(c)}</span>`);
        expect(first).toContain(PLEDGE);
        expect(first).toContain('填表说明');
        if (inst.unknown) expect(text(first)).toContain('不了解');
        expect(h).not.toMatch(/<script|\son[a-z]+\s*=|javascript:/i);
        expect(h).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
      });
    });
  }

  for (const r of runs.slice(1)) {
    it(`${r.id} takes several pages per sheet, a subject never split`, () => {
      const res = results.get(r.id);
      expect(res?.pagesPerSheet).toBeGreaterThan(1);
      const sheet = sheetsOf(readFileSync(r.file, 'utf8'))[0] as Sheet;
      for (const subject of instrument(r.id).layout.subjects) {
        const pagesWith = sheet.pages.filter((p) => p.includes(`data-q="${subject.id}.`));
        expect(pagesWith.length, subject.id).toBe(1);
      }
    });
  }

  it.skipIf(!hasJava())('passes the Nu HTML checker without an error', { timeout: 240_000 }, () => {
    expect(vnuErrors(runs.map((r) => r.file))).toEqual([]);
  });

  it('prints in Chromium as A4, each sheet from a new page, nothing clipped', { timeout: 120_000 }, async () => {
    const ctx = await launch();
    try {
      for (const r of runs) {
        const page = await ctx.newPage();
        await page.goto(`file://${r.file}`);
        await page.emulateMedia({ media: 'print' });
        const layout = await page.evaluate(() => ({
          header: getComputedStyle(document.querySelector('header') as Element).display,
          clipped: [...document.querySelectorAll<HTMLElement>('.page, .page .body')].filter(
            (e) => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1,
          ).length,
          firstPages: [...document.querySelectorAll('.page[data-page="1"]')].map((p) =>
            Math.round((p as HTMLElement).offsetTop),
          ),
        }));
        expect(layout.header).toBe('none');
        expect(layout.clipped).toBe(0);
        const pdf = await page.pdf({ preferCSSPageSize: true });
        const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g)?.length;
        const perSheet = results.get(r.id)?.pagesPerSheet ?? 0;
        expect(pages, r.id).toBe(r.count * perSheet);
        // A4 portrait: 595 × 842 pt.
        const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]/g)];
        expect(boxes.length).toBe(pages);
        for (const [, w, h] of boxes) expect([Math.round(Number(w)), Math.round(Number(h))]).toEqual([595, 842]);
        await page.close();
      }
    } finally {
      await ctx.close();
    }
  });

  it('shows progress and splits a large run into files of whole sheets', { timeout: 120_000 }, () => {
    const dir = newDir();
    const res = ballots(['print', '--instrument', 'rating-sessions-2026', '--count', '1000', '--start', '501'], dir);
    expect(res.status, res.stderr).toBe(0);
    const progress = res.stderr.split('\n').filter((l) => l.startsWith('排版测评表'));
    expect(progress.length).toBeGreaterThanOrEqual(10);
    expect(progress[progress.length - 1]).toMatch(/100% \(1000\/1000\)/);
    const files = readdirSync(dir).sort();
    expect(files).toEqual([
      'ballots-rating-sessions-2026-000501-001500-001.html',
      'ballots-rating-sessions-2026-000501-001500-002.html',
    ]);
    const serials = files.flatMap((f) => sheetsOf(readFileSync(join(dir, f), 'utf8')).map((s) => s.serial));
    expect(serials).toEqual(Array.from({ length: 1000 }, (_, i) => formatSerial(501 + i)));
    expect(res.stdout).toContain(`序号 ${formatSerial(501)} 至 ${formatSerial(1500)}`);
    expect(res.stdout).toContain('--start 1501');
  });

  it('prints its help', () => {
    const res = ballots(['--help'], newDir());
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('npm run ballots -- print --instrument ID --count N');
  });
});

describe('a ballot taller than a page', () => {
  // 60 items with labels of 200 characters about one subject, as the content schema allows: the subject splits
  // between rows, its heading and the table head again on each page, the serial on every page, nothing clipped.
  const long = (i: number) => `第${i}项${'履行职责、服务群众、改革创新、依法行政、廉洁自律'.repeat(8)}`.slice(0, 200);
  const subject = { kind: 'group' as const, id: 'czj' };
  const grades = [
    { id: 'good', label: '好' },
    { id: 'fair', label: '中' },
    { id: 'poor', label: '差' },
  ];
  const inst = {
    id: 'long-ballot',
    kind: 'ballot' as const,
    title: '超长测评表',
    unknown: true,
    questions: [
      {
        id: 'czj.unknown',
        type: 'multi' as const,
        subject,
        role: 'unknown' as const,
        label: '不了解该对象',
        required: false,
        options: [{ id: 'unknown', label: '不了解' }],
        min: 0,
        max: 1,
      },
      ...Array.from({ length: 60 }, (_, i) => ({
        id: `czj.item-${i + 1}`,
        type: 'choice' as const,
        subject,
        label: long(i + 1),
        hint: `类别${Math.floor(i / 7) + 1}`,
        required: true,
        options: grades,
      })),
    ],
  };
  const form = {
    inst,
    appraisalTitle: '测试考评',
    subjectName: () => '澄川县财政局领导班子',
    categories: [
      { id: 'a', label: '甲类' },
      { id: 'b', label: '乙类' },
    ],
  };

  it('splits between rows onto as many pages as it needs, each page whole', { timeout: 120_000 }, async () => {
    const layout = layoutSheet(form);
    expect(layout.pages).toBeGreaterThan(2);
    const serials = [formatSerial(7), formatSerial(8)];
    const html = renderBallots({ form, layout, serials, part: 1, parts: 1 });
    const sheets = sheetsOf(html);
    expect(sheets.map((s) => s.serial)).toEqual(serials);
    for (const s of sheets) {
      expect(s.pages.length).toBe(layout.pages);
      expectSameQuestions(s, inst as unknown as Instrument);
      // Every page after the first carries the subject's heading again, marked as continued, and questions.
      for (const p of s.pages.slice(1)) expect(p).toContain('澄川县财政局领导班子 (续)');
      for (const p of s.pages) expect(p).toMatch(/data-q="/);
      expect(s.pages.at(-1)).toContain('本表到此结束');
    }
    const file = join(newDir(), 'long.html');
    writeFileSync(file, html);
    const ctx = await launch();
    try {
      const page = await ctx.newPage();
      await page.goto(`file://${file}`);
      await page.emulateMedia({ media: 'print' });
      const clipped = await page.evaluate(
        () =>
          [...document.querySelectorAll<HTMLElement>('.page, .page .body')].filter(
            (e) => e.scrollHeight > e.clientHeight + 1,
          ).length,
      );
      expect(clipped).toBe(0);
      const pdf = await page.pdf({ preferCSSPageSize: true });
      expect(pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g)?.length).toBe(2 * layout.pages);
    } finally {
      await ctx.close();
    }
  });
});

describe('bad input: a clear message, exit code ≠ 0, nothing written', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'an unknown instrument (listing the ids)',
      ['--instrument', 'nope', '--count', '5'],
      /未知的测评 “nope” \(已有: .*rating-sessions-2026/,
    ],
    [
      'an instrument that takes no paper',
      ['--instrument', 'questionnaire-public-2026', '--count', '5'],
      /不用纸质测评表.*可用: .*ballot-groups-2026/,
    ],
    ['a count of 0', ['--instrument', 'rating-sessions-2026', '--count', '0'], /张数至少为 1/],
    ['a count over 10,000', ['--instrument', 'rating-sessions-2026', '--count', '10001'], /张数至多为 10,000/],
    ['a count that is not a number', ['--instrument', 'rating-sessions-2026', '--count', 'ten'], /张数须为整数/],
    ['no count', ['--instrument', 'rating-sessions-2026'], /请用 --count 指定张数/],
    [
      'serials past 999999',
      ['--instrument', 'rating-sessions-2026', '--count', '10', '--start', '999995'],
      /序号超出范围/,
    ],
    ['an unknown option', ['--instrument', 'rating-sessions-2026', '--count', '1', '--colour'], /未知的选项 --colour/],
  ];
  for (const [what, args, message] of cases) {
    it(what, () => {
      const dir = newDir();
      const res = ballots(['print', ...args], dir);
      expect(res.status).toBe(2);
      expect(res.stderr).toMatch(message);
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('never overwrites a file', () => {
    const dir = newDir();
    const args = ['print', '--instrument', 'rating-sessions-2026', '--count', '1', '--out', 'x.html'];
    expect(ballots(args, dir).status).toBe(0);
    const before = readFileSync(join(dir, 'x.html'), 'utf8');
    const again = ballots(args, dir);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('不覆盖已有文件');
    expect(readFileSync(join(dir, 'x.html'), 'utf8')).toBe(before);
  });
});

describe('--meeting: categories and serials from the meeting in D1', () => {
  beforeAll(async () => {
    d1Migrate(target);
    await sqlRun(
      target,
      [
        `INSERT INTO meetings (id, appraisal, instrument, held_on, place, categories, issued, returned, spoilt, recorded_at)
         VALUES ('m-npc', 'county-2026', 'rating-sessions-2026', '2026-02-21', '县人民会堂', '["npc_deputy"]', 120, 110, 2, '2026-02-21T12:00:00Z')`,
      ],
      [
        `INSERT INTO meetings (id, appraisal, instrument, held_on, place, categories, issued, returned, spoilt, recorded_at)
         VALUES ('m-groups', 'county-2026', 'ballot-groups-2026', '2026-12-08', '县行政中心', '["npc_deputy","cppcc_member"]', 60, 60, 0, '2026-12-08T12:00:00Z')`,
      ],
      [
        `INSERT INTO paper_ballots (instrument, serial, meeting, rater_category, answers)
         VALUES ('rating-sessions-2026', ?1, 'm-npc', 'npc_deputy', '{"fgj":"satisfied"}')`,
        formatSerial(40),
      ],
    );
  }, 120_000);

  it('continues after the highest serial counted for the instrument, and prints the one category without a box', () => {
    const dir = newDir();
    const res = ballots(['print', '--instrument', 'rating-sessions-2026', '--count', '2', '--meeting', 'm-npc'], dir);
    expect(res.status, res.stderr).toBe(0);
    const [file] = readdirSync(dir);
    expect(file).toBe('ballots-rating-sessions-2026-000041-000042.html');
    const html = readFileSync(join(dir, file as string), 'utf8');
    expect(sheetsOf(html).map((s) => s.serial)).toEqual([formatSerial(41), formatSerial(42)]);
    expect(html).toContain('县人民会堂');
    expect(html).toContain(`<strong>评议主体</strong>: ${labelOf('npc_deputy')}`);
    expect(html).not.toContain(`<span class="box"></span>${labelOf('cppcc_member')}`);
    expect(html).not.toContain(`<span class="box"></span>${labelOf('npc_deputy')}`);
    expect(res.stdout).toContain('会议 m-npc 登记的发放张数为 120');
  });

  it('boxes only the categories the meeting mixes', () => {
    const dir = newDir();
    const res = ballots(['print', '--instrument', 'ballot-groups-2026', '--count', '1', '--meeting', 'm-groups'], dir);
    expect(res.status, res.stderr).toBe(0);
    const html = readFileSync(join(dir, readdirSync(dir)[0] as string), 'utf8');
    expect(sheetsOf(html)[0]?.serial).toBe(formatSerial(1));
    for (const c of ['npc_deputy', 'cppcc_member'])
      expect(html).toContain(`<span class="box"></span>${labelOf(c)}</span>`);
    for (const c of ['party_deputy', 'masses_rep']) expect(html).not.toContain(labelOf(c));
  });

  const bad: [string, string[], RegExp][] = [
    [
      'an unknown meeting',
      ['--instrument', 'rating-sessions-2026', '--count', '2', '--meeting', 'm-none'],
      /未知的会议 “m-none”/,
    ],
    [
      "another instrument's meeting",
      ['--instrument', 'ballot-groups-2026', '--count', '2', '--meeting', 'm-npc'],
      /会议 “m-npc” 属于测评 “rating-sessions-2026”/,
    ],
    [
      'a start at a serial already counted',
      ['--instrument', 'rating-sessions-2026', '--count', '2', '--meeting', 'm-npc', '--start', '40'],
      /已录入到序号 000040-.*请从 41/,
    ],
  ];
  for (const [what, args, message] of bad) {
    it(`refuses ${what} and writes nothing`, () => {
      const dir = newDir();
      const res = ballots(['print', ...args], dir);
      expect(res.status).not.toBe(0);
      expect(res.stderr).toMatch(message);
      expect(readdirSync(dir)).toEqual([]);
    });
  }
});
