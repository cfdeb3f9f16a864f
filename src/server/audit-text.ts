// The audit log in words, for the console and the CSV export: who (a name,
// not an id), what it was done to ("帖子 (主题《…》)", "测评《…》") and
// what changed, field by field, in Chinese ("状态: 待审核 → 已公开").
// The stored JSON stays as it is: this is a reading of it.
import type { RuntimeCatalog } from '../domain/catalog';
import type { AuditChange, AuditEntry } from '../domain/schemas/audit';
import { t } from '../i18n';
import type { AuditNames, RawAuditEntry } from './db/audit';
import { subjectName } from './routes/observe/live';

const a = t.observe.audit;

/** The ids an entry names, to look up before putting it in words. */
export function namedIds(entries: RawAuditEntry[]) {
  const observers = new Set<string>();
  const posts = new Set<string>();
  const messages = new Set<string>();
  const objections = new Set<string>();
  const ledger = new Set<string>();
  for (const e of entries) {
    if (e.targetKind === 'observer') observers.add(e.targetId);
    if (e.targetKind === 'post') posts.add(e.targetId);
    if (e.targetKind === 'message') messages.add(e.targetId);
    if (e.targetKind === 'objection') objections.add(e.targetId);
    if (e.targetKind === 'rectification') ledger.add(e.targetId);
    for (const side of [parse(e.before), parse(e.after)]) {
      if (typeof side.assignee === 'string') observers.add(side.assignee);
    }
  }
  return {
    observers: [...observers],
    posts: [...posts],
    messages: [...messages],
    objections: [...objections],
    ledger: [...ledger],
  };
}

function parse(json: string | null): Record<string, unknown> {
  if (!json) return {};
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function targetName(e: RawAuditEntry, names: AuditNames, catalog: RuntimeCatalog): string {
  const targets = a.targets;
  switch (e.targetKind) {
    case 'post': {
      const p = names.posts.get(e.targetId);
      return targets.post(p?.title ?? null, p?.opening ?? true);
    }
    case 'message': {
      const m = names.messages.get(e.targetId);
      const about =
        m?.subjectKind && m.subjectId
          ? subjectName(catalog, { kind: m.subjectKind, id: m.subjectId })
          : targets.messageAboutAppraisal;
      return targets.message(about);
    }
    case 'instrument':
      return targets.instrument(catalog.instruments.find((i) => i.id === e.targetId)?.title ?? e.targetId);
    case 'appraisal':
      return targets.appraisal(catalog.appraisals.find((x) => x.id === e.targetId)?.title ?? e.targetId);
    case 'observer':
      return targets.observer(names.observers.get(e.targetId) ?? e.targetId.slice(0, 8));
    case 'audit':
      return targets.audit;
    case 'objection': {
      const o = names.objections.get(e.targetId);
      return targets.objection(
        o ? subjectName(catalog, { kind: o.subjectKind, id: o.subjectId }) : targets.unknownRecord,
      );
    }
    case 'rectification': {
      const unit = names.ledger.get(e.targetId);
      return targets.rectification(
        unit ? (catalog.units.find((u) => u.id === unit)?.name ?? unit) : targets.unknownRecord,
      );
    }
    case 'meeting':
      return targets.meeting(e.targetId.slice(0, 8));
    case 'sheet':
      return targets.sheet(e.targetId);
    default:
      return targets.other(e.targetKind, e.targetId);
  }
}

/** One value of a field in words; null for "none". */
function valueText(field: string, v: unknown, e: RawAuditEntry, names: AuditNames, catalog: RuntimeCatalog) {
  if (v === null || v === undefined || v === '') return field === 'assignee' ? a.unassigned : null;
  if (field === 'status' && typeof v === 'string') {
    if (e.targetKind === 'post') return a.postStatus[v] ?? v;
    if (e.targetKind === 'message') return (t.messages.status as Record<string, string>)[v] ?? v;
    if (e.targetKind === 'objection') return (t.followUp.objections.status as Record<string, string>)[v] ?? v;
  }
  if (field === 'decision' && typeof v === 'string') {
    return (t.followUp.objections.decisions as Record<string, string>)[v] ?? v;
  }
  if (field === 'source' && typeof v === 'string') {
    return (t.followUp.rectification.sources as Record<string, string>)[v] ?? v;
  }
  if (typeof v === 'boolean') return v ? a.yes : a.no;
  if (field === 'unit' && typeof v === 'string') return catalog.units.find((u) => u.id === v)?.name ?? v;
  if (field === 'appraisal' && typeof v === 'string') return catalog.appraisals.find((x) => x.id === v)?.title ?? v;
  if (field === 'objection' && typeof v === 'string') return a.targets.objection(v.slice(0, 8));
  if (field === 'meeting' && typeof v === 'string') return a.targets.meeting(v.slice(0, 8));
  if (field === 'instrument' && typeof v === 'string') return catalog.instruments.find((i) => i.id === v)?.title ?? v;
  if (field === 'categories' && Array.isArray(v)) return v.map((x) => String(x)).join('、') || null;
  if (field === 'state' && typeof v === 'string') return (t.observe.live.state as Record<string, string>)[v] ?? v;
  if (field === 'assignee' && typeof v === 'string') return names.observers.get(v) ?? v.slice(0, 8);
  if (field === 'role' && typeof v === 'string') return (t.observe.roles as Record<string, string>)[v] ?? v;
  if (field === 'units' && Array.isArray(v)) {
    return v.map((u) => catalog.units.find((x) => x.id === u)?.name ?? String(u)).join('、') || null;
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function changes(e: RawAuditEntry, names: AuditNames, catalog: RuntimeCatalog): AuditChange[] {
  const before = parse(e.before);
  const after = parse(e.after);
  const out: AuditChange[] = [];
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = field in before ? valueText(field, before[field], e, names, catalog) : null;
    const now = field in after ? valueText(field, after[field], e, names, catalog) : null;
    if (was === now && field in before) continue;
    out.push({ field: a.fields[field] ?? field, before: was, after: now });
  }
  return out;
}

/** An entry as the console and the export show it. */
export function describeAudit(e: RawAuditEntry, names: AuditNames, catalog: RuntimeCatalog): AuditEntry {
  return {
    id: e.id,
    at: e.at,
    observer: e.observerId ? { id: e.observerId, displayName: e.observerName ?? e.observerId } : null,
    action: e.action,
    targetKind: e.targetKind,
    targetId: e.targetId,
    targetName: targetName(e, names, catalog),
    before: e.before,
    after: e.after,
    changes: changes(e, names, catalog),
    hash: e.hash,
  };
}

/** A change list on one line (the CSV): "状态: 待审核 → 已公开; 隐藏理由: 无 → 重复内容". */
export const changeLine = (cs: AuditChange[]) =>
  cs.map((c) => `${c.field}: ${c.before ?? a.none} → ${c.after ?? a.none}`).join('; ');
