// The build refuses invalid content and names the file and the field.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/build/content';
import { collectionNames, collections, entryId } from '../../src/domain/collections';

const require = createRequire(import.meta.url);
const astro = join(require.resolve('astro/package.json'), '..', 'bin', 'astro.mjs');

/** A copy of src/content with one file edited. */
function brokenCopy(collection: string, edit: (text: string) => string) {
  const dir = mkdtempSync(join(tmpdir(), 'kaoping-content-'));
  cpSync('src/content', dir, { recursive: true });
  const file = readdirSync(join(dir, collection)).sort()[0] as string;
  const path = join(dir, collection, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
  return { dir, file: `${collection}/${file}` };
}

const problems = (dir: string) => loadContent(dir).issues.map((i) => `${i.file}: ${i.field}: ${i.message}`);

describe('content check', () => {
  it('passes on the demo content', () => {
    expect(loadContent().issues).toEqual([]);
  });

  it('reads every folder of src/content as a registered collection, and every file in it as an entry', () => {
    expect(readdirSync('src/content').sort()).toEqual([...collectionNames].sort());
    const { catalog } = loadContent();
    for (const name of collectionNames) {
      const files = readdirSync(join('src/content', name));
      expect(files.filter((f) => entryId(collections[name].format, f) === undefined)).toEqual([]);
      expect(catalog[name].length).toBe(files.length);
    }
  });

  it('names a summary without front matter', () => {
    const { dir, file } = brokenCopy('summaries', (t) => t.replace(/^---\n/, ''));
    expect(problems(dir).join('\n')).toMatch(new RegExp(`${file}: \\(file\\): 无法解析: 缺少 YAML 头信息`));
  });

  it('fails `astro build` on a summary naming an unknown unit, naming the file and the field', () => {
    const { dir, file } = brokenCopy('summaries', (t) => t.replace(/^unit: .*$/m, 'unit: no-such-unit'));
    const r = spawnSync(process.execPath, [astro, 'build'], {
      env: { ...process.env, KAOPING_CONTENT_DIR: dir },
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
    const out = r.stdout + r.stderr;
    expect(out).toContain(file);
    expect(out).toMatch(/unit: 未知的单位 “no-such-unit”/);
  });

  it('names indicator weights that do not sum to 100', () => {
    const { dir, file } = brokenCopy('indicators', (t) =>
      t.replace(/weight: (\d+)/, (_m, w) => `weight: ${Number(w) + 5}`),
    );
    expect(problems(dir).join('\n')).toMatch(new RegExp(`${file}: areas: 各领域权重之和应为 100`));
  });

  it('names a publicity window that starts less than 5 days before the appraisal', () => {
    const { dir, file } = brokenCopy('summaries', (t) =>
      t
        .replace(/(publicity:\s*\n\s*start: )"?[\d-]+"?/, '$1"2026-12-17"')
        .replace(/(\n\s*end: )"?[\d-]+"?/, '$1"2026-12-24"'),
    );
    expect(problems(dir).join('\n')).toMatch(new RegExp(`${file}: publicity.start: 公示须在考核`));
  });

  it('names an instrument whose category weights do not sum to 100', () => {
    const { dir, file } = brokenCopy('instruments', (t) =>
      t.replace(
        /categoryWeights:\s*\n(\s+)(\w+): (\d+)/,
        (_m, sp, k, v) => `categoryWeights:\n${sp}${k}: ${Number(v) + 1}`,
      ),
    );
    expect(problems(dir).join('\n')).toMatch(new RegExp(`${file}: categoryWeights: 评议主体权重之和应为 100`));
  });
});
