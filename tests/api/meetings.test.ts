// Evaluation meetings and their paper ballots, against a real D1 with the
// migrations: a lead records a meeting; two different observers key each
// sheet independently; agreement counts exactly one ballot (and bumps the
// paper counters) in the batch of the second keying; a mismatch waits for a
// third observer, whose reading counts; every refusal stores nothing; the
// audit log names serials, never answers; the public sees a meeting only
// after its day.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatSerial } from '../../src/domain/ballot-serial';
import type { RuntimeCatalog } from '../../src/domain/catalog';
import { expandInstrument } from '../../src/domain/instrument';
import { apiError } from '../../src/domain/schemas/api';
import { instrumentSource } from '../../src/domain/schemas/instrument';
import {
  keyingResult,
  observerMeeting,
  observerMeetings,
  pendingSheets,
  publicMeetings,
} from '../../src/domain/schemas/meeting';
import { createLivePages } from '../../src/server/live/pages';
import { client } from '../support/api-client';
import { makeObserver, NOW, catalog as observeCatalog, type Session, signIn } from '../support/observe-fixtures';

// The fixtures' catalog, plus a rating with a comment box (a text question, never keyed from paper).
const catalog: RuntimeCatalog = {
  ...observeCatalog,
  instruments: [
    ...observeCatalog.instruments,
    expandInstrument(
      instrumentSource.parse({
        id: 'rating-comment-t',
        appraisal: 'test-2026',
        kind: 'rating',
        title: '带意见的评议',
        access: 'code',
        raterCategories: ['npc_deputy'],
        opensAt: '2026-11-20T08:00:00+08:00',
        closesAt: '2026-12-20T18:00:00+08:00',
        subjects: ['unit-a'],
        comment: { maxLength: 100 },
      }),
    ),
  ],
};
const api = client({ catalog, now: () => NOW });

/** A full sheet of ballot-t: `grade` for every item, nothing else. */
const sheet = (grade = 'good', extra: Record<string, string | string[]> = {}) => ({
  'unit-a.i1': grade,
  'unit-a.i2': grade,
  'unit-b.i1': grade,
  'unit-b.i2': grade,
  ...extra,
});

const meetingOf = (fields: Record<string, unknown> = {}) => ({
  instrument: 'ballot-t',
  heldOn: '2026-11-23',
  place: '县委党校报告厅',
  categories: ['party_deputy'],
  issued: 40,
  returned: 38,
  spoilt: 1,
  ...fields,
});

/** Every row of the tables a keying or a meeting touches: equal before and after means nothing was stored. */
async function tables() {
  const out: Record<string, unknown[]> = {};
  for (const t of ['meetings', 'paper_keyings', 'paper_ballots', 'paper_tallies', 'audit_log']) {
    out[t] = (await env.DB.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()).results;
  }
  return out;
}

async function refusedWithNothingStored(
  r: Response | Promise<Response>,
  status: number,
  code: string,
  before: Record<string, unknown[]>,
) {
  const res = await r;
  const body = apiError.parse(await res.json());
  expect({ status: res.status, code: body.error.code }).toEqual({ status, code });
  expect(await tables()).toEqual(before);
  return body;
}

let lead: Session;
let o1: Session;
let o2: Session;
let o3: Session;
let meeting: string;

const key = (who: Session, serial: string, answers: unknown, raterCategory = 'party_deputy', at = meeting) =>
  who.post(`/api/v1/observe/meetings/${at}/keyings`, { serial, raterCategory, answers });
