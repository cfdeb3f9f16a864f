// Reads src/content with the collections' schemas, runs the cross-collection
// checks, and emits the catalog the API bundle imports (instruments expanded).
// Used by the Astro config (so a bad file fails `astro build`), by `npm run
// content`, by the CLIs and by the tests. Node only.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Parser, parse as parseYaml } from 'yaml';
import {
  type Catalog,
  type ContentIssue,
  categoryGroups,
  checkCatalog,
  type Entry,
  issueReport,
  type RuntimeCatalog,
  schemaIssues,
} from '../domain/catalog';
import { type CollectionFormat, collectionNames, collections, entryId } from '../domain/collections';
import { expandInstrument } from '../domain/instrument';
import { resultsPublishedOn } from '../domain/objection';
import { holidayDays } from '../domain/schemas/holidays';

/**
 * A Markdown file's front matter and body. The yaml package's parser reads
 * the file as a stream of documents, lazily: the front matter is the first
 * document, and the closing `---` opens the second, where the body starts.
 */
function readFrontMatter(text: string): { data: unknown; body: string } {
  const documents = new Parser().parse(text);
  const head = documents.next().value;
  const rest = documents.next().value;
  if (head?.type !== 'document' || head.start[0]?.type !== 'doc-start' || rest?.type !== 'document')
    throw new Error('缺少 YAML 头信息 (---)');
  const [marker, newline] = rest.start;
  const bodyAt = rest.offset + (marker?.source.length ?? 0) + (newline?.type === 'newline' ? newline.source.length : 0);
  return { data: parseYaml(text.slice(0, rest.offset)), body: text.slice(bodyAt) };
}

function readEntry(path: string, format: CollectionFormat): { data: unknown; body?: string } {
  const text = readFileSync(path, 'utf8');
  if (format === 'markdown') return readFrontMatter(text);
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
        issues.push(...schemaIssues(file, parsed.error));
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

/** What the Functions bundle needs at run time, as one JSON module (checked on load with the runtimeCatalog schema). */
export function runtimeCatalog(c: Catalog): RuntimeCatalog {
  return {
    appraisals: c.appraisals.map((e) => ({
      id: e.id,
      year: e.data.year,
      title: e.data.title,
      forum: e.data.forum,
      phases: e.data.phases,
      raterCategories: e.data.raterCategories,
      messages: e.data.messages,
      disclosure: e.data.disclosure,
      objection: {
        days: e.data.objection.days,
        acceptWorkingDays: e.data.objection.acceptWorkingDays,
        answerWorkingDays: e.data.objection.answerWorkingDays,
      },
      resultsOn: resultsPublishedOn(
        c.results.find((r) => r.data.appraisal === e.id)?.data,
        c.snapshots.find((s) => s.data.appraisal === e.id)?.data,
      ),
    })),
    units: c.units.map((e) => ({ id: e.id, name: e.data.name, category: e.data.category })),
    officials: c.officials.map((e) => ({ id: e.id, name: e.data.name, post: e.data.post, unit: e.data.unit })),
    instruments: c.instruments.map((e) =>
      expandInstrument(e.data, categoryGroups(c.appraisals.find((a) => a.id === e.data.appraisal)?.data)),
    ),
    calendar: {
      holidays: c.holidays.flatMap((e) => holidayDays(e.data)).sort(),
      workdays: c.holidays.flatMap((e) => e.data.workdays).sort(),
    },
  };
}

export const GENERATED = 'src/generated/catalog.json';

/** Load, check and emit. Throws with every problem listed when content is invalid. */
export function buildCatalog(root: string | undefined = 'src/content', out = GENERATED) {
  root ||= 'src/content';
  const { catalog, issues } = loadContent(root);
  if (issues.length > 0) throw new Error(issueReport('内容校验失败', issues));
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(runtimeCatalog(catalog))}\n`);
  return catalog;
}
