import type { APIRoute, GetStaticPaths } from 'astro';
import { t } from '../../i18n';
import { XLSX_TYPE, xlsxOf, xlsxWords } from '../../lib/open-data/xlsx';
import { loadSite } from '../../lib/site/content';
import { rowContext } from '../../lib/site/names';
import { DATASET_NAMES, dataset, tableOf } from '../../lib/site/open-data';

export const getStaticPaths = (() =>
  DATASET_NAMES.map((name) => ({ params: { dataset: name } }))) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params, site }) => {
  const m = await loadSite();
  const d = dataset(params.dataset!);
  const s = t.portal.data;
  const doc = (s.datasets as Record<string, { title: string; description: string; columns: Record<string, string> }>)[
    d.name
  ]!;
  const bytes = await xlsxOf(
    {
      name: d.name,
      title: doc.title,
      description: doc.description,
      columns: d.columns,
      notes: doc.columns,
      words: xlsxWords(),
    },
    tableOf(d, m, rowContext(m, site)),
  );
  return new Response(bytes, { headers: { 'Content-Type': XLSX_TYPE } });
};
