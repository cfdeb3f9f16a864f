// The one place the pages read the content collections: every page builds on
// the same model, built once per build.
import { getCollection } from 'astro:content';
import { buildModel, type SiteModel } from './model';

let cached: Promise<SiteModel> | undefined;

async function load(): Promise<SiteModel> {
  const [appraisals, units, officials, teams, observers, indicators, summaries, instruments, results, snapshots] =
    await Promise.all([
      getCollection('appraisals'),
      getCollection('units'),
      getCollection('officials'),
      getCollection('teams'),
      getCollection('observers'),
      getCollection('indicators'),
      getCollection('summaries'),
      getCollection('instruments'),
      getCollection('results'),
      getCollection('snapshots'),
    ]);
  return buildModel({
    appraisals,
    units,
    officials,
    teams,
    observers,
    indicators,
    summaries,
    instruments,
    results,
    snapshots,
  });
}

/** Cached in a build; rebuilt per request in `astro dev` so edits to content show up. */
export function loadSite(): Promise<SiteModel> {
  if (!import.meta.env.PROD) return load();
  cached ??= load();
  return cached;
}
