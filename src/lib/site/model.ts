// The published content as the pages, the open data and the feed see it:
// plain entries in, lookups and relations out. No Astro import, so the Node
// tests and the benchmark can build the same model from src/build/content.ts.
import { type Catalog, categoryGroups } from '../../domain/catalog';
import { minCellOf } from '../../domain/disclosure';
import { expandInstrument } from '../../domain/instrument';
import { type PublicSnapshot, publicSnapshot } from '../../domain/public-tally';
import type {
  Appraisal,
  IndicatorSystem,
  Observer,
  Official,
  Result,
  SubjectRef,
  Summary,
  Team,
  Unit,
  UnitCategory,
} from '../../domain/schemas';
import { unitCategory } from '../../domain/schemas';

/** One content entry as both Astro's collections and the content loader give it. */
export interface Item<T> {
  id: string;
  data: T;
}

export type SiteData = { [K in keyof Catalog]: Item<Catalog[K][number]['data']>[] };

export const CATEGORIES: readonly UnitCategory[] = unitCategory.options;

const zh = new Intl.Collator('zh-CN');

export interface TeamVisit {
  team: Item<Team>;
  date: string;
}

export interface SiteModel {
  data: SiteData;
  /** Newest first. */
  appraisals: Appraisal[];
  appraisal: (id: string) => Appraisal | undefined;
  /** By category (the schema's order), then by name. */
  units: Unit[];
  unit: (id: string) => Unit | undefined;
  official: (id: string) => Official | undefined;
  officialsOf: (unitId: string) => Official[];
  teamsOf: (appraisalId: string) => Item<Team>[];
  /** The team that appraises a unit in an appraisal, and on which day. */
  visitOf: (appraisalId: string, unitId: string) => TeamVisit | undefined;
  observersOf: (appraisalId: string) => Observer[];
  observersOfUnit: (appraisalId: string, unitId: string) => Observer[];
  indicatorsOf: (appraisalId: string) => IndicatorSystem | undefined;
  /** Work summary first, then annual reports in the officials' order. */
  summariesOf: (unitId: string, appraisalId?: string) => Item<Summary>[];
  /** Newest publication first. */
  results: Result[];
  resultOf: (appraisalId: string) => Result | undefined;
  /**
   * An appraisal's final opinion tallies (issue 7) as the public may see them: the committed
   * snapshot through small-cell and secondary suppression (src/domain/public-tally.ts).
   */
  snapshotOf: (appraisalId: string) => PublicSnapshot | undefined;
  /** Appraisals with a results page: published results, or tallies, or both. Newest first. */
  withResults: Appraisal[];
  /** Units appraised in an appraisal (from its teams), in directory order. */
  unitsOf: (appraisalId: string) => Unit[];
}

function groupBy<T>(list: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of list) {
    const k = key(x);
    const l = m.get(k);
    if (l) l.push(x);
    else m.set(k, [x]);
  }
  return m;
}

export function buildModel(data: SiteData): SiteModel {
  const appraisals = data.appraisals.map((e) => e.data).sort((a, b) => b.year - a.year);
  const appraisalById = new Map(appraisals.map((a) => [a.id, a]));
  const units = data.units
    .map((e) => e.data)
    .sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category) || zh.compare(a.name, b.name));
  const unitById = new Map(units.map((u) => [u.id, u]));
  const officials = data.officials.map((e) => e.data);
  const officialById = new Map(officials.map((o) => [o.id, o]));
  const officialsByUnit = groupBy(officials, (o) => o.unit);
  const teamsByAppraisal = groupBy(data.teams, (t) => t.data.appraisal);
  const visits = new Map<string, TeamVisit>();
  for (const team of data.teams) {
    for (const u of team.data.units) visits.set(`${team.data.appraisal}/${u.unit}`, { team, date: u.date });
  }
  const observersByAppraisal = groupBy(
    data.observers.map((e) => e.data),
    (o) => o.appraisal,
  );
  const indicatorsByAppraisal = new Map(data.indicators.map((e) => [e.data.appraisal, e.data]));
  const results = data.results.map((e) => e.data).sort((a, b) => b.publishedOn.localeCompare(a.publishedOn));
  const resultByAppraisal = new Map(results.map((r) => [r.appraisal, r]));
  // Every page and dataset reads the snapshot through this one public view; the exact file stays out of reach.
  const snapshotByAppraisal = new Map(
    data.snapshots.map((e) => {
      const a = data.appraisals.find((x) => x.id === e.data.appraisal)?.data;
      const defs = new Map(
        data.instruments
          .filter((i) => i.data.appraisal === e.data.appraisal)
          .map((i) => [i.data.id, expandInstrument(i.data, categoryGroups(a))]),
      );
      return [e.data.appraisal, publicSnapshot(e.data, (id) => defs.get(id), minCellOf(a))] as const;
    }),
  );
  const officialRank = (id?: string) => (id ? officials.findIndex((o) => o.id === id) : -1);

  return {
    data,
    appraisals,
    appraisal: (id) => appraisalById.get(id),
    units,
    unit: (id) => unitById.get(id),
    official: (id) => officialById.get(id),
    officialsOf: (unitId) => officialsByUnit.get(unitId) ?? [],
    teamsOf: (appraisalId) => (teamsByAppraisal.get(appraisalId) ?? []).sort((a, b) => a.id.localeCompare(b.id)),
    visitOf: (appraisalId, unitId) => visits.get(`${appraisalId}/${unitId}`),
    observersOf: (appraisalId) => observersByAppraisal.get(appraisalId) ?? [],
    observersOfUnit: (appraisalId, unitId) =>
      (observersByAppraisal.get(appraisalId) ?? []).filter((o) => o.units.includes(unitId)),
    indicatorsOf: (appraisalId) => indicatorsByAppraisal.get(appraisalId),
    summariesOf: (unitId, appraisalId) =>
      data.summaries
        .filter((s) => s.data.unit === unitId && (appraisalId === undefined || s.data.appraisal === appraisalId))
        .sort(
          (a, b) =>
            (a.data.kind === 'work-summary' ? -1 : officialRank(a.data.official)) -
            (b.data.kind === 'work-summary' ? -1 : officialRank(b.data.official)),
        ),
    results,
    resultOf: (appraisalId) => resultByAppraisal.get(appraisalId),
    snapshotOf: (appraisalId) => snapshotByAppraisal.get(appraisalId),
    withResults: appraisals.filter((a) => resultByAppraisal.has(a.id) || snapshotByAppraisal.has(a.id)),
    unitsOf: (appraisalId) => units.filter((u) => visits.has(`${appraisalId}/${u.id}`)),
  };
}

/** The unit a subject belongs to (a group is its unit's leadership; an official works in one). */
export function subjectUnit(model: SiteModel, subject: SubjectRef): Unit | undefined {
  if (subject.kind === 'official') {
    const o = model.official(subject.id);
    return o ? model.unit(o.unit) : undefined;
  }
  return model.unit(subject.id);
}
