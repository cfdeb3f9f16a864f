// The feed for the internal appraisal system (HMAC-signed requests only).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { stringify } from 'csv-stringify/sync';
import type { RuntimeCatalog } from '../../domain/catalog';
import { categoryLabel } from '../../domain/catalog';
import { buildFeed, FEED_HEADERS } from '../../domain/feed';
import { instrumentStatus } from '../../domain/instrument';
import { id } from '../../domain/schemas/common';
import { type FeedBody, feedBody, feedQuery } from '../../domain/schemas/feed';
import { codesIssued } from '../../domain/tally';
import { pruneNonces, readFeed } from '../db/feed';
import type { AppEnv } from '../env';
import { ApiError } from '../middleware/errors';
import { verifySignedRequest } from '../middleware/feed-auth';
import { errorResponses, type Security } from './_helpers';

// Documented here; checked by verifySignedRequest, so a missing header is a 401 (feed_unsigned) naming it.
const signedHeaders = z.object({
  [FEED_HEADERS.keyId]: z.string().optional().meta({ description: '密钥编号' }),
  [FEED_HEADERS.timestamp]: z.string().optional().meta({ description: 'Unix 秒, 与服务器相差不超过 300 秒' }),
  [FEED_HEADERS.nonce]: z.string().optional().meta({ description: '16-128 个字符的随机串, 每个请求不同' }),
  [FEED_HEADERS.signature]: z.string().optional().meta({ description: 'HMAC-SHA256(密钥, 规范请求串), 十六进制' }),
});

const CSV_COLUMNS = [
  'record',
  'instrument',
  'subject_kind',
  'subject_id',
  'subject_name',
  'question',
  'option',
  'rater_category',
  'value',
];

function subjectName(catalog: RuntimeCatalog, kind: string, subjectId: string) {
  if (kind === 'official') return catalog.officials.find((o) => o.id === subjectId)?.name ?? '';
  return catalog.units.find((u) => u.id === subjectId)?.name ?? '';
}

/** One row per count, turnout figure and subject score; the digest travels in a header. */
function toCsv(feed: FeedBody, catalog: RuntimeCatalog): string {
  const rows: (string | number | null)[][] = [];
  for (const i of feed.instruments) {
    const subjectOf = new Map(
      catalog.instruments.find((x) => x.id === i.id)?.questions.map((q) => [q.id, q.subject]) ?? [],
    );
    for (const t of i.turnout) rows.push(['turnout', i.id, '', '', '', '', '', t.raterCategory, t.responses]);
    for (const t of i.turnout)
      if (t.codesIssued !== null) rows.push(['codes_issued', i.id, '', '', '', '', '', t.raterCategory, t.codesIssued]);
    const countRow = (kind: string, c: (typeof i.counts)[number]) => {
      const s = subjectOf.get(c.question);
      const name = s ? subjectName(catalog, s.kind, s.id) : '';
      rows.push([kind, i.id, s?.kind ?? '', s?.id ?? '', name, c.question, c.option, c.raterCategory, c.count]);
    };
    for (const c of i.counts) countRow('count', c);
    // Each source side by side (issue 19): count_online + count_paper = count, and each source's own score.
    for (const src of ['online', 'paper'] as const) {
      const part = i.sources?.[src];
      if (!part) continue;
      for (const t of part.turnout)
        rows.push([`turnout_${src}`, i.id, '', '', '', '', '', t.raterCategory, t.responses]);
      for (const c of part.counts) countRow(`count_${src}`, c);
      for (const x of i.sources?.subjects ?? []) {
        const name = subjectName(catalog, x.subject.kind, x.subject.id);
        rows.push([`known_${src}`, i.id, x.subject.kind, x.subject.id, name, '', '', '', x[src].known]);
        rows.push([`score_${src}`, i.id, x.subject.kind, x.subject.id, name, '', '', '', x[src].score]);
      }
    }
    for (const s of i.subjects) {
      const name = subjectName(catalog, s.subject.kind, s.subject.id);
      rows.push(['score', i.id, s.subject.kind, s.subject.id, name, '', '', '', s.score]);
      rows.push(['contribution', i.id, s.subject.kind, s.subject.id, name, '', '', '', s.contribution]);
      for (const b of s.byCategory)
        rows.push(['category_score', i.id, s.subject.kind, s.subject.id, name, '', '', b.raterCategory, b.score]);
    }
  }
  return stringify(rows, { header: true, columns: CSV_COLUMNS, bom: true });
}

