// The live view: turnout of every instrument of an appraisal, and its internal
// tallies once closed, whatever its publication policy (observers only); the lead's
// override of an instrument's window (pause, close early, reopen).
import { createRoute, z } from '@hono/zod-openapi';
import type { RuntimeCatalog } from '../../../domain/catalog';
import { categoryLabel } from '../../../domain/catalog';
import { instrumentStatus } from '../../../domain/instrument';
import { id } from '../../../domain/schemas/common';
import { type Instrument, type OverrideState, overrideState } from '../../../domain/schemas/instrument';
import { instrumentStateRequest, type LiveInstrument, liveView } from '../../../domain/schemas/observer-account';
import type { SubjectRef } from '../../../domain/schemas/question';
import { webhookList } from '../../../domain/schemas/webhook';
import { codesIssued, subjectScores, talliesReleased, validityOf } from '../../../domain/tally';
import { t } from '../../../i18n';
import { findInstrument } from '../../catalog';
import { setInstrumentState } from '../../db/observers';
import { readOverrides, readTally, readTurnout } from '../../db/tallies';
import { enqueueDelivery, listDeliveries } from '../../db/webhooks';
import { ApiError } from '../../middleware/errors';
import { requireRole } from '../../middleware/session';
import { deliverDue, webhooksConfigured } from '../../webhooks';
import { body, errorResponses, json } from '../_helpers';
import { auditOf, conflict, type ObserverContext, observerApp } from './shared';

export const liveRoutes = observerApp();

/** Tallies and turnout of one instrument, as the console charts them. */
export async function liveInstrument(
  c: ObserverContext,
  inst: Instrument,
  override: OverrideState | undefined,
): Promise<LiveInstrument> {
  const status = instrumentStatus(inst, c.get('now')(), override);
  // Before close observers see turnout only (exact): per-option counts read twice would show a single ballot.
  const released = talliesReleased(status);
  const [{ counts }, turnout] = await Promise.all([
    released ? readTally(c.get('db'), inst.id) : { counts: [] },
    readTurnout(c.get('db'), inst.id, inst.appraisal),
  ]);
  const cats = inst.access === 'public' ? (['public'] as const) : inst.raterCategories;
  const issued = codesIssued(inst, turnout.issued);
  const label = categoryLabel(c.get('catalog'), inst.appraisal);
  const perCategory = cats.map((raterCategory) => ({
    raterCategory,
    label: label(raterCategory),
    responses: turnout.responses.get(raterCategory) ?? 0,
    codesIssued: inst.access === 'public' ? null : (issued.byCategory.get(raterCategory) ?? 0),
  }));
  const questions = inst.questions
    .filter((q) => released && !q.subject && q.type !== 'text')
    .map((q) => ({
      id: q.id,
      label: q.label,
      options: (q.type === 'text' ? [] : q.options).map((o) => ({
        id: o.id,
        label: o.label,
        count: counts.filter((x) => x.question === q.id && x.option === o.id).reduce((s, x) => s + x.count, 0),
      })),
    }));
  return {
    id: inst.id,
    title: inst.title,
    kind: inst.kind,
    access: inst.access,
    status,
    override: override ?? null,
    talliesReleased: released,
    opensAt: inst.opensAt,
    closesAt: inst.closesAt,
    tallyPolicy: inst.tallyPolicy,
    total: perCategory.reduce((s, x) => s + x.responses, 0),
    turnout: perCategory,
    validity: validityOf(inst, perCategory, label),
    subjects: released ? subjectScores(inst, counts) : [],
    questions,
  };
}

export function subjectName(catalog: RuntimeCatalog, s: SubjectRef): string {
  if (s.kind === 'official') {
    const o = catalog.officials.find((x) => x.id === s.id);
    if (!o) return s.id;
    return t.subject.official(o.name, o.post, catalog.units.find((u) => u.id === o.unit)?.name ?? o.unit);
  }
  const name = catalog.units.find((u) => u.id === s.id)?.name ?? s.id;
  return s.kind === 'group' ? t.subject.group(name) : t.subject.unit(name);
}

liveRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/observe/live',
    tags: ['observe'],
    summary: '实时参与情况与内部统计 (公开前, 仅观察员可见)',
    request: { query: z.object({ appraisal: id }) },
    responses: { 200: json(liveView, 'Live view'), ...errorResponses(400, 401, 404) },
  }),
  async (c) => {
    const { appraisal } = c.req.valid('query');
    const catalog = c.get('catalog');
    if (!catalog.appraisals.some((a) => a.id === appraisal)) throw new ApiError(404, 'not_found');
    const overrides = await readOverrides(c.get('db'));
    const instruments = await Promise.all(
      catalog.instruments
        .filter((i) => i.appraisal === appraisal)
        .map((i) => liveInstrument(c, i, overrides.get(i.id))),
    );
    const seen = new Map<string, SubjectRef>();
    for (const i of instruments) for (const s of i.subjects) seen.set(`${s.subject.kind}:${s.subject.id}`, s.subject);
    const subjectNames = [...seen.values()].map((subject) => ({ subject, name: subjectName(catalog, subject) }));
    return c.json({ appraisal, asOf: c.get('now')().toISOString(), instruments, subjectNames }, 200);
  },
);

liveRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/observe/instruments/{id}/state',
    tags: ['observe'],
    summary: '暂停、提前截止或重新开放一项测评 (仅牵头观察员)',
    request: { params: z.object({ id }), body: body(instrumentStateRequest) },
    responses: {
      200: json(z.object({ instrument: id, override: overrideState.nullable() }), 'Changed'),
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    requireRole(c, 'lead');
    const inst = findInstrument(c.get('catalog'), c.req.valid('param').id);
    if (!inst) throw new ApiError(404, 'not_found');
    const { state } = c.req.valid('json');
    const before = (await readOverrides(c.get('db'))).get(inst.id) ?? 'open';
    if (before === state) throw conflict();
    // Closing releases the tallies; reopening and closing again would publish the ballots in between as a diff.
    if (before === 'closed') {
      throw new ApiError(409, 'conflict', [
        { path: ['state'], message: '提前截止的测评已公开统计, 不能重新开放或暂停 (否则两次统计之差会暴露其间的选票)' },
      ]);
    }
    const at = c.get('now')();
    const now = at.toISOString();
    const audit = auditOf(c, 'instrument.state', { kind: 'instrument', id: inst.id }, { state: before }, { state });
    // Closing tells the internal appraisal system (signed webhook, retried until acknowledged).
    const webhook =
      state === 'closed' && webhooksConfigured(c.env)
        ? enqueueDelivery(c.get('db'), {
            event: 'instrument.closed',
            instrument: inst.id,
            payload: {
              event: 'instrument.closed',
              instrument: inst.id,
              appraisal: inst.appraisal,
              closedAt: now,
              feed: `/api/v1/feed/appraisals/${inst.appraisal}/tallies`,
            },
            now: at,
          })
        : undefined;
    if (!(await setInstrumentState(c.get('db'), inst.id, state, now, audit, webhook))) throw conflict();
    if (webhook) background(c, deliverDue(c.get('db'), c.env, at));
    return c.json({ instrument: inst.id, override: state === 'open' ? null : state }, 200);
  },
);

/** Run work after the response when the platform allows it (not in tests or scripts). */
function background(c: ObserverContext, work: Promise<unknown>) {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    void work.catch(() => undefined);
  }
}

liveRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/observe/webhooks',
    tags: ['observe'],
    summary: '推送到内部考核系统的记录及送达状态 (打开时会重试到期的推送)',
    responses: {
      200: json(webhookList, 'Deliveries'),
      ...errorResponses(401),
    },
  }),
  async (c) => {
    // Pages Functions have no cron: opening the list retries what is due.
    await deliverDue(c.get('db'), c.env, c.get('now')());
    return c.json({ configured: webhooksConfigured(c.env), deliveries: await listDeliveries(c.get('db')) }, 200);
  },
);
