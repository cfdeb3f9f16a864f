// Public instrument definitions, turnout, tallies and receipt lists.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { categoryLabel } from '../../domain/catalog';
import { minCellOf } from '../../domain/disclosure';
import { instrumentStatus } from '../../domain/instrument';
import { publicTally } from '../../domain/public-tally';
import { id } from '../../domain/schemas/common';
import type { Instrument } from '../../domain/schemas/instrument';
import {
  instrumentWithStatus,
  receiptList,
  type TurnoutBody,
  tallyBody,
  turnoutBody,
} from '../../domain/schemas/participation';
import { combineCounts, combineTurnout, sourceBreakdown } from '../../domain/sources';
import {
  codesIssued,
  scoreRuleOf,
  shownTurnout,
  subjectScores,
  TURNOUT_STEP,
  talliesReleased,
  validityOf,
} from '../../domain/tally';
import { findInstrument } from '../catalog';
import { listReceipts } from '../db/receipts';
import { readOverrides, readPublishedTally, readTurnout } from '../db/tallies';
import type { AppEnv, Database } from '../env';
import { ApiError } from '../middleware/errors';
import { errorResponses } from './_helpers';

const params = z.object({ id });
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const instrumentRoutes = new OpenAPIHono<AppEnv>();

function instrumentOr404(c: { get(k: 'catalog'): AppEnv['Variables']['catalog'] }, instrumentId: string): Instrument {
  const inst = findInstrument(c.get('catalog'), instrumentId);
  if (!inst) throw new ApiError(404, 'not_found');
  return inst;
}

instrumentRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/instruments',
    tags: ['instruments'],
    summary: '测评列表 (含题目与当前状态)',
    request: { query: z.object({ appraisal: id.optional() }) },
    responses: {
      200: json(z.object({ instruments: z.array(instrumentWithStatus) }), 'Instruments'),
      ...errorResponses(400),
    },
  }),
  async (c) => {
    const { appraisal } = c.req.valid('query');
    const overrides = await readOverrides(c.get('db'));
    const now = c.get('now')();
    const instruments = c
      .get('catalog')
      .instruments.filter((i) => !appraisal || i.appraisal === appraisal)
      .map((i) => ({ ...i, status: instrumentStatus(i, now, overrides.get(i.id)) }));
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({ instruments }, 200);
  },
);

instrumentRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/instruments/{id}',
    tags: ['instruments'],
    summary: '一项测评的定义与状态',
    request: { params },
    responses: { 200: json(instrumentWithStatus, 'Instrument'), ...errorResponses(400, 404) },
  }),
  async (c) => {
    const inst = instrumentOr404(c, c.req.valid('param').id);
    const overrides = await readOverrides(c.get('db'));
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({ ...inst, status: instrumentStatus(inst, c.get('now')(), overrides.get(inst.id)) }, 200);
  },
);

/**
 * The turnout answer is kept in the edge cache (Cache API) for a minute per
 * instrument, so a crowd on the turnout page reads D1 once a minute, not once
 * each. Expiry without purging: the entry's max-age, and its `asOf` against
 * the app's clock (which tests and pinned demos control). A submission does
 * not purge it: the figure moves in steps of 5 anyway.
 */
export const TURNOUT_TTL_SECONDS = 60;
/** The edge cache's lifetime: TURNOUT_CACHE_SECONDS when set to 1..600, else a minute. */
export function turnoutTtl(env: { TURNOUT_CACHE_SECONDS?: string }): number {
  const n = Number(env.TURNOUT_CACHE_SECONDS);
  return Number.isInteger(n) && n >= 1 && n <= 600 ? n : TURNOUT_TTL_SECONDS;
}
export const turnoutCacheKey = (instrument: string) => `https://edge.kaoping.invalid/v1/turnout/${instrument}`;
const edgeCache = () => (typeof caches === 'undefined' ? undefined : (caches as unknown as { default: Cache }).default);

async function cachedTurnout(
  instrument: string,
  now: Date,
  ttl: number,
): Promise<{ body: TurnoutBody; maxAge: number } | undefined> {
  const hit = await edgeCache()?.match(turnoutCacheKey(instrument));
  if (!hit) return undefined;
  const parsed = turnoutBody.safeParse(await hit.json());
  if (!parsed.success) return undefined;
  const age = (now.getTime() - Date.parse(parsed.data.asOf)) / 1000;
  if (age < 0 || age >= ttl) return undefined;
  return { body: parsed.data, maxAge: Math.max(1, Math.floor(ttl - age)) };
}

async function keepTurnout(instrument: string, body: TurnoutBody, ttl: number) {
  await edgeCache()?.put(
    turnoutCacheKey(instrument),
    new Response(JSON.stringify(body), {
      headers: { 'content-type': 'application/json', 'cache-control': `max-age=${ttl}` },
    }),
  );
}

instrumentRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/instruments/{id}/turnout',
    tags: ['instruments'],
    summary: '参与情况: 各评议主体类别的提交数与发码数',
    request: { params },
    responses: { 200: json(turnoutBody, 'Turnout'), ...errorResponses(400, 404) },
  }),
  async (c) => {
    const inst = instrumentOr404(c, c.req.valid('param').id);
    const now = c.get('now')();
    const ttl = turnoutTtl(c.env);
    const hit = await cachedTurnout(inst.id, now, ttl);
    if (hit) {
      c.header('Cache-Control', `public, max-age=${hit.maxAge}`);
      return c.json(hit.body, 200);
    }
    const [t, overrides] = await Promise.all([
      readTurnout(c.get('db'), inst.id, inst.appraisal),
      readOverrides(c.get('db')),
    ]);
    const closed = instrumentStatus(inst, c.get('now')(), overrides.get(inst.id)) === 'closed';
    const cats = inst.access === 'public' ? (['public'] as const) : inst.raterCategories;
    const issued = codesIssued(inst, t.issued);
    // Exact after close: then exactly as the published tally shows it, suppressed cells and all.
    const shown = closed ? (await publishedTally(c, inst)).public : undefined;
    const categories = cats.map((raterCategory) => {
      const p = shown?.turnout.find((x) => x.raterCategory === raterCategory);
      const responses = p ? p.responses : shownTurnout(t.responses.get(raterCategory) ?? 0, closed);
      return {
        raterCategory,
        responses,
        ...(responses === null ? { suppressed: true as const } : {}),
        codesIssued: inst.access === 'public' ? null : (issued.byCategory.get(raterCategory) ?? 0),
      };
    });
    const body = {
      instrument: inst.id,
      asOf: now.toISOString(),
      step: closed ? 1 : TURNOUT_STEP,
      total: shown ? shown.responses.count : categories.reduce((s, x) => s + (x.responses ?? 0), 0),
      categories,
    };
    await keepTurnout(inst.id, body, ttl);
    c.header('Cache-Control', `public, max-age=${ttl}`);
    return c.json(body, 200);
  },
);

/** Whether the public may read this instrument's tallies and receipts now. */
async function assertPublished(
  c: Parameters<typeof instrumentOr404>[0] & { get(k: 'now'): () => Date; get(k: 'db'): Database },
  inst: Instrument,
) {
  // Even a `public` tally waits for the close: live per-option counts would show each ballot as it arrives.
  const overrides = await readOverrides(c.get('db'));
  const status = instrumentStatus(inst, c.get('now')(), overrides.get(inst.id));
  if (inst.tallyPolicy === 'internal' || !talliesReleased(status)) throw new ApiError(403, 'tally_not_public');
}

/**
 * A closed instrument's tally as the public may see it: the exact counts from
 * D1 through the one public view (src/domain/public-tally.ts), k from the
 * appraisal. Only the authenticated feed reads the exact figures.
 */
async function publishedTally(
  c: { get(k: 'catalog'): AppEnv['Variables']['catalog']; get(k: 'db'): Database },
  inst: Instrument,
) {
  const read = await readPublishedTally(c.get('db'), inst.id, inst.appraisal);
  const { issued: rows, paper } = read;
  // One tally, two sources: every figure and score is on online + paper; each source shown beside (issue 19).
  const counts = combineCounts(read.counts, paper.counts);
  const turnout = combineTurnout(read.turnout, paper.turnout);
  const sources = {
    online: { counts: read.counts, turnout: read.turnout },
    paper,
    subjects: sourceBreakdown(inst, read.counts, paper.counts),
  };
  const issued = codesIssued(inst, rows);
  const coded = inst.access === 'code';
  const label = categoryLabel(c.get('catalog'), inst.appraisal);
  // 参评率: online responses per code issued (paper ballots answer to the meeting's counts; see buildFeed).
  const validity = validityOf(
    inst,
    read.turnout.map((t) => ({ ...t, codesIssued: coded ? (issued.byCategory.get(t.raterCategory) ?? 0) : null })),
    label,
  );
  const k = minCellOf(c.get('catalog').appraisals.find((a) => a.id === inst.appraisal));
  return {
    public: publicTally(inst, { counts, turnout, subjects: subjectScores(inst, counts), validity, sources }, k),
    issued,
  };
}

instrumentRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/instruments/{id}/tally',
    tags: ['instruments'],
    summary: '统计: 各题各选项各评议主体类别的计数与加权得分 (按公开策略)',
    request: { params },
    responses: { 200: json(tallyBody, 'Tally'), ...errorResponses(400, 403, 404) },
  }),
  async (c) => {
    const inst = instrumentOr404(c, c.req.valid('param').id);
    await assertPublished(c, inst);
    const { public: p, issued } = await publishedTally(c, inst);
    const coded = inst.access === 'code';
    return c.json(
      {
        instrument: inst.id,
        asOf: c.get('now')().toISOString(),
        share: inst.share,
        ...p,
        subjects: p.subjects.map((x) => ({
          ...x,
          codesIssued: coded ? (issued.bySubject.get(x.subject.id) ?? 0) : null,
        })),
        rule: scoreRuleOf(inst),
      },
      200,
    );
  },
);

instrumentRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/instruments/{id}/receipts',
    tags: ['instruments'],
    summary: '已计入的回执号清单 (截止后公开, 供核对)',
    request: { params },
    responses: { 200: json(receiptList, 'Receipts'), ...errorResponses(400, 403, 404) },
  }),
  async (c) => {
    const inst = instrumentOr404(c, c.req.valid('param').id);
    const overrides = await readOverrides(c.get('db'));
    if (instrumentStatus(inst, c.get('now')(), overrides.get(inst.id)) !== 'closed') {
      throw new ApiError(403, 'tally_not_public');
    }
    return c.json({ instrument: inst.id, receipts: await listReceipts(c.get('db'), inst.id) }, 200);
  },
);
