// Reads src/content with the core schemas, runs the cross-collection checks,
// and emits the catalog the API bundle imports (instruments expanded). Used by
// the Astro integration (so a bad file fails `astro build`), by `npm run
// content`, and by the tests.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  type Catalog,
  type ContentIssue,
  checkCatalog,
  type Entry,
  type RuntimeCatalog,
} from '../../src/domain/catalog';
import { type CollectionFormat, collectionNames, collections, entryId } from '../../src/domain/collections';
import { expandInstrument } from '../../src/domain/instrument';

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

function readEntry(path: string, format: CollectionFormat): { data: unknown; body?: string } {
  const text = readFileSync(path, 'utf8');
  if (format === 'markdown') {
    const m = FRONT_MATTER.exec(text);
    if (!m) throw new Error('缺少 YAML 头信息 (---)');
    return { data: parseYaml(m[1] ?? ''), body: m[2] };
  }
  return { data: path.endsWith('.json') ? JSON.parse(text) : parseYaml(text) };
}

/** A collection's entry files (name and id), sorted; none if its folder is missing. */
function entryFiles(dir: string, format: CollectionFormat): { name: string; id: string }[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const id = entryId(format, name);
    return id === undefined ? [] : [{ name, id }];
  });
}

export interface LoadedContent {
  catalog: Catalog;
  bodies: Map<string, string>;
  issues: ContentIssue[];
}

export function loadContent(root = 'src/content'): LoadedContent {
  const issues: ContentIssue[] = [];
  const bodies = new Map<string, string>();
  const catalog = {} as Record<keyof Catalog, Entry<unknown>[]>;
  for (const name of collectionNames) {
    const { schema, format } = collections[name];
    const dir = join(root, name);
    catalog[name] = [];
    for (const { name: fileName, id } of entryFiles(dir, format)) {
      const path = join(dir, fileName);
      const file = relative(process.cwd(), path);
      let raw: ReturnType<typeof readEntry>;
      try {
        raw = readEntry(path, format);
      } catch (e) {
        issues.push({ file, field: '(file)', message: `无法解析: ${(e as Error).message}` });
        continue;
      }
      const parsed = schema.safeParse(raw.data);
      if (!parsed.success) {
        for (const i of parsed.error.issues)
          issues.push({ file, field: i.path.join('.') || '(root)', message: i.message });
        continue;
      }
      catalog[name].push({ file, id, data: parsed.data });
      if (raw.body !== undefined) bodies.set(`${name}/${id}`, raw.body);
    }
  }
  // Each list holds what its collection's schema output.
  const full = catalog as Catalog;
  issues.push(...checkCatalog(full));
  return { catalog: full, bodies, issues };
}

/** What the Functions bundle needs at run time, as one JSON module. */
export function runtimeCatalog(c: Catalog): RuntimeCatalog {
  return {
    appraisals: c.appraisals.map((e) => ({
      id: e.id,
      year: e.data.year,
      title: e.data.title,
      forum: e.data.forum,
      phases: e.data.phases,
    })),
    units: c.units.map((e) => ({ id: e.id, name: e.data.name, category: e.data.category })),
    officials: c.officials.map((e) => ({ id: e.id, name: e.data.name, post: e.data.post, unit: e.data.unit })),
    instruments: c.instruments.map((e) => expandInstrument(e.data)),
  };
}

export const GENERATED = 'src/generated/catalog.json';

/** Load, check and emit. Throws with every problem listed when content is invalid. */
export function buildCatalog(root: string | undefined = 'src/content', out = GENERATED) {
  root ||= 'src/content';
  const { catalog, issues } = loadContent(root);
  if (issues.length > 0) {
    const lines = issues.map((i) => `  ${i.file}: ${i.field}: ${i.message}`);
    throw new Error(`内容校验失败 (${issues.length} 处):\n${lines.join('\n')}`);
  }
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(runtimeCatalog(catalog))}\n`);
  return catalog;
}
