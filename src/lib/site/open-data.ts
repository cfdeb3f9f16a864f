// The open datasets under /data/: one flat table each, served as JSON (an
// array of row objects) and as CSV (same columns, same order). Flat on
// purpose: the two formats then carry exactly the same facts, and the
// documentation page describes both with one column list.
import { stringify } from 'csv-stringify/sync';
import type { CATEGORIES, SiteModel } from './model';
import { unitHref } from './urls';

export type Cell = string | number | null;
export type Row = Record<string, Cell>;
export type ColumnType = 'string' | 'integer' | 'number' | 'date' | 'url';

export interface Dataset {
  name: DatasetName;
  columns: readonly (readonly [key: string, type: ColumnType])[];
  rows: (m: SiteModel, ctx: RowContext) => Row[];
}

export interface RowContext {
  /** Absolute URL of a site path (the feed's and the sitemap's origin). */
  url: (path: string) => string;
  categoryName: (c: (typeof CATEGORIES)[number]) => string;
  subjectName: (kind: 'unit' | 'group' | 'official', id: string) => string;
  observerRole: (role: 'fixed-point' | 'opinion-survey') => string;
}

export const DATASET_NAMES = [
  'appraisals',
  'units',
  'officials',
  'teams',
  'schedule',
  'observers',
  'summaries',
  'indicators',
  'results',
  'rater_categories',
  'tallies',
  'scores',
  'score_rules',
  'validity',
] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

const opt = <T>(v: T | undefined): T | null => v ?? null;
const list = (xs: string[]) => xs.join('; ');

/** A subject's figures per source (null where suppressed or below k answers). */
const bySource = (
  x:
    | { online: { known: number | null; score: number | null }; paper: { known: number | null; score: number | null } }
    | undefined,
) => ({
  known_online: x ? x.online.known : null,
  score_online: x?.online.score ?? null,
  known_paper: x ? x.paper.known : null,
  score_paper: x?.paper.score ?? null,
});

