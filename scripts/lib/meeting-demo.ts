// The demo evaluation meeting (测评大会, issue 19): the deputies and members
// at the county's annual sessions rate the units on paper as well as online.
// One meeting for rating-sessions-2026, its counted paper ballots (answers
// valid for the instrument, deterministic like the other demo data) and two
// serials still being keyed: one keyed once, awaiting the second keying; one
// keyed twice with a mismatch, awaiting a third observer. Counted ballots go
// in as the console would leave them: a `paper_ballots` row each (serial,
// category, answers; no observer), the paper counters bumped by trigger.
import { formatSerial } from '../../src/domain/ballot-serial';
import type { RuntimeCatalog } from '../../src/domain/catalog';
import { answersSchema } from '../../src/domain/instrument';
import { paperQuestions } from '../../src/domain/paper';
import type { Instrument } from '../../src/domain/schemas/instrument';
import { canonicalAnswers } from '../../src/domain/tally';
import { insertDemoMeeting } from '../../src/server/db/admin/demo';
import type { Database } from '../../src/server/env';
import { demoAnswers } from './demo-responses';
import { DEMO_LEAD } from './observers';

const demoId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The meeting's public figures: 160 sheets handed out, 152 back, 3 of them spoilt. */
export const DEMO_MEETING = {
  id: demoId(1901),
  appraisal: 'county-2026',
  instrument: 'rating-sessions-2026',
  heldOn: '2026-02-24',
  place: '县人民会堂',
  categories: ['npc_deputy', 'cppcc_member'],
  issued: 160,
  returned: 152,
  spoilt: 3,
  recordedAt: '2026-02-24T09:30:00.000Z',
} as const;

/** Counted paper ballots per category (serials 1.. in this order); the rest of the returned sheets are still to key. */
export const DEMO_PAPER: Record<string, number> = { npc_deputy: 24, cppcc_member: 16 };

/** Observers who keyed the pending sheets: the demo lead and the first two unit observers (scripts/lib/follow-up-demo.ts). */
export const DEMO_KEYERS = [DEMO_LEAD.id, demoId(900), demoId(901)] as const;

const total = Object.values(DEMO_PAPER).reduce((a, b) => a + b, 0);
/** Keyed once, awaiting the second keying; keyed twice and disagreeing, awaiting a third observer. */
export const DEMO_PENDING = { once: formatSerial(total + 1), mismatch: formatSerial(total + 2) };

/** The paper form of an instrument: its questions minus free text. */
const paperForm = (inst: Instrument): Instrument => ({ ...inst, questions: paperQuestions(inst) });

/** One sheet's answers, deterministic from its serial, valid for the instrument. */
export function demoSheet(inst: Instrument, serial: string) {
  const answers = demoAnswers(paperForm(inst), `meeting/${inst.id}/${serial}`, { unknownRate: 0.06 });
  const parsed = answersSchema(inst).safeParse(answers);
  if (!parsed.success) throw new Error(`演示纸质选票 ${serial} 不符合测评定义: ${parsed.error.message}`);
  return canonicalAnswers(answers);
}

/** The demo meeting's rows: the meeting, its counted ballots, the pending keyings. */
export function demoMeetingRows(catalog: RuntimeCatalog) {
  const inst = catalog.instruments.find((i) => i.id === DEMO_MEETING.instrument);
  if (!inst) throw new Error(`演示测评大会的测评 ${DEMO_MEETING.instrument} 不存在`);
  const meeting = { ...DEMO_MEETING, categories: JSON.stringify(DEMO_MEETING.categories) };
  const ballots: { instrument: string; serial: string; meeting: string; raterCategory: string; answers: string }[] = [];
  let n = 0;
  for (const [raterCategory, count] of Object.entries(DEMO_PAPER)) {
    for (let i = 0; i < count; i++) {
      const serial = formatSerial(++n);
      ballots.push({
        instrument: inst.id,
        serial,
        meeting: meeting.id,
        raterCategory,
        answers: demoSheet(inst, serial),
      });
    }
  }
  const once = demoSheet(inst, DEMO_PENDING.once);
  const first = demoSheet(inst, DEMO_PENDING.mismatch);
  // The second keying read one grade differently: the first subject's answer changed to another option.
  const q = paperQuestions(inst).find((x) => x.type === 'choice' && JSON.parse(first)[x.id] !== undefined);
  const parsed = JSON.parse(first) as Record<string, string | string[]>;
  if (q && q.type === 'choice') parsed[q.id] = q.options.find((o) => o.id !== parsed[q.id])?.id ?? parsed[q.id]!;
  const second = canonicalAnswers(parsed);
  const keying = (serial: string, pass: number, observer: string, answers: string) => ({
    meeting: meeting.id,
    serial,
    pass,
    observer,
    raterCategory: 'npc_deputy',
    answers,
  });
  const keyings = [
    keying(DEMO_PENDING.once, 1, DEMO_KEYERS[0], once),
    keying(DEMO_PENDING.mismatch, 1, DEMO_KEYERS[0], first),
    keying(DEMO_PENDING.mismatch, 2, DEMO_KEYERS[1], second),
  ];
  return { meeting, ballots, keyings };
}

/** Load the demo meeting (kept as it is when already there). */
export async function seedMeeting(db: Database, catalog: RuntimeCatalog) {
  const rows = demoMeetingRows(catalog);
  const added = await insertDemoMeeting(db, rows);
  console.log(
    `演示测评大会: ${DEMO_MEETING.heldOn} ${DEMO_MEETING.place}, 发出 ${DEMO_MEETING.issued} 张, 收回 ${DEMO_MEETING.returned} 张, 废票 ${DEMO_MEETING.spoilt} 张, 已计入纸质选票 ${rows.ballots.length} 张${added ? '' : ' (已存在, 未改动)'}; 待录入 ${DEMO_PENDING.once} (待第二次录入), ${DEMO_PENDING.mismatch} (两次录入不一致, 待第三位观察员核对)`,
  );
  return rows;
}
