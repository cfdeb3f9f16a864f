// The rectification ledger in the console: every observer reads it, lead
// observers add and edit items (measure, responsible post, deadline,
// evidence, 销号), each change in the audit log in the same batch. The public
// pages, open data and feed show it within the minute (purgeLive).
import { createRoute, z } from '@hono/zod-openapi';
import { localDate } from '../../../domain/phase';
import { id } from '../../../domain/schemas/common';
import {
  newRectificationRequest,
  rectificationItem,
  rectificationList,
  rectificationUpdate,
} from '../../../domain/schemas/rectification';
import { addLedgerItem, changeLedgerItem, type LedgerRow, ledgerItem, ledgerItems } from '../../db/rectification';
import { ledgerToItems, purgeLive } from '../../live/data';
import { ApiError } from '../../middleware/errors';
import { body, errorResponses, invalid, json } from '../_helpers';
import { auditOf, conflict, forbidden, type ObserverContext, observerApp } from './shared';

export const rectificationRoutes = observerApp();

const today = (c: ObserverContext) => localDate(c.get('now')());

rectificationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/observe/rectification',
    tags: ['observe'],
    summary: '整改台账 (按考核、单位筛选; 状态按完成时限和今天计算)',
    request: { query: z.object({ appraisal: id.optional(), unit: id.optional() }) },
    responses: { 200: json(rectificationList, 'Items'), ...errorResponses(400, 401) },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const rows = await ledgerItems(c.get('db'), q);
    return c.json({ items: rows.map((r) => ledgerToItems(r, today(c))), asOf: today(c) }, 200);
  },
);

function leadOnly(c: ObserverContext) {
  if (c.get('observer').role !== 'lead') throw forbidden();
}

/** The fields an audit entry shows of an item. */
const fields = (r: Partial<LedgerRow>) => {
  const { id: _id, createdAt: _c, createdBy: _b, updatedAt: _u, version: _v, ...rest } = r;
  return rest;
};

const citedWrongly = () => invalid(['objection'], '所选申诉不属于该单位的本次考核');

rectificationRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/observe/rectification',
    tags: ['observe'],
    summary: '新增整改事项 (牵头观察员)',
    request: { body: body(newRectificationRequest) },
    responses: { 201: json(rectificationItem, 'Added'), ...errorResponses(400, 401, 403) },
  }),
  async (c) => {
    leadOnly(c);
    const req = c.req.valid('json');
    const catalog = c.get('catalog');
    if (!catalog.appraisals.some((a) => a.id === req.appraisal)) throw invalid(['appraisal'], '未知的考核');
    if (!catalog.units.some((u) => u.id === req.unit)) throw invalid(['unit'], '未知的单位');
    const at = c.get('now')().toISOString();
    const row: LedgerRow = {
      id: crypto.randomUUID(),
      appraisal: req.appraisal,
      unit: req.unit,
      source: req.source,
      sourceNote: req.sourceNote || null,
      objection: req.objection ?? null,
      problem: req.problem,
      measure: req.measure,
      responsible: req.responsible,
      deadline: req.deadline,
      completedOn: req.completedOn ?? null,
      evidence: req.evidence || null,
      createdAt: at,
      createdBy: c.get('observer').id,
      updatedAt: at,
      version: 1,
    };
    const audit = auditOf(c, 'rectification.create', { kind: 'rectification', id: row.id }, null, fields(row));
    if (!(await addLedgerItem(c.get('db'), row, audit))) throw citedWrongly();
    await purgeLive(row.appraisal);
    return c.json(ledgerToItems(row, today(c)), 201);
  },
);

/** What the request changes, as columns (empty strings clear an optional field). */
function changes(u: z.infer<typeof rectificationUpdate>, today: string): Partial<LedgerRow> {
  const set: Partial<LedgerRow> = {};
  if (u.done !== undefined) set.completedOn = u.done ? today : null;
  if (u.source !== undefined) set.source = u.source;
  if (u.sourceNote !== undefined) set.sourceNote = u.sourceNote || null;
  if (u.objection !== undefined) set.objection = u.objection;
  if (u.problem !== undefined) set.problem = u.problem;
  if (u.measure !== undefined) set.measure = u.measure;
  if (u.responsible !== undefined) set.responsible = u.responsible;
  if (u.deadline !== undefined) set.deadline = u.deadline;
  if (u.completedOn !== undefined) set.completedOn = u.completedOn;
  if (u.evidence !== undefined) set.evidence = u.evidence || null;
  return set;
}

rectificationRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/observe/rectification/{id}',
    tags: ['observe'],
    summary: '更新整改事项: 措施、责任人、时限、佐证, 销号或撤销销号 (牵头观察员)',
    request: { params: z.object({ id: z.uuid() }), body: body(rectificationUpdate) },
    responses: { 200: json(rectificationItem, 'Changed'), ...errorResponses(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    leadOnly(c);
    const req = c.req.valid('json');
    const before = await ledgerItem(c.get('db'), c.req.valid('param').id);
    if (!before) throw new ApiError(404, 'not_found');
    if (before.version !== req.version) throw conflict();
    const set = changes(req, today(c));
    if ((set.source ?? before.source) === 'objection' && !(set.objection ?? before.objection)) {
      throw invalid(['objection'], '来源为申诉复核时请选择对应的申诉');
    }
    const touched = Object.keys(set).filter(
      (k) => set[k as keyof LedgerRow] !== before[k as keyof LedgerRow],
    ) as (keyof LedgerRow)[];
    if (touched.length === 0) throw conflict();
    const pick = (r: Partial<LedgerRow>) => Object.fromEntries(touched.map((k) => [k, r[k] ?? null]));
    const audit = auditOf(c, 'rectification.update', { kind: 'rectification', id: before.id }, pick(before), pick(set));
    if (!(await changeLedgerItem(c.get('db'), before, set, audit))) {
      // Changed meanwhile, or it now cites an objection of another unit.
      if (set.objection) throw citedWrongly();
      throw conflict();
    }
    await purgeLive(before.appraisal);
    const now = await ledgerItem(c.get('db'), before.id);
    if (!now) throw new ApiError(404, 'not_found');
    return c.json(ledgerToItems(now, today(c)), 200);
  },
);
