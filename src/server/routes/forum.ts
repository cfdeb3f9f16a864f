// The forum (互动论坛), public side: read threads, start one, reply, report.
// Writes need Turnstile, the appraisal's opinion phase, and (where the
// appraisal says so) a valid code that is checked, not consumed, not stored.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { hmacHex, normaliseCrockford } from '../../domain/code';
import { dayInChina, id } from '../../domain/schemas/common';
import {
  forumId,
  forumSearchQuery,
  forumSettingsBody,
  newThreadRequest,
  pageQuery,
  postCreated,
  postTrackRequest,
  replyRequest,
  reportRequest,
  threadList,
  threadPage,
  trackedPost,
} from '../../domain/schemas/forum';
import { newTrackingNumber } from '../../domain/schemas/tracking';
import {
  createReply,
  createThread,
  FORUM_PAGE,
  listThreads,
  readThread,
  reportPost,
  searchThreads,
  trackPost,
  type WriteOutcome,
} from '../db/forum';
import { postState } from '../db/moderation';
import type { AppEnv } from '../env';
import { type Bucket, clientBucket, LIMITS } from '../guards/rate-limit';
import { checkTurnstile } from '../guards/turnstile';
import { ApiError } from '../middleware/errors';
import {
  appraisalOr,
  assertOpinionOpen,
  body,
  checkPostingCode,
  errorResponses,
  invalid,
  json,
  opinionOpen,
  subjectUnit,
  tooMany,
  trackingSecret,
} from './_helpers';

export const forumRoutes = new OpenAPIHono<AppEnv>();

const pages = (total: number) => Math.ceil(total / FORUM_PAGE);
const notFound = () => new ApiError(404, 'not_found');

/** The keyed hash a post's tracking number is stored as (its own label: not the opinion box's). */
const trackingHash = (c: Context<AppEnv>, tracking: string) =>
  hmacHex(`forum-${trackingSecret(c)}`, normaliseCrockford(tracking));

/** A write that stored nothing: over the limit, the same text again, or `otherwise`. */
function refuseUnstored(outcome: WriteOutcome, bucket: Bucket, otherwise: () => ApiError) {
  if (outcome === 'stored') return;
  if (outcome === 'rate_limited') throw tooMany(bucket);
  if (outcome === 'duplicate') throw new ApiError(409, 'duplicate_post');
  throw otherwise();
}

forumRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/forum/settings/{appraisal}',
    tags: ['forum'],
    summary: '论坛设置: 审核方式、是否须凭码发帖、举报隐藏阈值、是否开放',
    request: { params: z.object({ appraisal: id }) },
    responses: { 200: json(forumSettingsBody, 'Settings'), ...errorResponses(400, 404) },
  }),
  (c) => {
    const a = appraisalOr(c, c.req.valid('param').appraisal, notFound);
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({ appraisal: a.id, ...a.forum, open: opinionOpen(c, a), opinion: a.phases.opinion }, 200);
  },
);

forumRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/forum/threads',
    tags: ['forum'],
    summary: '主题列表 (最近活动在前, 每页 20 条)',
    request: { query: z.object({ appraisal: id, unit: id.optional(), page: pageQuery }) },
    responses: { 200: json(threadList, 'Threads'), ...errorResponses(400, 404) },
  }),
  async (c) => {
    const q = c.req.valid('query');
    appraisalOr(c, q.appraisal, notFound);
    const { threads, total } = await listThreads(c.get('db'), q);
    return c.json({ threads, page: q.page, pages: pages(total), total }, 200);
  },
);

forumRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/forum/threads',
    tags: ['forum'],
    summary: '发起主题 (先审后发时须待观察员审核), 返回查询号; 24 小时内同一考核下同标题同内容的主题不受理 (409)',
    request: { body: body(newThreadRequest) },
    responses: {
      201: json(postCreated, 'Stored; the tracking number is shown this once'),
      ...errorResponses(400, 401, 403, 409, 413, 415, 423, 429, 503),
    },
  }),
  async (c) => {
    const req = c.req.valid('json');
    const a = appraisalOr(c, req.appraisal, () => invalid(['appraisal'], '未知的考核'));
    if (req.unit) subjectUnit(c, 'unit', req.unit, ['unit']);
    assertOpinionOpen(c, a);
    await checkTurnstile(c, req.turnstileToken);
    if (a.forum.requireCode) await checkPostingCode(c, a.id, req.code);
    const now = c.get('now')().toISOString();
    const status = a.forum.moderation === 'pre' ? ('pending' as const) : ('visible' as const);
    const thread = crypto.randomUUID();
    const post = crypto.randomUUID();
    const tracking = newTrackingNumber();
    const bucket = await clientBucket(c, LIMITS.forumPost);
    const outcome = await createThread(c.get('db'), {
      id: thread,
      appraisal: a.id,
      unit: req.unit ?? null,
      title: req.title,
      post: {
        id: post,
        displayName: req.displayName,
        body: req.body,
        status,
        createdAt: now,
        trackingHash: await trackingHash(c, tracking),
      },
      bucket,
    });
    refuseUnstored(outcome, bucket, () => new ApiError(503, 'service_unavailable'));
    return c.json({ thread, post, status, tracking }, 201);
  },
);

