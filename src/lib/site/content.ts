// The one place the pages read the content collections: every page builds on
// the same model, built once per build.
import { type CollectionEntry, getCollection } from 'astro:content';
import { type CollectionName, collectionNames } from '../../domain/collections';
import { buildModel, type SiteModel } from './model';

let cached: Promise<SiteModel> | undefined;

type Entries = { [K in CollectionName]: CollectionEntry<K>[] };

async function load(): Promise<SiteModel> {
  const lists = await Promise.all(collectionNames.map(async (name) => [name, await getCollection(name)] as const));
  // Object.fromEntries cannot keep each name's own entry type; buildModel then checks Astro's entries against the model's.
  const entries = Object.fromEntries(lists) as Entries;
  return buildModel(entries);
}

/** Cached in a build; rebuilt per request in `astro dev` so edits to content show up. */
export function loadSite(): Promise<SiteModel> {
  if (!import.meta.env.PROD) return load();
  cached ??= load();
  return cached;
}
