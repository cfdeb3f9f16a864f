// Open data that lives in D1 (src/domain/live-data.ts): objection decisions,
// the rectification ledger, published answers and the units' message figures,
// as JSON (an array of row objects) or CSV, for one appraisal or all, cached a
// minute like the pages that show them.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  answeredMessagesData,
  LIVE_DATASET_NAMES,
  type LiveContext,
  type LiveDatasetName,
  type LiveRow,
  liveTable,
  messageStatsData,
  objectionDecisionsData,
  rectificationData,
} from '../../domain/live-data';
import { id } from '../../domain/schemas/common';
import { t } from '../../i18n';
import { XLSX_TYPE, xlsxOf, xlsxWords } from '../../lib/open-data/xlsx';
import { csvText } from '../csv';
import type { AppEnv } from '../env';
import { LIVE_TTL_SECONDS, liveAnswered, liveDecisions, liveLedger, liveStats } from '../live/data';
import { ApiError } from '../middleware/errors';
import { errorResponses, todayOf } from './_helpers';

export const openDataRoutes = new OpenAPIHono<AppEnv>();

const files = LIVE_DATASET_NAMES.flatMap((n) => [`${n}.json`, `${n}.csv`, `${n}.xlsx`] as const);

/** Absolute links in the rows: the deployment's origin, else the request's. */
export function liveContext(c: Context<AppEnv>): LiveContext {
  const origin = c.env.PUBLIC_ORIGIN || new URL(c.req.url).origin;
  const units = new Map(c.get('catalog').units.map((u) => [u.id, u.name]));
  return {
    url: (path) => new URL(path, origin).href,
    unitName: (unit) => (unit ? (units.get(unit) ?? unit) : null),
    today: todayOf(c),
  };
}

async function table(c: Context<AppEnv>, name: string, appraisal?: string) {
  const ctx = liveContext(c);
  switch (name) {
    case 'objection-decisions':
      return {
        d: objectionDecisionsData,
        rows: liveTable(objectionDecisionsData, await liveDecisions(c, appraisal), ctx),
      };
    case 'rectification':
      return { d: rectificationData, rows: liveTable(rectificationData, await liveLedger(c, appraisal), ctx) };
    case 'answered-messages':
      return { d: answeredMessagesData, rows: liveTable(answeredMessagesData, await liveAnswered(c, appraisal), ctx) };
    default:
      return { d: messageStatsData, rows: liveTable(messageStatsData, await liveStats(c, appraisal), ctx) };
  }
}

openDataRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/open-data/{file}',
    tags: ['open-data'],
    summary: '实时开放数据: 复核结论、整改台账、已公开的意见答复、各单位意见办理情况 (JSON、CSV 或 Excel, 缓存一分钟)',
    request: {
      params: z.object({ file: z.enum(files) }),
      query: z.object({ appraisal: id.optional() }),
    },
    responses: {
      200: {
        description:
          'The dataset: JSON (an array of rows), CSV (UTF-8 with BOM) or Excel (.xlsx: the rows, then the column notes on a second sheet)',
        content: {
          'application/json': { schema: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))) },
          'text/csv': { schema: z.string() },
          [XLSX_TYPE]: { schema: z.string().meta({ format: 'binary' }) },
        },
      },
      ...errorResponses(400, 404),
    },
  }),
  async (c) => {
    const { file } = c.req.valid('param');
    const { appraisal } = c.req.valid('query');
    if (appraisal && !c.get('catalog').appraisals.some((a) => a.id === appraisal)) throw new ApiError(404, 'not_found');
    const [name, format] = file.split('.') as [LiveDatasetName, 'json' | 'csv' | 'xlsx'];
    const { d, rows } = await table(c, name, appraisal);
    c.header('Cache-Control', `public, max-age=${LIVE_TTL_SECONDS}`);
    c.header('Access-Control-Allow-Origin', '*');
    if (format === 'json') return c.json(rows as LiveRow[], 200);
    const download = `${name}${appraisal ? `-${appraisal}` : ''}`;
    if (format === 'xlsx') {
      const doc = t.followUp.liveData.datasets[name] as {
        title: string;
        description: string;
        columns: Record<string, string>;
      };
      const bytes = await xlsxOf(
        {
          name,
          title: doc.title,
          description: doc.description,
          columns: d.columns,
          notes: doc.columns,
          words: xlsxWords(),
        },
        rows,
      );
      c.header('Content-Type', XLSX_TYPE);
      c.header('Content-Disposition', `attachment; filename="${download}.xlsx"`);
      return c.body(bytes, 200);
    }
    const columns = d.columns.map(([k]) => k);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `inline; filename="${download}.csv"`);
    return c.body(
      csvText(
        columns,
        rows.map((r) => columns.map((k) => r[k])),
      ),
      200,
    );
  },
);