const threadParams = z.object({ id: forumId });

forumRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/forum/search',
    tags: ['forum'],
    summary: '搜索主题: 标题或任一公开帖子含有该词的主题 (最近活动在前, 每页 20 条)',
    request: { query: forumSearchQuery },
    responses: { 200: json(threadList, 'Threads'), ...errorResponses(400) },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const { threads, total } = await searchThreads(c.get('db'), q.q, q.page);
    return c.json({ threads, page: q.page, pages: pages(total), total }, 200);
  },
);

forumRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/forum/threads/{id}',
    tags: ['forum'],
    summary: '主题与回复 (按时间, 每页 20 条)',
    request: { params: threadParams, query: z.object({ page: pageQuery }) },
    responses: { 200: json(threadPage, 'Thread'), ...errorResponses(400, 404) },
  }),
  async (c) => {
    const { page } = c.req.valid('query');
    const found = await readThread(c.get('db'), c.req.valid('param').id, page);
    if (!found) throw notFound();
    return c.json({ ...found, page, pages: pages(found.total) }, 200);
  },
);

forumRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/forum/threads/{id}/posts',
    tags: ['forum'],
    summary: '回复主题, 返回查询号; 24 小时内本主题中已有相同内容的回复不受理 (409)',
    request: { params: threadParams, body: body(replyRequest) },
    responses: {
      201: json(postCreated, 'Stored; the tracking number is shown this once'),
      ...errorResponses(400, 401, 403, 404, 409, 413, 415, 423, 429, 503),
    },
  }),
  async (c) => {
    const req = c.req.valid('json');
    const threadId = c.req.valid('param').id;
    const found = await readThread(c.get('db'), threadId, 1);
    if (!found) throw notFound();
    const a = appraisalOr(c, found.thread.appraisal, notFound);
    assertOpinionOpen(c, a);
    await checkTurnstile(c, req.turnstileToken);
    if (a.forum.requireCode) await checkPostingCode(c, a.id, req.code);
    const status = a.forum.moderation === 'pre' ? ('pending' as const) : ('visible' as const);
    const post = crypto.randomUUID();
    const tracking = newTrackingNumber();
    const bucket = await clientBucket(c, LIMITS.forumPost);
    const outcome = await createReply(c.get('db'), {
      thread: threadId,
      post: {
        id: post,
        displayName: req.displayName,
        body: req.body,
        status,
        createdAt: c.get('now')().toISOString(),
        trackingHash: await trackingHash(c, tracking),
      },
      bucket,
    });
    // Refused otherwise: hidden between the read and the write.
    refuseUnstored(outcome, bucket, notFound);
    return c.json({ thread: threadId, post, status, tracking }, 201);
  },
);

forumRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/forum/posts/{id}/reports',
    tags: ['forum'],
    summary: '举报帖子 (达到阈值的帖子暂时隐藏, 待观察员复核)',
    request: { params: z.object({ id: forumId }), body: body(reportRequest) },
    responses: {
      202: json(z.object({ received: z.literal(true) }), 'Report received'),
      ...errorResponses(400, 403, 404, 413, 415, 429, 503),
    },
  }),
  async (c) => {
    const postId = c.req.valid('param').id;
    await checkTurnstile(c, c.req.valid('json').turnstileToken);
    const state = await postState(c.get('db'), postId);
    if (!state) throw notFound();
    const a = appraisalOr(c, state.appraisal, notFound);
    const bucket = await clientBucket(c, LIMITS.forumReport);
    const outcome = await reportPost(c.get('db'), {
      post: postId,
      // The client key of this limit: an HMAC of the address and the day, never the address.
      reporter: bucket.key,
      threshold: a.forum.reportThreshold,
      bucket,
    });
    if (outcome === 'rate_limited') throw tooMany(bucket);
    if (outcome === 'not_found') throw notFound();
    // A repeated report is received the same way; it just does not count twice.
    return c.json({ received: true as const }, 202);
  },
);

forumRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/forum/posts/track',
    tags: ['forum'],
    summary: '凭查询号查看自己所发帖子的审核状态 (待审核、已公开、已隐藏及理由); 查询号放在请求体中',
    request: { body: body(postTrackRequest) },
    responses: { 200: json(trackedPost, 'The post'), ...errorResponses(400, 404, 413, 415, 429, 503) },
  }),
  async (c) => {
    const bucket = await clientBucket(c, LIMITS.track);
    const found = await trackPost(c.get('db'), await trackingHash(c, c.req.valid('json').tracking), bucket);
    if (found.hits > bucket.limit.max) throw tooMany(bucket);
    const p = found.post;
    if (!p) throw notFound();
    return c.json(
      {
        thread: p.thread,
        threadTitle: p.threadTitle,
        opening: p.opening,
        body: p.body,
        status: p.status,
        hiddenReason: p.status === 'hidden' ? p.hiddenReason : null,
        postedOn: dayInChina(new Date(p.createdAt)),
        moderatedOn: p.moderatedAt ? dayInChina(new Date(p.moderatedAt)) : null,
      },
      200,
    );
  },
);