const patch = (who: Session, id: string, payload: unknown) =>
  api.request(`/api/v1/observe/meetings/${id}`, {
    method: 'PATCH',
    headers: { ...who.headers, 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
const countOf = async (sql: string, ...args: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...args)
      .first<{ n: number }>()
  )?.n ?? 0;

beforeAll(async () => {
  lead = await signIn(await makeObserver('lead'), api);
  o1 = await signIn(await makeObserver('observer'), api);
  o2 = await signIn(await makeObserver('observer'), api);
  o3 = await signIn(await makeObserver('observer'), api);
  const r = await lead.post('/api/v1/observe/meetings', meetingOf());
  expect(r.status, await r.clone().text()).toBe(201);
  meeting = observerMeeting.parse(await r.json()).id;
});

describe('recording a meeting', () => {
  it('is for a lead only; an observer is refused and nothing is stored', async () => {
    await refusedWithNothingStored(o1.post('/api/v1/observe/meetings', meetingOf()), 403, 'forbidden', await tables());
  });

  it('refuses counts out of order, unknown categories, instruments without paper; naming the field', async () => {
    const before = await tables();
    const cases: [Record<string, unknown>, string][] = [
      [{ issued: 10, returned: 12 }, 'returned'],
      [{ returned: 5, spoilt: 6 }, 'spoilt'],
      [{ issued: 100_001, returned: 0, spoilt: 0 }, 'issued'],
      [{ issued: 2.5 }, 'issued'],
      [{ spoilt: -1 }, 'spoilt'],
      [{ categories: [] }, 'categories'],
      [{ categories: ['party_deputy', 'party_deputy'] }, 'categories'],
      [{ categories: ['service_recipient'] }, 'categories'],
      [{ heldOn: '2026-13-01' }, 'heldOn'],
      [{ instrument: 'q-public' }, 'instrument'],
      [{ instrument: 'no-such' }, 'instrument'],
    ];
    for (const [fields, field] of cases) {
      const body = await refusedWithNothingStored(
        lead.post('/api/v1/observe/meetings', meetingOf(fields)),
        400,
        'validation_failed',
        before,
      );
      expect(body.error.issues?.map((i) => i.path[0])).toContain(field);
    }
  });

  it('lists meetings with their counted and pending figures', async () => {
    const r = await o1.get('/api/v1/observe/meetings?instrument=ballot-t');
    const m = observerMeetings.parse(await r.json()).meetings.find((x) => x.id === meeting);
    expect(m).toMatchObject({ issued: 40, returned: 38, spoilt: 1, counted: 0, categories: ['party_deputy'] });
  });
});

describe('keying a sheet', () => {
  it('refuses a bad serial, a category not present, an unknown grade, a missing item, an unknown question; nothing stored', async () => {
    const serial = formatSerial(101);
    const before = await tables();
    const wrongCheck = `${serial.slice(0, 7)}${serial.endsWith('A') ? 'B' : 'A'}`;
    const cases: [Response | Promise<Response>, (string | number)[], RegExp][] = [
      [key(o1, wrongCheck, sheet()), ['serial'], /编号/],
      [key(o1, '12345-K', sheet()), ['serial'], /编号/],
      [key(o1, serial, sheet(), 'npc_deputy'), ['raterCategory'], /未出席/],
      [key(o1, serial, sheet(), 'no_such'), ['raterCategory'], /未出席/],
      [key(o1, serial, sheet('excellent')), ['answers', 'unit-a.i1'], /unit-a\.i1.*有效选项/],
      [key(o1, serial, { ...sheet(), 'unit-b.i2': undefined }), ['answers', 'unit-b.i2'], /unit-b\.i2.*请回答/],
      [key(o1, serial, sheet('good', { 'unit-c.i1': 'good' })), ['answers', 'unit-c.i1'], /没有这道题/],
      [key(o1, serial, sheet('good', { 'unit-a.problems': ['p9'] })), ['answers', 'unit-a.problems', 0], /有效选项/],
    ];
    for (const [r, path, message] of cases) {
      const body = await refusedWithNothingStored(r, 400, 'validation_failed', before);
      const issue = body.error.issues?.find((i) => JSON.stringify(i.path) === JSON.stringify(path));
      expect(issue?.message, JSON.stringify(body.error.issues)).toMatch(message);
    }
  });

  it('refuses any text answer: comments written on paper are never keyed', async () => {
    const r = await lead.post(
      '/api/v1/observe/meetings',
      meetingOf({ instrument: 'rating-comment-t', categories: ['npc_deputy'] }),
    );
    const m = observerMeeting.parse(await r.json()).id;
    const before = await tables();
    const body = await refusedWithNothingStored(
      key(o1, formatSerial(7), { 'unit-a': 'satisfied', 'unit-a.comment': '窗口服务好' }, 'npc_deputy', m),
      400,
      'validation_failed',
      before,
    );
    expect(body.error.issues).toEqual([
      { path: ['answers', 'unit-a.comment'], message: expect.stringMatching(/unit-a\.comment.*文字意见不录入/) },
    ]);
    // The same sheet without the comment is a valid first keying.
    expect((await key(o1, formatSerial(7), { 'unit-a': 'satisfied' }, 'npc_deputy', m)).status).toBe(201);
  });

  it('counts exactly one ballot when a different observer agrees; the counters bump and the keyings go', async () => {
    const serial = formatSerial(1);
    const answers = sheet('good', { 'unit-a.problems': ['p2', 'p1'] });
    const first = await key(o1, serial, answers);
    expect(first.status).toBe(201);
    expect(keyingResult.parse(await first.json())).toEqual({ serial, pass: 1, state: 'awaiting_second' });

    // The first observer again: refused, whatever the reading; nothing stored.
    await refusedWithNothingStored(key(o1, serial, answers), 409, 'keyer_not_independent', await tables());

    // The second keying sees nothing of the first (no answers in the pending list).
    const pending = pendingSheets.parse(await (await o2.get(`/api/v1/observe/meetings/${meeting}/pending`)).json());
    const listed = pending.sheets.find((s) => s.serial === serial);
    expect(listed).toMatchObject({ state: 'awaiting_second', mayKey: true, differences: [] });
    expect(JSON.stringify(pending)).not.toMatch(/good|p1|p2/);

    const tallies = await countOf('SELECT coalesce(sum(count), 0) AS n FROM paper_tallies');
    // Typed in another order, with the multiple choice in another order: the same canonical reading.
    const second = await key(o2, serial.replace('-', '').toLowerCase(), {
      'unit-a.problems': ['p1', 'p2'],
      ...sheet('good'),
    });
    expect(second.status).toBe(201);
    expect(keyingResult.parse(await second.json())).toEqual({ serial, pass: 2, state: 'counted' });
    expect(await countOf('SELECT count(*) AS n FROM paper_ballots WHERE serial = ?1', serial)).toBe(1);
    const ballot = await env.DB.prepare('SELECT * FROM paper_ballots WHERE serial = ?1').bind(serial).first();
    // The counted row names no observer and no time.
    expect(Object.keys(ballot ?? {}).sort()).toEqual(['answers', 'instrument', 'meeting', 'rater_category', 'serial']);
    expect(await countOf('SELECT count(*) AS n FROM paper_keyings WHERE serial = ?1', serial)).toBe(0);
    // 4 grades + 2 problems.
    expect(await countOf('SELECT coalesce(sum(count), 0) AS n FROM paper_tallies')).toBe(tallies + 6);
    expect(
      await countOf(
        "SELECT count AS n FROM paper_tallies WHERE instrument = 'ballot-t' AND question = 'unit-a.problems' AND option = 'p1' AND rater_category = 'party_deputy'",
      ),
    ).toBe(1);
    const m = observerMeetings
      .parse(await (await o1.get('/api/v1/observe/meetings?instrument=ballot-t')).json())
      .meetings.find((x) => x.id === meeting);
    expect(m?.counted).toBe(1);

    // The serial counts once: any further keying of it is refused, nothing stored.
    const before = await tables();
    await refusedWithNothingStored(key(o3, serial, answers), 409, 'serial_already_counted', before);
    const again = await key(o3, serial, answers);
    expect(apiError.parse(await again.json()).error.message).toMatch(/serial already counted/);
  });

  it('sends a mismatch to a third observer, different from both, whose reading counts', async () => {
    const serial = formatSerial(2);
    expect((await key(o1, serial, sheet('good'))).status).toBe(201);
    const second = await key(o2, serial, sheet('good', { 'unit-b.i2': 'poor' }), 'party_deputy');
    expect(keyingResult.parse(await second.json())).toEqual({ serial, pass: 2, state: 'awaiting_third' });
    expect(await countOf('SELECT count(*) AS n FROM paper_ballots WHERE serial = ?1', serial)).toBe(0);

    // The mismatch view: the differing item only, both readings side by side.
    const pending = pendingSheets.parse(await (await o3.get(`/api/v1/observe/meetings/${meeting}/pending`)).json());
    expect(pending.sheets.find((s) => s.serial === serial)).toMatchObject({
      state: 'awaiting_third',
      mayKey: true,
      differences: [{ field: 'unit-b.i2', first: 'good', second: 'poor' }],
    });
    const forO1 = pendingSheets.parse(await (await o1.get(`/api/v1/observe/meetings/${meeting}/pending`)).json());
    expect(forO1.sheets.find((s) => s.serial === serial)?.mayKey).toBe(false);

    // Neither of the first two may settle it.
    for (const who of [o1, o2]) {
      await refusedWithNothingStored(key(who, serial, sheet('good')), 409, 'keyer_not_independent', await tables());
    }
    const third = await key(o3, serial, sheet('good', { 'unit-b.i2': 'fair' }));
    expect(keyingResult.parse(await third.json())).toEqual({ serial, pass: 3, state: 'counted' });
    const counted = await env.DB.prepare('SELECT answers FROM paper_ballots WHERE serial = ?1')
      .bind(serial)
      .first<{ answers: string }>();
    expect(JSON.parse(counted?.answers ?? '{}')['unit-b.i2']).toBe('fair');
    expect(await countOf('SELECT count(*) AS n FROM paper_keyings WHERE serial = ?1', serial)).toBe(0);
  });

  it('a category mismatch is a mismatch too', async () => {
    const r = await lead.post(
      '/api/v1/observe/meetings',
      meetingOf({ categories: ['party_deputy', 'npc_deputy'], returned: 10, spoilt: 0 }),
    );
    const mixed = observerMeeting.parse(await r.json()).id;
    const serial = formatSerial(300);
    expect((await key(o1, serial, sheet(), 'party_deputy', mixed)).status).toBe(201);
    const second = await key(o2, serial, sheet(), 'npc_deputy', mixed);
    expect(keyingResult.parse(await second.json()).state).toBe('awaiting_third');
    const pending = pendingSheets.parse(await (await o3.get(`/api/v1/observe/meetings/${mixed}/pending`)).json());
    expect(pending.sheets[0]?.differences).toEqual([
      { field: 'raterCategory', first: 'party_deputy', second: 'npc_deputy' },
    ]);
  });

  it('never counts more than returned − spoilt; a correction cannot go below the counted; nothing stored', async () => {
    const r = await lead.post('/api/v1/observe/meetings', meetingOf({ issued: 3, returned: 3, spoilt: 1 }));
    const small = observerMeeting.parse(await r.json()).id;
    for (const n of [11, 12]) {
      expect((await key(o1, formatSerial(n), sheet(), 'party_deputy', small)).status).toBe(201);
      expect((await key(o2, formatSerial(n), sheet(), 'party_deputy', small)).status).toBe(201);
    }
    expect((await key(o1, formatSerial(13), sheet(), 'party_deputy', small)).status).toBe(201);
    const body = await refusedWithNothingStored(
      key(o2, formatSerial(13), sheet(), 'party_deputy', small),
      409,
      'ballots_over_returned',
      await tables(),
    );
    expect(body.error.message).toMatch(/收回票数减废票数/);

    // Returned − spoilt below the 2 counted: refused by the trigger; nothing stored.
    await refusedWithNothingStored(patch(lead, small, { spoilt: 2 }), 409, 'meeting_below_counted', await tables());
    await refusedWithNothingStored(patch(o1, small, { spoilt: 0 }), 403, 'forbidden', await tables());
    await refusedWithNothingStored(patch(lead, small, { returned: 4 }), 400, 'validation_failed', await tables());
    // A lead corrects the spoilt count: the waiting sheet can now count.
    const fixed = await patch(lead, small, { spoilt: 0 });
    expect(fixed.status).toBe(200);
    expect(observerMeeting.parse(await fixed.json())).toMatchObject({ returned: 3, spoilt: 0, counted: 2 });
    expect(
      keyingResult.parse(await (await key(o2, formatSerial(13), sheet(), 'party_deputy', small)).json()).state,
    ).toBe('counted');
  });

  it('two second keyings at once count the sheet once', async () => {
    const serial = formatSerial(20);
    expect((await key(o1, serial, sheet())).status).toBe(201);
    const [a, b] = await Promise.all([key(o2, serial, sheet()), key(o3, serial, sheet())]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(await countOf('SELECT count(*) AS n FROM paper_ballots WHERE serial = ?1', serial)).toBe(1);
  });
});

describe('the audit log', () => {
  it('records every step, naming the serial and never the answers', async () => {
    const rows = (
      await env.DB.prepare(
        "SELECT action, target_kind, target_id, before, after FROM audit_log WHERE action LIKE 'paper.%' OR action LIKE 'meeting.%' ORDER BY id",
      ).all<{
        action: string;
        target_kind: string;
        target_id: string;
        before: string | null;
        after: string | null;
      }>()
    ).results;
    const of = (serial: string) => rows.filter((r) => r.target_id === serial).map((r) => r.action);
    expect(of(formatSerial(1))).toEqual(['paper.key', 'paper.key', 'paper.count']);
    expect(of(formatSerial(2))).toEqual(['paper.key', 'paper.key', 'paper.mismatch', 'paper.key', 'paper.resolve']);
    expect(rows.filter((r) => r.action === 'meeting.create').length).toBeGreaterThanOrEqual(1);
    expect(rows.filter((r) => r.action === 'meeting.update')).toHaveLength(1);
    for (const r of rows.filter((x) => x.action.startsWith('paper.'))) {
      expect(r.target_kind).toBe('sheet');
      expect(`${r.before} ${r.after}`).not.toMatch(/good|fair|poor|satisfied|p1|p2|unit-/);
    }
    // The console reads them in words.
    const log = (await (await lead.get('/api/v1/observe/audit')).json()) as {
      entries: { action: string; targetId: string; targetName: string }[];
    };
    const counted = log.entries.find((e) => e.action === 'paper.count');
    expect(counted?.targetName).toBe(`纸质选票 ${counted?.targetId}`);
  });
});

describe('the public meetings endpoint', () => {
  it('shows nothing before the meeting day ends (Asia/Shanghai), then the counts', async () => {
    const during = await api.request('/api/v1/instruments/ballot-t/meetings');
    expect(publicMeetings.parse(await during.json()).meetings).toEqual([]);
    // 23:59 in Beijing on the day: still nothing.
    const late = client({ catalog, now: () => new Date('2026-11-23T15:59:00Z') });
    expect(
      publicMeetings.parse(await (await late.request('/api/v1/instruments/ballot-t/meetings')).json()).meetings,
    ).toEqual([]);
    const next = client({ catalog, now: () => new Date('2026-11-23T16:00:00Z') });
    const after = publicMeetings.parse(await (await next.request('/api/v1/instruments/ballot-t/meetings')).json());
    expect(after.meetings.find((m) => m.issued === 40 && m.categories.length === 1)).toEqual({
      heldOn: '2026-11-23',
      place: '县委党校报告厅',
      categories: ['party_deputy'],
      categoryLabels: ['党代表'],
      issued: 40,
      returned: 38,
      spoilt: 1,
      counted: 3,
    });
    expect(JSON.stringify(after)).not.toMatch(/good|keyed|observer/);
    expect((await next.request('/api/v1/instruments/no-such/meetings')).status).toBe(404);
  });

  it('fills the appraisal page live, after the day only, as escaped plain HTML', async () => {
    const site = {
      fetch: async () =>
        new Response(
          '<!doctype html><html><body><main><div class="live" data-live="appraisal-meetings" data-appraisal="test-2026"><p>fallback</p></div></main></body></html>',
          { headers: { 'content-type': 'text/html; charset=utf-8' } },
        ),
    } as unknown as Fetcher;
    const at = async (now: Date) => {
      const r = await createLivePages({ catalog, now: () => now }).request(
        '/appraisals/test-2026/',
        {},
        { ...env, ASSETS: site },
      );
      return r.text();
    };
    const during = await at(NOW);
    expect(during).toContain('暂无已结束的测评大会');
    expect(during).not.toContain('县委党校报告厅');
    const after = await at(new Date('2026-11-24T02:00:00Z'));
    expect(after).toContain('data-live-state="ok"');
    expect(after).toMatch(
      /<td>县委党校报告厅<\/td><td>党代表<\/td><td class="num">40<\/td><td class="num">38<\/td><td class="num">1<\/td><td class="num">3<\/td>/,
    );
    expect(after).not.toContain('fallback');
  });
});