const datasets: Dataset[] = [
  {
    name: 'appraisals',
    columns: [
      ['id', 'string'],
      ['year', 'integer'],
      ['title', 'string'],
      ['authority', 'string'],
      ['region', 'string'],
      ['notice_start', 'date'],
      ['notice_end', 'date'],
      ['publicity_start', 'date'],
      ['publicity_end', 'date'],
      ['opinion_start', 'date'],
      ['opinion_end', 'date'],
      ['fieldwork_start', 'date'],
      ['fieldwork_end', 'date'],
      ['results_start', 'date'],
      ['results_end', 'date'],
      ['objection_deadline', 'date'],
      ['objection_days', 'integer'],
      ['url', 'url'],
    ],
    rows: (m, ctx) =>
      m.appraisals.map((a) => ({
        id: a.id,
        year: a.year,
        title: a.title,
        authority: a.authority,
        region: a.region,
        notice_start: a.phases.notice.start,
        notice_end: a.phases.notice.end,
        publicity_start: a.phases.publicity.start,
        publicity_end: a.phases.publicity.end,
        opinion_start: a.phases.opinion.start,
        opinion_end: a.phases.opinion.end,
        fieldwork_start: a.phases.fieldwork.start,
        fieldwork_end: a.phases.fieldwork.end,
        results_start: a.phases.results.start,
        results_end: a.phases.results.end,
        objection_deadline: a.phases.objectionDeadline,
        objection_days: a.objection.days,
        url: ctx.url(`/appraisals/${a.id}/`),
      })),
  },
  {
    name: 'units',
    columns: [
      ['id', 'string'],
      ['name', 'string'],
      ['short_name', 'string'],
      ['category', 'string'],
      ['category_name', 'string'],
      ['parent', 'string'],
      ['address', 'string'],
      ['phone', 'string'],
      ['profile', 'string'],
      ['url', 'url'],
    ],
    rows: (m, ctx) =>
      m.units.map((u) => ({
        id: u.id,
        name: u.name,
        short_name: opt(u.shortName),
        category: u.category,
        category_name: ctx.categoryName(u.category),
        parent: opt(u.parent),
        address: opt(u.address),
        phone: opt(u.phone),
        profile: u.profile,
        url: ctx.url(unitHref(u.id)),
      })),
  },
  {
    name: 'officials',
    columns: [
      ['id', 'string'],
      ['name', 'string'],
      ['post', 'string'],
      ['unit', 'string'],
      ['unit_name', 'string'],
    ],
    rows: (m) =>
      m.units.flatMap((u) =>
        m.officialsOf(u.id).map((o) => ({ id: o.id, name: o.name, post: o.post, unit: u.id, unit_name: u.name })),
      ),
  },
  {
    name: 'teams',
    columns: [
      ['appraisal', 'string'],
      ['id', 'string'],
      ['name', 'string'],
      ['leader', 'string'],
      ['leader_post', 'string'],
      ['members', 'string'],
      ['phone', 'string'],
      ['email', 'string'],
      ['unit_count', 'integer'],
    ],
    rows: (m) =>
      m.appraisals.flatMap((a) =>
        m.teamsOf(a.id).map(({ id, data: t }) => ({
          appraisal: a.id,
          id,
          name: t.name,
          leader: t.leader.name,
          leader_post: t.leader.post,
          members: list(t.members.map((p) => `${p.name} (${p.post})`)),
          phone: t.phone,
          email: t.email,
          unit_count: t.units.length,
        })),
      ),
  },
  {
    name: 'schedule',
    columns: [
      ['appraisal', 'string'],
      ['date', 'date'],
      ['unit', 'string'],
      ['unit_name', 'string'],
      ['team', 'string'],
      ['team_name', 'string'],
    ],
    rows: (m) =>
      m.appraisals.flatMap((a) =>
        m
          .teamsOf(a.id)
          .flatMap(({ id, data: t }) =>
            t.units.map((v) => ({
              appraisal: a.id,
              date: v.date,
              unit: v.unit,
              unit_name: m.unit(v.unit)?.name ?? v.unit,
              team: id,
              team_name: t.name,
            })),
          )
          .sort((x, y) => x.date.localeCompare(y.date) || x.team.localeCompare(y.team)),
      ),
  },
  {
    name: 'observers',
    columns: [
      ['appraisal', 'string'],
      ['name', 'string'],
      ['role', 'string'],
      ['phone', 'string'],
      ['email', 'string'],
      ['units', 'string'],
    ],
    rows: (m, ctx) =>
      m.appraisals.flatMap((a) =>
        m.observersOf(a.id).map((o) => ({
          appraisal: a.id,
          name: o.name,
          role: ctx.observerRole(o.role),
          phone: o.phone,
          email: o.email,
          units: list(o.units),
        })),
      ),
  },
  {
    name: 'summaries',
    columns: [
      ['appraisal', 'string'],
      ['unit', 'string'],
      ['kind', 'string'],
      ['official', 'string'],
      ['title', 'string'],
      ['publicity_start', 'date'],
      ['publicity_end', 'date'],
      ['url', 'url'],
    ],
    rows: (m, ctx) =>
      m.appraisals.flatMap((a) =>
        m.units.flatMap((u) =>
          m.summariesOf(u.id, a.id).map(({ id, data: s }) => ({
            appraisal: a.id,
            unit: u.id,
            kind: s.kind,
            official: opt(s.official),
            title: s.title,
            publicity_start: s.publicity.start,
            publicity_end: s.publicity.end,
            url: ctx.url(`${unitHref(u.id)}#${id}`),
          })),
        ),
      ),
  },
  {
    name: 'indicators',
    columns: [
      ['appraisal', 'string'],
      ['area', 'string'],
      ['area_name', 'string'],
      ['area_weight', 'number'],
      ['indicator', 'string'],
      ['indicator_name', 'string'],
      ['points', 'number'],
      ['standard', 'string'],
    ],
    rows: (m) =>
      m.appraisals.flatMap((a) =>
        (m.indicatorsOf(a.id)?.areas ?? []).flatMap((area) =>
          area.indicators.map((i) => ({
            appraisal: a.id,
            area: area.id,
            area_name: area.name,
            area_weight: area.weight,
            indicator: i.id,
            indicator_name: i.name,
            points: i.points,
            standard: i.standard,
          })),
        ),
      ),
  },
  {
    name: 'results',
    columns: [
      ['appraisal', 'string'],
      ['published_on', 'date'],
      ['subject_kind', 'string'],
      ['subject', 'string'],
      ['subject_name', 'string'],
      ['unit', 'string'],
      ['band', 'string'],
      ['band_rank', 'integer'],
      ['score', 'number'],
      ['satisfaction', 'number'],
    ],
    rows: (m, ctx) =>
      m.results.flatMap((r) =>
        r.entries.map((e) => ({
          appraisal: r.appraisal,
          published_on: r.publishedOn,
          subject_kind: e.subject.kind,
          subject: e.subject.id,
          subject_name: ctx.subjectName(e.subject.kind, e.subject.id),
          unit: e.subject.kind === 'official' ? (m.official(e.subject.id)?.unit ?? null) : e.subject.id,
          band: e.band,
          band_rank: r.bands.indexOf(e.band) + 1,
          score: opt(e.score),
          satisfaction: opt(e.satisfaction),
        })),
      ),
  },
  {
    // From the committed tally snapshots (src/content/snapshots): per rater
    // category, as counted, so anyone can re-weight or recount.
    name: 'tallies',
    columns: [
      ['appraisal', 'string'],
      ['instrument', 'string'],
      ['question', 'string'],
      ['option', 'string'],
      ['rater_category', 'string'],
      ['count', 'integer'],
      ['suppressed', 'integer'],
      ['count_online', 'integer'],
      ['count_paper', 'integer'],
    ],
    // One tally, two sources (issue 19): count = count_online + count_paper, each suppressed on its own.
    rows: (m) =>
      m.appraisals.flatMap((a) =>
        (m.snapshotOf(a.id)?.instruments ?? []).flatMap((i) => {
          const key = (c: { question: string; option: string; raterCategory: string }) =>
            `${c.question}\u0000${c.option}\u0000${c.raterCategory}`;
          const online = new Map(i.sources.online.counts.map((c) => [key(c), c.count]));
          const paper = new Map(i.sources.paper.counts.map((c) => [key(c), c.count]));
          // A key a source never counted is a true zero there.
          const of = (source: Map<string, number | null>, k: string) => (source.has(k) ? (source.get(k) ?? null) : 0);
          return i.counts.map((c) => ({
            appraisal: a.id,
            instrument: i.id,
            question: c.question,
            option: c.option,
            rater_category: c.raterCategory,
            count: c.count,
            suppressed: c.suppressed ? 1 : 0,
            count_online: of(online, key(c)),
            count_paper: of(paper, key(c)),
          }));
        }),
      ),
  },
  {
    name: 'rater_categories',
    columns: [
      ['appraisal', 'string'],
      ['category', 'string'],
      ['label', 'string'],
      ['group', 'string'],
      ['description', 'string'],
    ],
    rows: (m) =>
      m.appraisals.flatMap((a) =>
        a.raterCategories.map((c) => ({
          appraisal: a.id,
          category: c.id,
          label: c.label,
          group: c.group,
          description: opt(c.description),
        })),
      ),
  },
  {
    name: 'scores',
    columns: [
      ['appraisal', 'string'],
      ['instrument', 'string'],
      ['subject_kind', 'string'],
      ['subject', 'string'],
      ['subject_name', 'string'],
      ['status', 'string'],
      ['known', 'integer'],
      ['unknown', 'integer'],
      ['codes_issued', 'integer'],
      ['score', 'number'],
      ['contribution', 'number'],
      ['good_share', 'number'],
      ['excellent_share', 'number'],
      ['competent_share', 'number'],
      ['incompetent_share', 'number'],
      ['alert', 'integer'],
      ['known_online', 'integer'],
      ['score_online', 'number'],
      ['known_paper', 'integer'],
      ['score_paper', 'number'],
    ],
    rows: (m, ctx) =>
      m.appraisals.flatMap((a) =>
        (m.snapshotOf(a.id)?.instruments ?? []).flatMap((i) =>
          i.subjects.map((s) => ({
            ...bySource(
              i.sources.subjects.find((x) => x.subject.id === s.subject.id && x.subject.kind === s.subject.kind),
            ),
            appraisal: a.id,
            instrument: i.id,
            subject_kind: s.subject.kind,
            subject: s.subject.id,
            subject_name: ctx.subjectName(s.subject.kind, s.subject.id),
            status: s.status,
            known: s.known,
            unknown: s.unknown,
            codes_issued: opt(s.codesIssued ?? undefined),
            score: s.score === null ? null : Math.round(s.score * 100) / 100,
            contribution: s.contribution === null ? null : Math.round(s.contribution * 100) / 100,
            good_share: opt(s.indicators?.good ?? undefined),
            excellent_share: opt(s.indicators?.excellent ?? undefined),
            competent_share: opt(s.indicators?.competent ?? undefined),
            incompetent_share: opt(s.indicators?.incompetent ?? undefined),
            alert: s.indicators ? (s.indicators.alert ? 1 : 0) : null,
          })),
        ),
      ),
  },
  {
    // The rule that turns the tallies into the scores: with this and the tallies dataset anyone can recompute them.
    name: 'score_rules',
    columns: [
      ['appraisal', 'string'],
      ['instrument', 'string'],
      ['share', 'number'],
      ['weights', 'string'],
      ['grade_scores', 'string'],
      ['unknown_offered', 'integer'],
      ['min_known', 'integer'],
      ['rule', 'string'],
    ],
    rows: (m) =>
      m.appraisals.flatMap((a) =>
        (m.snapshotOf(a.id)?.instruments ?? []).map((i) => ({
          appraisal: a.id,
          instrument: i.id,
          share: i.rule.share,
          weights: list(Object.entries(i.rule.weights).map(([c, w]) => `${c}=${w}`)),
          grade_scores: list(Object.entries(i.rule.gradeScores).map(([o, p]) => `${o}=${p}`)),
          unknown_offered: i.rule.unknown ? 1 : 0,
          min_known: i.rule.minKnown,
          rule: i.rule.text,
        })),
      ),
  },
  {
    name: 'validity',
    columns: [
      ['appraisal', 'string'],
      ['instrument', 'string'],
      ['category', 'string'],
      ['responses', 'integer'],
      ['codes_issued', 'integer'],
      ['min_percent', 'number'],
      ['reached_percent', 'number'],
      ['met', 'integer'],
      ['round_valid', 'integer'],
    ],
    rows: (m) =>
      m.appraisals.flatMap((a) =>
        (m.snapshotOf(a.id)?.instruments ?? []).flatMap((i) =>
          (i.validity?.categories ?? []).map((c) => ({
            appraisal: a.id,
            instrument: i.id,
            category: c.raterCategory,
            responses: c.responses,
            codes_issued: c.codesIssued,
            min_percent: c.min,
            reached_percent: c.reached,
            met: c.met ? 1 : 0,
            round_valid: i.validity?.valid ? 1 : 0,
          })),
        ),
      ),
  },
];

export const DATASETS: ReadonlyMap<DatasetName, Dataset> = new Map(datasets.map((d) => [d.name, d]));

export function dataset(name: string): Dataset {
  const d = DATASETS.get(name as DatasetName);
  if (!d) throw new Error(`unknown dataset "${name}"`);
  return d;
}

/** Rows with every column present, in column order (a missing value is null). */
export function tableOf(d: Dataset, m: SiteModel, ctx: RowContext): Row[] {
  return d.rows(m, ctx).map((r) => Object.fromEntries(d.columns.map(([k]) => [k, r[k] ?? null])));
}

export function toJson(rows: Row[]): string {
  return `${JSON.stringify(rows, null, 1)}\n`;
}

/**
 * CSV with a UTF-8 byte order mark: Excel on Chinese Windows reads a CSV
 * without one as GBK and shows mojibake. CRLF line ends, as RFC 4180 says.
 */
export function toCsv(d: Dataset, rows: Row[]): string {
  return stringify(rows, {
    bom: true,
    header: true,
    columns: d.columns.map(([k]) => k),
    record_delimiter: 'windows',
    cast: { number: (n) => String(n) },
  });
}
