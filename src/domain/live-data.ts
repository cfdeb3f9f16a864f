// The open datasets that live in D1, not in content (objection decisions, the
// rectification ledger, published answers, the units' message figures): the
// API serves them as JSON and CSV at /api/v1/open-data/<name>.<format>, flat
// like the static ones under /data/ (same rules: one table, snake_case
// columns, JSON an array of row objects, CSV the same columns in order). The
// /data/ page documents them from this list.
import type { IsoDate } from './schemas/common';
import { dayInChina } from './schemas/common';
import type { MessageStats, PublicMessage } from './schemas/message';
import type { PublicDecision } from './schemas/objection';
import type { RectificationItem } from './schemas/rectification';

export type LiveCell = string | number | null;
export type LiveRow = Record<string, LiveCell>;
export type LiveColumnType = 'string' | 'integer' | 'number' | 'date' | 'url';

export const LIVE_DATASET_NAMES = [
  'objection-decisions',
  'rectification',
  'answered-messages',
  'message-stats',
] as const;
export type LiveDatasetName = (typeof LIVE_DATASET_NAMES)[number];

export interface LiveContext {
  /** Absolute URL of a site path. */
  url: (path: string) => string;
  unitName: (id: string | null) => string | null;
  today: IsoDate;
}

interface LiveDataset<T> {
  name: LiveDatasetName;
  columns: readonly (readonly [key: string, type: LiveColumnType])[];
  row: (x: T, ctx: LiveContext) => LiveRow;
}

const day = (iso: string) => dayInChina(new Date(iso));

export const objectionDecisionsData: LiveDataset<PublicDecision> = {
  name: 'objection-decisions',
  columns: [
    ['appraisal', 'string'],
    ['id', 'string'],
    ['subject_kind', 'string'],
    ['subject', 'string'],
    ['subject_name', 'string'],
    ['kind', 'string'],
    ['matter', 'string'],
    ['decision', 'string'],
    ['reasons', 'string'],
    ['filed_on', 'date'],
    ['answered_on', 'date'],
    ['url', 'url'],
  ],
  row: (d, ctx) => ({
    appraisal: d.appraisal,
    id: d.id,
    subject_kind: d.subject.kind,
    subject: d.subject.id,
    subject_name: d.subjectName,
    kind: d.kind,
    matter: d.matter,
    decision: d.decision,
    reasons: d.reasons,
    filed_on: d.filedOn,
    answered_on: d.answeredOn,
    url: ctx.url(`/results/${d.appraisal}/#decision-${d.id}`),
  }),
};

export const rectificationData: LiveDataset<RectificationItem> = {
  name: 'rectification',
  columns: [
    ['appraisal', 'string'],
    ['id', 'string'],
    ['unit', 'string'],
    ['unit_name', 'string'],
    ['source', 'string'],
    ['source_note', 'string'],
    ['problem', 'string'],
    ['measure', 'string'],
    ['responsible', 'string'],
    ['deadline', 'date'],
    ['status', 'string'],
    ['completed_on', 'date'],
    ['evidence', 'string'],
    ['updated_on', 'date'],
    ['url', 'url'],
  ],
  row: (i, ctx) => ({
    appraisal: i.appraisal,
    id: i.id,
    unit: i.unit,
    unit_name: ctx.unitName(i.unit),
    source: i.source,
    source_note: i.sourceNote,
    problem: i.problem,
    measure: i.measure,
    responsible: i.responsible,
    deadline: i.deadline,
    status: i.status,
    completed_on: i.completedOn,
    evidence: i.evidence,
    updated_on: day(i.updatedAt),
    url: ctx.url(`/units/${i.unit}/#ledger-${i.id}`),
  }),
};

export const answeredMessagesData: LiveDataset<PublicMessage> = {
  name: 'answered-messages',
  columns: [
    ['appraisal', 'string'],
    ['id', 'string'],
    ['unit', 'string'],
    ['unit_name', 'string'],
    ['subject_kind', 'string'],
    ['subject', 'string'],
    ['topic', 'string'],
    ['body', 'string'],
    ['reply', 'string'],
    ['received_on', 'date'],
    ['replied_on', 'date'],
  ],
  row: (m, ctx) => ({
    appraisal: m.appraisal,
    id: m.id,
    unit: m.unit,
    unit_name: ctx.unitName(m.unit),
    subject_kind: m.subject?.kind ?? null,
    subject: m.subject?.id ?? null,
    topic: m.topic,
    body: m.body,
    reply: m.reply,
    received_on: m.receivedOn,
    replied_on: m.repliedOn,
  }),
};

export const messageStatsData: LiveDataset<MessageStats> = {
  name: 'message-stats',
  columns: [
    ['appraisal', 'string'],
    ['unit', 'string'],
    ['unit_name', 'string'],
    ['received', 'integer'],
    ['handled', 'integer'],
    ['handled_rate', 'number'],
    ['on_time', 'integer'],
    ['on_time_rate', 'number'],
    ['rated', 'integer'],
    ['satisfied', 'integer'],
    ['satisfaction', 'number'],
  ],
  row: (s, ctx) => ({
    appraisal: s.appraisal,
    unit: s.unit,
    unit_name: ctx.unitName(s.unit),
    received: s.received,
    handled: s.handled,
    handled_rate: s.handledRate,
    on_time: s.onTime,
    on_time_rate: s.onTimeRate,
    rated: s.rated,
    // Below the minimum of ratings the counts would give the few writers away, as the share would.
    satisfied: s.satisfaction === null ? null : s.satisfied,
    satisfaction: s.satisfaction,
  }),
};

export const LIVE_DATASETS = [
  objectionDecisionsData,
  rectificationData,
  answeredMessagesData,
  messageStatsData,
] as const;

/** Rows with every column present, in column order. */
export function liveTable<T>(d: LiveDataset<T>, items: T[], ctx: LiveContext): LiveRow[] {
  return items.map((x) => {
    const r = d.row(x, ctx);
    return Object.fromEntries(d.columns.map(([k]) => [k, r[k] ?? null]));
  });
}

export const liveDataHref = (name: LiveDatasetName, format: 'json' | 'csv' | 'xlsx') =>
  `/api/v1/open-data/${name}.${format}`;
