import { z } from 'zod';
import { cleanLine, cleanText } from '../text';
import { isOverdue } from '../workdays';
import { type IsoDate, id, isoDate } from './common';
import { typedText } from './forum';

/**
 * Where a problem in the ledger came from (seeds 000, 002, 004): the reverse
 * evaluation's problem checklist (反测评), themes of the opinion box, an
 * objection's decision, or the department's own feedback.
 */
export const rectificationSources = ['checklist', 'messages', 'objection', 'department'] as const;
export const rectificationSource = z.enum(rectificationSources);
export type RectificationSource = z.infer<typeof rectificationSource>;

/** 整改中 / 已完成 (销号) / 逾期: computed from the deadline and today, never stored. */
export const rectificationStatuses = ['in_progress', 'done', 'overdue'] as const;
export type RectificationStatus = (typeof rectificationStatuses)[number];

export function rectificationStatus(item: { deadline: IsoDate; completedOn: IsoDate | null }, today: IsoDate) {
  if (item.completedOn) return 'done' as const;
  return isOverdue(item.deadline, today) ? ('overdue' as const) : ('in_progress' as const);
}

const line = (what: string, max: number) => typedText(cleanLine, 2, max, `${what}至少 2 个字`, `${what}最多 ${max} 字`);
const text = (what: string, min: number, max: number) =>
  typedText(cleanText, min, max, `${what}至少 ${min} 个字`, `${what}最多 ${max} 字`);

const itemFields = {
  source: rectificationSource,
  /** What fed it back, e.g. "反测评: 服务意识不强 (12 票)" or "民意调查箱: 窗口排队 (8 条)". */
  sourceNote: typedText(cleanLine, 0, 120, '', '来源说明最多 120 字').optional(),
  /** The objection whose decision found the problem, when the source is one. */
  objection: z.uuid().nullable().optional(),
  problem: text('问题', 5, 500),
  measure: text('整改措施', 5, 1000),
  /** A post or an office (分管副局长, 政务服务科), not a private person's name. */
  responsible: line('责任人 (职务或科室)', 60),
  deadline: isoDate,
  completedOn: isoDate.nullable().optional(),
  /** 整改佐证: what shows it was done. */
  evidence: typedText(cleanText, 0, 2000, '', '佐证材料最多 2000 字').optional(),
};

export const newRectificationRequest = z
  .object({ appraisal: id, unit: id, ...itemFields })
  .refine((r) => r.source !== 'objection' || !!r.objection, {
    message: '来源为申诉复核时请选择对应的申诉',
    path: ['objection'],
  })
  .meta({ id: 'NewRectificationRequest' });
export type NewRectificationRequest = z.input<typeof newRectificationRequest>;

/** A change: the fields changed, and the version read, so an edit based on an older one is refused (409). */
export const rectificationUpdate = z
  .object({
    version: z.number().int().min(1),
    ...z.object(itemFields).partial().shape,
    /** 销号 today (true) or undo it (false); `completedOn` gives another day. */
    done: z.boolean().optional(),
  })
  .meta({ id: 'RectificationUpdate' });
export type RectificationUpdate = z.input<typeof rectificationUpdate>;

export const rectificationItem = z
  .object({
    id: z.uuid(),
    appraisal: id,
    unit: id,
    source: rectificationSource,
    sourceNote: z.string().nullable(),
    objection: z.uuid().nullable(),
    problem: z.string(),
    measure: z.string(),
    responsible: z.string(),
    deadline: isoDate,
    completedOn: isoDate.nullable(),
    evidence: z.string().nullable(),
    status: z.enum(rectificationStatuses),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'RectificationItem' });
export type RectificationItem = z.infer<typeof rectificationItem>;

export const rectificationList = z
  .object({ items: z.array(rectificationItem), asOf: isoDate })
  .meta({ id: 'RectificationList' });
export type RectificationList = z.infer<typeof rectificationList>;

/** A unit's progress: done of all, and how many are late (Decidim-style results tracking). */
export function ledgerProgress(items: { status: RectificationStatus }[]) {
  const done = items.filter((i) => i.status === 'done').length;
  const overdue = items.filter((i) => i.status === 'overdue').length;
  return { total: items.length, done, overdue, percent: items.length ? Math.round((done / items.length) * 100) : 0 };
}
