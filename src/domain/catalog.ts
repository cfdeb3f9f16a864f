import type { z } from 'zod';
import type { CollectionData, CollectionName } from './collections';
import { UNKNOWN } from './instrument';
import { dayInChina, daysBetween } from './schemas/common';
import type { SubjectRef } from './schemas/question';
import { PUBLIC_CATEGORY, type RaterCategoryDef, type RaterGroup } from './schemas/rater-category';
import { type RuntimeCatalog, runtimeCatalog } from './schemas/runtime-catalog';

export type { RuntimeCatalog };

/** One validated content entry and the file it came from (for error messages). */
export interface Entry<T> {
  file: string;
  id: string;
  data: T;
}

/** Every collection's entries, typed by its schema (src/domain/collections.ts). */
export type Catalog = { [K in CollectionName]: Entry<CollectionData<K>>[] };

export interface ContentIssue {
  file: string;
  field: string;
  message: string;
}

/** Minimum days a work summary is public before its unit is appraised (seed 000: 至少 5 天). */
export const MIN_PUBLICITY_DAYS = 5;

/**
 * Checks that span entries and collections (references, dates); the
 * per-entry shape is already checked by each collection's schema.
 */
export function checkCatalog(c: Catalog): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const add = (file: string, field: string, message: string) => issues.push({ file, field, message });
  const ids = <T>(list: Entry<T>[]) => new Set(list.map((e) => e.id));
  const appraisals = new Map(c.appraisals.map((e) => [e.id, e.data]));
  const units = ids(c.units);
  const officials = new Map(c.officials.map((e) => [e.id, e.data]));

  for (const [name, list] of Object.entries(c) as [string, Entry<{ id?: string }>[]][]) {
    const seen = new Set<string>();
    for (const e of list) {
      if (seen.has(e.id)) add(e.file, 'id', `${name} 中 id “${e.id}” 重复`);
      seen.add(e.id);
      if (e.data.id !== undefined && e.data.id !== e.id)
        add(e.file, 'id', `id “${e.data.id}” 与文件名 “${e.id}” 不一致`);
    }
  }
  const needAppraisal = (e: Entry<{ appraisal: string }>) => {
    if (!appraisals.has(e.data.appraisal)) add(e.file, 'appraisal', `未知的考核 “${e.data.appraisal}”`);
  };
  const needUnit = (file: string, field: string, id: string) => {
    if (!units.has(id)) add(file, field, `未知的单位 “${id}”`);
  };
  const subjectExists = (s: SubjectRef) => (s.kind === 'official' ? officials.has(s.id) : units.has(s.id));

  for (const e of c.units) if (e.data.parent) needUnit(e.file, 'parent', e.data.parent);
  for (const e of c.officials) needUnit(e.file, 'unit', e.data.unit);

  // The day each unit is appraised, per appraisal (from the teams' schedules).
  const appraisedOn = new Map<string, string>();
  for (const e of c.teams) {
    needAppraisal(e);
    const a = appraisals.get(e.data.appraisal);
    e.data.units.forEach((u, i) => {
      needUnit(e.file, `units.${i}.unit`, u.unit);
      if (a && (u.date < a.phases.fieldwork.start || u.date > a.phases.fieldwork.end)) {
        add(
          e.file,
          `units.${i}.date`,
          `考核日期 ${u.date} 不在实地考核阶段 (${a.phases.fieldwork.start} 至 ${a.phases.fieldwork.end}) 内`,
        );
      }
      appraisedOn.set(`${e.data.appraisal}/${u.unit}`, u.date);
    });
  }
  for (const e of c.observers) {
    needAppraisal(e);
    e.data.units.forEach((u, i) => {
      needUnit(e.file, `units.${i}`, u);
    });
  }
  for (const e of c.indicators) needAppraisal(e);

  for (const e of c.summaries) {
    needAppraisal(e);
    needUnit(e.file, 'unit', e.data.unit);
    if (e.data.official) {
      const o = officials.get(e.data.official);
      if (!o) add(e.file, 'official', `未知的领导干部 “${e.data.official}”`);
      else if (o.unit !== e.data.unit) add(e.file, 'official', `“${o.name}” 不属于单位 “${e.data.unit}”`);
    }
    const a = appraisals.get(e.data.appraisal);
    const due = appraisedOn.get(`${e.data.appraisal}/${e.data.unit}`) ?? a?.phases.fieldwork.start;
    if (due) {
      const lead = daysBetween(e.data.publicity.start, due);
      if (lead < MIN_PUBLICITY_DAYS) {
        add(
          e.file,
          'publicity.start',
          `公示须在考核 (${due}) 前至少 ${MIN_PUBLICITY_DAYS} 天开始, 现为 ${e.data.publicity.start} (提前 ${lead} 天)`,
        );
      }
    }
  }

  const shorts = new Map<string, string>();
  for (const e of c.instruments) {
    needAppraisal(e);
    const src = e.data;
    if (src.short) {
      const taken = shorts.get(src.short);
      if (taken) add(e.file, 'short', `短链接 “${src.short}” 已被测评 “${taken}” 使用`);
      shorts.set(src.short, src.id);
    }
    const refs: [string, SubjectRef][] =
      src.kind === 'ballot'
        ? src.subjects.map((id, i) => [`subjects.${i}`, { kind: src.subjectKind, id }])
        : src.kind === 'rating'
          ? src.subjects.map((id, i) => [`subjects.${i}`, { kind: 'unit', id }])
          : src.kind === 'vote'
            ? src.candidates.flatMap((c, i) =>
                c.subject ? [[`candidates.${i}.subject`, c.subject] as [string, SubjectRef]] : [],
              )
            : src.questions.flatMap((q, i) =>
                q.subject ? [[`questions.${i}.subject`, q.subject] as [string, SubjectRef]] : [],
              );
    for (const [field, ref] of refs)
      if (!subjectExists(ref)) add(e.file, field, `未知的考核对象 ${ref.kind} “${ref.id}”`);
    const a = appraisals.get(src.appraisal);
    if (a) {
      const defs = new Map(a.raterCategories.map((c) => [c.id, c]));
      src.raterCategories.forEach((cat, i) => {
        const def = defs.get(cat);
        if (!def)
          add(e.file, `raterCategories.${i}`, `评议主体类别 “${cat}” 未在考核 ${a.id} 的 raterCategories 中定义`);
        else if (def.group === 'public') add(e.file, `raterCategories.${i}`, '凭码参与的测评不能面向社会公众类别');
      });
      if (src.access === 'public' && defs.get(PUBLIC_CATEGORY)?.group !== 'public') {
        add(e.file, 'access', `公开参与的测评需要考核 ${a.id} 定义 ${PUBLIC_CATEGORY} (社会公众) 类别`);
      }
    }
    const allowed: string[] = src.access === 'public' ? [PUBLIC_CATEGORY] : src.raterCategories;
    for (const cat of Object.keys(src.categoryWeights)) {
      if (!allowed.includes(cat)) add(e.file, `categoryWeights.${cat}`, `评议主体 “${cat}” 不能参与本测评`);
    }
    // A scored instrument answered by several categories says how they combine: every one weighted, summing to 100.
    if (Object.keys(src.gradeScores).length > 0 && allowed.length > 1) {
      const missing = allowed.filter((cat) => src.categoryWeights[cat] === undefined);
      if (missing.length > 0) {
        add(e.file, 'categoryWeights', `计分测评须为每个评议主体类别给出权重, 合计 100 (缺 ${missing.join('、')})`);
      }
    }
    for (const cat of Object.keys(src.validity?.minTurnout ?? {})) {
      if (!allowed.includes(cat)) add(e.file, `validity.minTurnout.${cat}`, `评议主体 “${cat}” 不能参与本测评`);
    }
    if (src.kind === 'ballot') {
      src.items.forEach((item, i) => {
        if (item.id === UNKNOWN || item.id === 'overall' || item.id === 'problems')
          add(e.file, `items.${i}.id`, `“${item.id}” 是保留的题目 id`);
      });
    }
    // The year in China time: the stored instant is UTC, eight hours behind at a year's end.
    const closingYear = dayInChina(new Date(src.closesAt)).slice(0, 4);
    if (a && closingYear !== String(a.year) && closingYear !== String(a.year + 1)) {
      add(e.file, 'closesAt', `截止时间不在 ${a.year} 年度考核期内`);
    }
  }

  for (const e of c.results) {
    needAppraisal(e);
    e.data.entries.forEach((r, i) => {
      if (!subjectExists(r.subject))
        add(e.file, `entries.${i}.subject`, `未知的考核对象 ${r.subject.kind} “${r.subject.id}”`);
      if (!e.data.bands.includes(r.band)) add(e.file, `entries.${i}.band`, `等次 “${r.band}” 不在 bands 中`);
    });
  }
  const instruments = new Map(c.instruments.map((e) => [e.id, e.data]));
  for (const e of c.appraisals) {
    const q = e.data.rectification.questionnaire;
    const src = q ? instruments.get(q) : undefined;
    if (q && (!src || src.appraisal !== e.id)) {
      add(e.file, 'rectification.questionnaire', `未知的测评 “${q}” (须为本考核的测评)`);
    }
  }
  for (const e of c.holidays) {
    const y = String(e.data.year);
    if (e.id !== y) add(e.file, 'year', `文件名应为年份 “${y}”`);
    e.data.holidays.forEach((h, i) => {
      if (!h.start.startsWith(y) && !h.end.startsWith(y))
        add(e.file, `holidays.${i}`, `${h.name} (${h.start} 至 ${h.end}) 不在 ${y} 年`);
    });
    e.data.workdays.forEach((d, i) => {
      const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
      if (weekday !== 0 && weekday !== 6) add(e.file, `workdays.${i}`, `${d} 不是周末, 无需列为调休上班日`);
    });
  }
  for (const e of c.snapshots) {
    needAppraisal(e);
    if (e.id !== e.data.appraisal) add(e.file, 'appraisal', `快照文件名应为考核编号 “${e.data.appraisal}”`);
    e.data.instruments.forEach((i, n) => {
      const src = instruments.get(i.id);
      if (!src) add(e.file, `instruments.${n}.id`, `未知的测评 “${i.id}”`);
      else if (src.appraisal !== e.data.appraisal) add(e.file, `instruments.${n}.id`, `测评 “${i.id}” 不属于本考核`);
    });
  }
  return issues;
}

