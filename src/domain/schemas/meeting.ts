// Evaluation meetings (测评大会) and the keying of their paper sheets, as the
// console sends and reads them. What depends on the instrument (its rater
// categories, its questions) is checked in src/domain/meeting.ts.
import { z } from 'zod';
import { parseSerial } from '../ballot-serial';
import { cleanLine } from '../text';
import { id } from './common';
import { typedText } from './forum';
import { raterCategoryId } from './rater-category';

/** Ballots a meeting can hand out: more is a typing error (a county's largest meeting is a few hundred). */
export const MAX_ISSUED = 100_000;

const count = (what: string) =>
  z.int(`${what}须为整数`).min(0, `${what}不能为负数`).max(MAX_ISSUED, `${what}不能超过 ${MAX_ISSUED}`);

/** issued ≥ returned ≥ spoilt ≥ 0, each issue on the field that breaks it. */
function countsInOrder(r: { issued?: number; returned: number; spoilt: number }, ctx: z.RefinementCtx) {
  if (r.issued !== undefined && r.returned > r.issued) {
    ctx.addIssue({ code: 'custom', path: ['returned'], message: '收回票数不能多于发出票数' });
  }
  if (r.spoilt > r.returned) ctx.addIssue({ code: 'custom', path: ['spoilt'], message: '废票数不能多于收回票数' });
}

export const meetingRequest = z
  .object({
    instrument: id,
    /** The meeting's day (China's calendar); its counts are public from the end of that day. */
    heldOn: z.iso.date('日期格式为 YYYY-MM-DD'),
    place: typedText(cleanLine, 2, 100, '请填写会议地点 (至少 2 个字)', '会议地点最多 100 字'),
    /** The rater categories present: ids of the instrument's categories, each once. */
    categories: z
      .array(raterCategoryId)
      .min(1, '请至少选择一个到会的评议主体类别')
      .refine((a) => new Set(a).size === a.length, '评议主体类别重复'),
    issued: count('发出票数'),
    returned: count('收回票数'),
    spoilt: count('废票数'),
  })
  .superRefine(countsInOrder)
  .meta({ id: 'MeetingRequest' });
export type MeetingRequest = z.infer<typeof meetingRequest>;

/** A correction of the counts (returned, spoilt); never below the ballots already counted. */
export const meetingUpdate = z
  .object({ returned: count('收回票数').optional(), spoilt: count('废票数').optional() })
  .refine((r) => r.returned !== undefined || r.spoilt !== undefined, '请填写要更正的票数')
  .meta({ id: 'MeetingUpdate' });
export type MeetingUpdate = z.infer<typeof meetingUpdate>;

export { countsInOrder as meetingCountsInOrder };

export const paperSerial = z
  .string()
  .max(20)
  .transform((s, ctx) => {
    const serial = parseSerial(s);
    if (serial === null) {
      ctx.addIssue({ code: 'custom', message: '选票编号不正确: 6 位数字加校验字母 (如 000123-K), 请核对后重新输入' });
      return z.NEVER;
    }
    return serial;
  })
  .meta({ type: 'string', example: '000123-K', description: '选票编号, 6 位数字和校验字母' });

/** One observer's reading of one sheet: the serial first, then the category, then every item. */
export const keyingRequest = z
  .object({
    serial: paperSerial,
    raterCategory: raterCategoryId,
    /** Question id → option id (a choice) or option ids (a multiple choice); no text is keyed. */
    answers: z.record(z.string().max(200), z.union([z.string().max(200), z.array(z.string().max(200)).max(50)])),
  })
  .meta({ id: 'KeyingRequest' });
export type KeyingRequest = z.infer<typeof keyingRequest>;

/** Where a sheet stands: keyed once, counted, or two readings that differ and wait for a third observer. */
export const sheetStates = ['awaiting_second', 'awaiting_third', 'counted'] as const;
export const sheetState = z.enum(sheetStates);
export type SheetState = z.infer<typeof sheetState>;

export const keyingResult = z
  .object({ serial: z.string(), pass: z.int().min(1).max(3), state: sheetState })
  .meta({ id: 'KeyingResult' });
export type KeyingResult = z.infer<typeof keyingResult>;

export const meetingFigures = z.object({
  id: z.string(),
  instrument: id,
  heldOn: z.string(),
  place: z.string(),
  categories: z.array(z.string()),
  issued: z.int(),
  returned: z.int(),
  spoilt: z.int(),
  /** Ballots counted (keyed twice alike, or settled by a third observer). */
  counted: z.int(),
});

export const observerMeeting = meetingFigures
  .extend({
    recordedAt: z.string(),
    /** Sheets keyed once, and sheets whose two readings differ. */
    pending: z.object({ awaitingSecond: z.int(), awaitingThird: z.int() }),
  })
  .meta({ id: 'ObserverMeeting' });
export type ObserverMeeting = z.infer<typeof observerMeeting>;

export const observerMeetings = z.object({ meetings: z.array(observerMeeting) }).meta({ id: 'ObserverMeetings' });
export type ObserverMeetings = z.infer<typeof observerMeetings>;

/** One item where the two readings differ ("raterCategory" for the category box). */
export const sheetDifference = z.object({
  field: z.string(),
  first: z.union([z.string(), z.array(z.string())]).nullable(),
  second: z.union([z.string(), z.array(z.string())]).nullable(),
});
export type SheetDifference = z.infer<typeof sheetDifference>;

/**
 * A sheet waiting for a keying. Never the answers of a single reading (the
 * second keying is independent); for a mismatch, the differing items only.
 */
export const pendingSheet = z.object({
  serial: z.string(),
  state: z.enum(['awaiting_second', 'awaiting_third']),
  keyedBy: z.array(z.object({ id: z.string(), displayName: z.string() })),
  /** Whether the caller may key it next (it has not keyed this sheet). */
  mayKey: z.boolean(),
  differences: z.array(sheetDifference),
});
export type PendingSheet = z.infer<typeof pendingSheet>;

export const pendingSheets = z
  .object({ meeting: z.string(), sheets: z.array(pendingSheet) })
  .meta({ id: 'PendingSheets' });
export type PendingSheets = z.infer<typeof pendingSheets>;

/** A meeting as the public sees it, after its day: where, when, who was there, the counts. */
export const publicMeeting = meetingFigures
  .omit({ id: true, instrument: true })
  .extend({ categoryLabels: z.array(z.string()) })
  .meta({ id: 'PublicMeeting' });
export const publicMeetings = z
  .object({ instrument: id, meetings: z.array(publicMeeting) })
  .meta({ id: 'PublicMeetings' });
export type PublicMeetings = z.infer<typeof publicMeetings>;
