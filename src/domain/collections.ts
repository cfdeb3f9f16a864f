// The one list of content collections. The site's collections
// (src/content.config.ts), the build's content loader (src/build/content.ts),
// the pages' loader (src/lib/site/content.ts) and the `Catalog` type are all
// derived from it, so a collection is added or changed here and nowhere else.
// Each collection lives in src/content/<name>/.
import type { z } from 'zod';
import * as s from './schemas';

/** How a collection's files are written. */
export const collectionFormats = {
  /** One YAML or JSON file per entry. */
  data: ['yaml', 'yml', 'json'],
  /** One Markdown file per entry, its fields in YAML front matter and its text in the body. */
  markdown: ['md'],
} as const;
export type CollectionFormat = keyof typeof collectionFormats;

const data = <S extends z.ZodType>(schema: S) => ({ schema, format: 'data' as const });
const markdown = <S extends z.ZodType>(schema: S) => ({ schema, format: 'markdown' as const });

export const collections = {
  appraisals: data(s.appraisal),
  units: data(s.unit),
  officials: data(s.official),
  teams: data(s.team),
  observers: data(s.observer),
  indicators: data(s.indicatorSystem),
  summaries: markdown(s.summary),
  instruments: data(s.instrumentSource),
  results: data(s.result),
  // Final opinion tallies pulled from D1 by `npm run results:snapshot`: the public record.
  snapshots: data(s.snapshot),
  // Public holidays and make-up working days, one file per year: deadlines in working days count with them.
  holidays: data(s.holidayYear),
};

export type Collections = typeof collections;
export type CollectionName = keyof Collections;
/** One validated entry of a collection, as its schema outputs it. */
export type CollectionData<K extends CollectionName> = z.output<Collections[K]['schema']>;

export const collectionNames = Object.keys(collections) as CollectionName[];

/** The glob of a format's files inside a collection's folder (Astro's glob loader syntax). */
export function filePattern(format: CollectionFormat): string {
  const ext = collectionFormats[format];
  return ext.length === 1 ? `*.${ext[0]}` : `*.{${ext.join(',')}}`;
}

/** The entry id a file name gives in a collection of this format, or undefined if the file is not one of its entries. */
export function entryId(format: CollectionFormat, fileName: string): string | undefined {
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const ext: readonly string[] = collectionFormats[format];
  return ext.includes(fileName.slice(dot + 1)) ? fileName.slice(0, dot) : undefined;
}
