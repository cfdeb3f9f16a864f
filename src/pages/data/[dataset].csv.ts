import type { APIRoute, GetStaticPaths } from 'astro';
import { loadSite } from '../../lib/site/content';
import { rowContext } from '../../lib/site/names';
import { DATASET_NAMES, dataset, tableOf, toCsv } from '../../lib/site/open-data';

export const getStaticPaths = (() =>
  DATASET_NAMES.map((name) => ({ params: { dataset: name } }))) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params, site }) => {
  const m = await loadSite();
  const d = dataset(params.dataset!);
  return new Response(toCsv(d, tableOf(d, m, rowContext(m, site))), {
    headers: { 'Content-Type': 'text/csv; charset=utf-8' },
  });
};
