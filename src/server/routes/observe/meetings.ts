// Evaluation meetings (测评大会) in the console. A lead records a meeting and
// corrects its returned/spoilt counts; any observer keys the returned sheets.
// Two different observers key each sheet independently (the second never sees
// the first's reading); when the readings agree the ballot counts, in the
// same batch as the second keying; when they differ, a third observer reads
// the paper and that reading counts. Every step is audited in its batch,
// naming the serial, never the answers. See src/server/db/meetings.ts.
import { createRoute, z } from '@hono/zod-openapi';
import {
  checkSheet,
  type Keying,
  keyingsAgree,
  meetingIssues,
  nextKeying,
  sheetDifferences,
} from '../../../domain/meeting';
import { id } from '../../../domain/schemas/common';
import {
  keyingRequest,
  keyingResult,
  meetingRequest,
  meetingUpdate,
  type ObserverMeeting,
  observerMeeting,
  observerMeetings,
  type PendingSheet,
  pendingSheets,
  type SheetState,
} from '../../../domain/schemas/meeting';
import {
  addMeeting,
  changeMeeting,
  isCounted,
  keySheet,
  type MeetingListRow,
  type MeetingRow,
  meetingById,
  meetingKeyings,
  meetingList,
  refusalOf,
  sheetKeyings,
} from '../../db/meetings';
import { purgeLive } from '../../live/data';
import { ApiError } from '../../middleware/errors';
import { body, errorResponses, json } from '../_helpers';
import { auditOf, forbidden, type ObserverContext, observerApp } from './shared';

export const meetingRoutes = observerApp();

const toMeeting = (r: Pick<MeetingListRow, 'meeting' | 'counted'> & Partial<MeetingListRow>): ObserverMeeting => ({
  id: r.meeting.id,
  instrument: r.meeting.instrument,
  heldOn: r.meeting.heldOn,
  place: r.meeting.place,
  categories: JSON.parse(r.meeting.categories) as string[],
  issued: r.meeting.issued,
  returned: r.meeting.returned,
  spoilt: r.meeting.spoilt,
  counted: r.counted,
  recordedAt: r.meeting.recordedAt,
  pending: { awaitingSecond: (r.pass1 ?? 0) - (r.pass2 ?? 0), awaitingThird: r.pass2 ?? 0 },
});

function leadOnly(c: ObserverContext) {
  if (c.get('observer').role !== 'lead') throw forbidden();
}

function instrumentOf(c: ObserverContext, instrument: string) {
  const inst = c.get('catalog').instruments.find((i) => i.id === instrument);
  if (!inst) throw new ApiError(400, 'validation_failed', [{ path: ['instrument'], message: '未知的测评' }]);
  return inst;
}

/** The database's refusal as the console's 409 (nothing was stored: the batch rolled back). */
function refused(e: unknown): never {
  switch (refusalOf(e)) {
    case 'over_returned':
      throw new ApiError(409, 'ballots_over_returned');
    case 'serial_counted':
      throw new ApiError(409, 'serial_already_counted');
    case 'below_counted':
      throw new ApiError(409, 'meeting_below_counted');
    case 'keying_taken':
      throw new ApiError(409, 'conflict');
    default:
      throw e;
  }
}

meetingRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/observe/meetings',
    tags: ['observe'],
    summary: '测评大会 (可按测评筛选): 票数, 已计入的选票, 待第二遍录入和待第三人核对的选票数',
    request: { query: z.object({ instrument: id.optional() }) },
    responses: { 200: json(observerMeetings, 'Meetings'), ...errorResponses(400, 401) },
  }),
  async (c) => {
    const rows = await meetingList(c.get('db'), c.req.valid('query').instrument);
    return c.json({ meetings: rows.map(toMeeting) }, 200);
  },
);

meetingRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/observe/meetings',
    tags: ['observe'],
    summary: '登记测评大会: 日期、地点、到会的评议主体类别、发出/收回/废票数 (牵头观察员)',
    request: { body: body(meetingRequest) },
    responses: { 201: json(observerMeeting, 'Recorded'), ...errorResponses(400, 401, 403) },
  }),
  async (c) => {
    leadOnly(c);
    const req = c.req.valid('json');
    const inst = instrumentOf(c, req.instrument);
    const issues = meetingIssues(inst, req.categories);
    if (issues.length > 0) throw new ApiError(400, 'validation_failed', issues);
    const row: MeetingRow = {
      id: crypto.randomUUID(),
      appraisal: inst.appraisal,
      instrument: inst.id,
      heldOn: req.heldOn,
      place: req.place,
      categories: JSON.stringify(req.categories),
      issued: req.issued,
      returned: req.returned,
      spoilt: req.spoilt,
      recordedAt: c.get('now')().toISOString(),
    };
    const { id: _id, appraisal: _a, recordedAt: _r, categories: _c, ...fields } = row;
    await addMeeting(
      c.get('db'),
      row,
      auditOf(c, 'meeting.create', { kind: 'meeting', id: row.id }, null, { ...fields, categories: req.categories }),
    );
    await purgeLive(inst.appraisal);
    return c.json(toMeeting({ meeting: row, counted: 0 }), 201);
  },
);

const params = z.object({ id: z.uuid() });

async function meetingOr404(c: ObserverContext, meetingId: string) {
  const m = await meetingById(c.get('db'), meetingId);
  if (!m) throw new ApiError(404, 'not_found');
  return m;
}

meetingRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/observe/meetings/{id}',
    tags: ['observe'],
    summary: '更正收回票数、废票数 (牵头观察员; 不能少于已计入的选票)',
    request: { params, body: body(meetingUpdate) },
    responses: { 200: json(observerMeeting, 'Changed'), ...errorResponses(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    leadOnly(c);
    const req = c.req.valid('json');
    const before = await meetingOr404(c, c.req.valid('param').id);
    const m = before.meeting;
    const set = {
      ...(req.returned !== undefined ? { returned: req.returned } : {}),
      ...(req.spoilt !== undefined ? { spoilt: req.spoilt } : {}),
    };
    const returned = set.returned ?? m.returned;
    const spoilt = set.spoilt ?? m.spoilt;
    const issues = [
      ...(returned > m.issued ? [{ path: ['returned'], message: '收回票数不能多于发出票数' }] : []),
      ...(spoilt > returned ? [{ path: ['spoilt'], message: '废票数不能多于收回票数' }] : []),
    ];
    if (issues.length > 0) throw new ApiError(400, 'validation_failed', issues);
    const touched = (Object.keys(set) as ('returned' | 'spoilt')[]).filter((k) => set[k] !== m[k]);
    if (touched.length === 0) throw new ApiError(409, 'conflict');
    const pick = (r: Partial<MeetingRow>) => Object.fromEntries(touched.map((k) => [k, r[k]]));
    try {
      // The trigger refuses a count below the ballots counted (read in the statement itself, not here).
      const ok = await changeMeeting(
        c.get('db'),
        m.id,
        set,
        auditOf(c, 'meeting.update', { kind: 'meeting', id: m.id }, pick(m), pick(set)),
      );
      if (!ok) throw new ApiError(404, 'not_found');
    } catch (e) {
      refused(e);
    }
    await purgeLive(m.appraisal);
    return c.json(toMeeting(await meetingOr404(c, m.id)), 200);
  },
);

const asKeying = (k: Keying) => k;

meetingRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/observe/meetings/{id}/pending',
    tags: ['observe'],
    summary: '待录入的选票: 只录入过一遍的 (不显示其内容), 两遍不一致待第三人核对的 (只显示不一致的题目)',
    request: { params },
    responses: { 200: json(pendingSheets, 'Sheets'), ...errorResponses(400, 401, 404) },
  }),
  async (c) => {
    const m = await meetingOr404(c, c.req.valid('param').id);
    const inst = instrumentOf(c, m.meeting.instrument);
    const me = c.get('observer').id;
    const bySerial = new Map<string, { keying: Keying; name: string | null }[]>();
    for (const r of await meetingKeyings(c.get('db'), m.meeting.id)) {
      bySerial.set(r.keying.serial, [...(bySerial.get(r.keying.serial) ?? []), { keying: r.keying, name: r.name }]);
    }
    const sheets: PendingSheet[] = [...bySerial].map(([serial, ks]) => {
      const first = ks.find((k) => k.keying.pass === 1)?.keying;
      const second = ks.find((k) => k.keying.pass === 2)?.keying;
      return {
        serial,
        state: second ? 'awaiting_third' : 'awaiting_second',
        keyedBy: ks.map((k) => ({ id: k.keying.observer, displayName: k.name ?? k.keying.observer.slice(0, 8) })),
        mayKey: !ks.some((k) => k.keying.observer === me),
        // A single reading is never shown: the second keying must be independent of the first.
        differences: first && second ? sheetDifferences(inst, asKeying(first), asKeying(second)) : [],
      };
    });
    return c.json({ meeting: m.meeting.id, sheets }, 200);
  },
);

meetingRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/observe/meetings/{id}/keyings',
    tags: ['observe'],
    summary:
      '录入一张纸质选票 (第一遍任一观察员; 第二遍须另一位观察员, 一致即计入; 不一致由第三位观察员核对纸质选票后录入, 以其为准)',
    request: { params, body: body(keyingRequest) },
    responses: { 201: json(keyingResult, 'Keyed'), ...errorResponses(400, 401, 404, 409) },
  }),
  async (c) => {
    const req = c.req.valid('json');
    const m = await meetingOr404(c, c.req.valid('param').id);
    const meeting = m.meeting;
    const inst = instrumentOf(c, meeting.instrument);
    const { issues, canonical } = checkSheet(inst, JSON.parse(meeting.categories) as string[], req);
    if (issues.length > 0 || canonical === null) throw new ApiError(400, 'validation_failed', issues);
    const db = c.get('db');
    const observer = c.get('observer').id;
    if (await isCounted(db, meeting.instrument, req.serial)) throw new ApiError(409, 'serial_already_counted');
    const next = nextKeying(await sheetKeyings(db, meeting.id, req.serial), observer);
    if ('refused' in next) {
      throw next.refused === 'same_observer'
        ? new ApiError(409, 'keyer_not_independent')
        : new ApiError(409, 'conflict');
    }
    const sheet = { raterCategory: req.raterCategory, answers: canonical };
    const agrees = next.against ? keyingsAgree(next.against, sheet) : undefined;
    const target = { kind: 'sheet', id: req.serial };
    const step = { meeting: meeting.id, pass: next.pass };
    const audits = [auditOf(c, 'paper.key', target, null, step)];
    if (next.pass === 2) audits.push(auditOf(c, agrees ? 'paper.count' : 'paper.mismatch', target, null, step));
    if (next.pass === 3) audits.push(auditOf(c, 'paper.resolve', target, null, step));
    let stored: boolean;
    try {
      stored = await keySheet(db, { meeting, serial: req.serial, pass: next.pass, observer, ...sheet, agrees }, audits);
    } catch (e) {
      refused(e);
    }
    if (!stored) {
      // Its premise moved between the read and the write: say why, from what is stored now.
      if (await isCounted(db, meeting.instrument, req.serial)) throw new ApiError(409, 'serial_already_counted');
      const now = await sheetKeyings(db, meeting.id, req.serial);
      if (now.some((k) => k.observer === observer)) throw new ApiError(409, 'keyer_not_independent');
      throw new ApiError(409, 'conflict');
    }
    const state: SheetState =
      next.pass === 1 ? 'awaiting_second' : next.pass === 2 && !agrees ? 'awaiting_third' : 'counted';
    if (state === 'counted') await purgeLive(meeting.appraisal);
    return c.json({ serial: req.serial, pass: next.pass, state }, 201);
  },
);