/** Each category's group (internal, external, public), for the defaults that depend on who rates (不了解). */
export const categoryGroups = (a: { raterCategories: RaterCategoryDef[] } | undefined): Record<string, RaterGroup> =>
  Object.fromEntries((a?.raterCategories ?? []).map((c) => [c.id, c.group]));

/** A rater category's label in an appraisal (its id when unknown). */
export const categoryLabel =
  (catalog: Pick<RuntimeCatalog, 'appraisals'>, appraisal: string) =>
  (category: string): string =>
    catalog.appraisals.find((a) => a.id === appraisal)?.raterCategories.find((c) => c.id === category)?.label ??
    category;

/** How a content problem reads in a failing build. */
export const formatIssue = (i: ContentIssue) => `${i.file}: ${i.field}: ${i.message}`;

/** A schema's complaints about one file, as content problems. */
export const schemaIssues = (file: string, error: z.ZodError): ContentIssue[] =>
  error.issues.map((i) => ({ file, field: i.path.join('.') || '(root)', message: i.message }));

/** The message of a failed check: a title, then one indented `file: field: message` line per problem. */
export const issueReport = (title: string, issues: ContentIssue[]) =>
  `${title} (${issues.length} 处):\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`;

/**
 * The runtime catalog checked against its schema, for the API to load once:
 * a stale or corrupt generated file fails loudly, naming the field, instead
 * of surfacing later as a wrong answer.
 */
export function parseRuntimeCatalog(data: unknown, source: string): RuntimeCatalog {
  const parsed = runtimeCatalog.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new Error(
    issueReport(`${source} 不符合运行时目录的格式, 请重新运行 npm run content`, schemaIssues(source, parsed.error)),
  );
}