export const feedRoutes = new OpenAPIHono<AppEnv>();

/** The four signed headers, described once (/developers/api/#signing has the whole scheme). */
feedRoutes.openAPIRegistry.registerComponent('securitySchemes', 'feedSignature', {
  type: 'apiKey',
  in: 'header',
  name: FEED_HEADERS.signature,
  description: `HMAC-SHA256 of the canonical request, with ${FEED_HEADERS.keyId}, ${FEED_HEADERS.timestamp} and ${FEED_HEADERS.nonce} (see /developers/api/#signing)`,
});
const signed: Security = [{ feedSignature: [] }];

for (const path of ['/feed/appraisals/{id}/tallies', '/feed/appraisals/{id}/tallies.csv'] as const) {
  feedRoutes.openapi(
    createRoute({
      method: 'get',
      path,
      tags: ['feed'],
      security: signed,
      summary: path.endsWith('.csv')
        ? '内部考核系统数据接口 (CSV)'
        : '内部考核系统数据接口: 统计、加权得分、参与率、摘要 (JSON; Accept: text/csv 得 CSV)',
      request: { params: z.object({ id }), query: feedQuery, headers: signedHeaders },
      responses: {
        200: {
          description: 'The tally set of the appraisal',
          content: { 'application/json': { schema: feedBody }, 'text/csv': { schema: z.string() } },
        },
        ...errorResponses(400, 401, 404, 503),
      },
    }),
    async (c) => {
      const signed = await verifySignedRequest(c);
      const appraisal = c.req.valid('param').id;
      const catalog = c.get('catalog');
      const instruments = catalog.instruments.filter((i) => i.appraisal === appraisal);
      const read = await readFeed(c.get('db'), { ...signed, appraisal, instruments: instruments.map((i) => i.id) });
      if (!read.ok) throw new ApiError(401, read.reason === 'replay' ? 'feed_nonce_reused' : 'feed_key_refused');
      if (!catalog.appraisals.some((a) => a.id === appraisal) && instruments.length === 0)
        throw new ApiError(404, 'not_found');
      const now = c.get('now')();
      try {
        c.executionCtx.waitUntil(pruneNonces(c.get('db'), Math.floor(now.getTime() / 1000)));
      } catch {
        // No execution context (tests, scripts): pruning can wait for the next request.
      }
      const feed = await buildFeed(
        appraisal,
        now.toISOString(),
        instruments.map((instrument) => {
          const issued = codesIssued(instrument, read.issued);
          return {
            instrument,
            status: instrumentStatus(instrument, now, read.overrides.get(instrument.id)),
            counts: read.counts
              .filter((x) => x.instrument === instrument.id)
              .map(({ instrument: _i, ...rest }) => rest),
            turnout: read.turnout.filter((x) => x.instrument === instrument.id),
            paper: read.paper(instrument.id),
            issued: issued.byCategory,
            issuedBySubject: issued.bySubject,
            label: categoryLabel(catalog, appraisal),
          };
        }),
        c.req.valid('query').since,
      );
      const csv =
        path.endsWith('.csv') ||
        c.req.valid('query').format === 'csv' ||
        (c.req.header('accept') ?? '').includes('text/csv');
      c.header('X-Kaoping-Digest', feed.digest);
      c.header('X-Kaoping-Cursor', feed.cursor);
      c.header('X-Kaoping-As-Of', feed.asOf);
      if (csv) {
        return c.body(toCsv(feed, catalog), 200, { 'Content-Type': 'text/csv; charset=utf-8' }) as never;
      }
      return c.json(feed, 200);
    },
  );
}
