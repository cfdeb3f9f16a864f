// Reads src/content with the core schemas, runs the cross-collection checks,
// and emits the catalog the API bundle imports (instruments expanded). Used by
// the Astro integration (so a bad file fails `astro build`), by `npm run
// content`, and by the tests.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import {
  type Catalog,
  type ContentIssue,
  checkCatalog,
  type Entry,
  type RuntimeCatalog,
} from '../../src/domain/catalog';
import { expandInstrument } from '../../src/domain/instrument';
import * as s from '../../src/domain/schemas';

export const collections = {
  appraisals: s.appraisal,
  units: s.unit,
  officials: s.official,
  teams: s.team,
  observers: s.observer,
  indicators: s.indicatorSystem,
  summaries: s.summary,
  instruments: s.instrumentSource,
  results: s.result,
  snapshots: s.snapshot,
} as const satisfies Record<keyof Catalog, z.ZodType>;

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

function readEntry(path: string): { data: unknown; body?: string } {
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.md')) {
    const m = FRONT_MATTER.exec(text);
    if (!m) throw new Error('缺少 YAML 头信息 (---)');
    return { data: parseYaml(m[1] ?? ''), body: m[2] };
  }
  return { data: path.endsWith('.json') ? JSON.parse(text) : parseYaml(text) };
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
  for (const [name, schema] of Object.entries(collections) as [keyof Catalog, z.ZodType][]) {
    const dir = join(root, name);
    const files = (() => {
      try {
        return readdirSync(dir)
          .filter((f) => /\.(ya?ml|json|md)$/.test(f))
          .sort();
      } catch {
        return [];
      }
    })();
    catalog[name] = [];
    for (const f of files) {
      const path = join(dir, f);
      const file = relative(process.cwd(), path);
      const id = f.replace(/\.(ya?ml|json|md)$/, '');
      let raw: ReturnType<typeof readEntry>;
      try {
        raw = readEntry(path);
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
  const full = catalog as unknown as Catalog;
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
