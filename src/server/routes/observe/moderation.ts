// The forum's review queue: posts awaiting moderation, reported posts, hidden
// posts; approve or hide with a reason. Observers act on posts about their
// units and on posts about no unit; leads on all.
import { createRoute, z } from '@hono/zod-openapi';
import { id } from '../../../domain/schemas/common';
import { forumId, pageQuery } from '../../../domain/schemas/forum';
import { hideRequest, moderationQueue, queueKind, scopeFilter } from '../../../domain/schemas/observer-account';
import { FORUM_PAGE } from '../../db/forum';
import { moderatePost, type PostState, postState, moderationQueue as readQueue } from '../../db/moderation';
import { ApiError } from '../../middleware/errors';
import { body, errorResponses, json } from '../_helpers';
import { auditOf, conflict, forbidden, type ObserverContext, observerApp, viewer } from './shared';

export const moderationRoutes = observerApp();

moderationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/observe/posts',
    tags: ['observe'],
    summary: '论坛审核队列 (待审、被举报、已隐藏), 本人负责的在前',
    request: {
      query: z.object({
        queue: queueKind.default('pending'),
        scope: scopeFilter,
        appraisal: id.optional(),
        page: pageQuery,
      }),
    },
    responses: { 200: json(moderationQueue, 'Queue'), ...errorResponses(400, 401) },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const r = await readQueue(c.get('db'), {
      kind: q.queue,
      viewer: viewer(c),
      mine: q.scope === 'mine',
      appraisal: q.appraisal,
      page: q.page,
    });
    return c.json({ ...r, page: q.page, pages: Math.ceil(r.total / FORUM_PAGE) }, 200);
  },
);

/** The post as read, if this observer may act on it. */
async function actionable(c: ObserverContext, postId: string): Promise<PostState> {
  const p = await postState(c.get('db'), postId);
  if (!p) throw new ApiError(404, 'not_found');
  const v = viewer(c);
  if (!v.lead && p.unit !== null && !v.units.includes(p.unit)) throw forbidden();
  return p;
}

const snapshot = (p: Pick<PostState, 'status' | 'hiddenReason' | 'reports' | 'reviewedReports'>) => ({
  status: p.status,
  hiddenReason: p.hiddenReason,
  openReports: p.reports - p.reviewedReports,
});

const params = z.object({ id: forumId });
const done = z.object({ id: forumId, status: z.enum(['visible', 'hidden']) });

moderationRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/observe/posts/{id}/approve',
    tags: ['observe'],
    summary: '通过 (公开) 帖子, 并将其举报标为已复核',
    request: { params, body: body(z.object({})) },
    responses: { 200: json(done, 'Approved'), ...errorResponses(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const before = await actionable(c, c.req.valid('param').id);
    if (before.status === 'visible' && before.reports === before.reviewedReports) throw conflict();
    const after = { status: 'visible' as const, hiddenReason: null, openReports: 0 };
    const ok = await moderatePost(c.get('db'), {
      before,
      status: 'visible',
      reason: null,
      by: c.get('observer').id,
      at: c.get('now')().toISOString(),
      audit: auditOf(c, 'post.approve', { kind: 'post', id: before.id }, snapshot(before), after),
    });
    if (!ok) throw conflict();
    return c.json({ id: before.id, status: 'visible' as const }, 200);
  },
);

moderationRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/observe/posts/{id}/hide',
    tags: ['observe'],
    summary: '隐藏帖子 (须写明理由)',
    request: { params, body: body(hideRequest) },
    responses: { 200: json(done, 'Hidden'), ...errorResponses(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const before = await actionable(c, c.req.valid('param').id);
    const { reason } = c.req.valid('json');
    if (before.status === 'hidden' && before.hiddenReason === reason) throw conflict();
    const ok = await moderatePost(c.get('db'), {
      before,
      status: 'hidden',
      reason,
      by: c.get('observer').id,
      at: c.get('now')().toISOString(),
      audit: auditOf(c, 'post.hide', { kind: 'post', id: before.id }, snapshot(before), {
        status: 'hidden',
        hiddenReason: reason,
        openReports: 0,
      }),
    });
    if (!ok) throw conflict();
    return c.json({ id: before.id, status: 'hidden' as const }, 200);
  },
);
