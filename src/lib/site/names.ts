// How subjects and codes are named for people: on pages and in the open data.
import { t } from '../../i18n';
import type { SiteModel } from './model';
import type { RowContext } from './open-data';

/** How a subject is named on pages and in the open data. */
export function subjectName(m: SiteModel, kind: 'unit' | 'group' | 'official', id: string): string {
  if (kind === 'official') {
    const o = m.official(id);
    if (!o) return id;
    const u = m.unit(o.unit);
    return t.subject.official(o.name, o.post, u?.shortName ?? u?.name ?? '');
  }
  const name = m.unit(id)?.name ?? id;
  return kind === 'group' ? t.subject.group(name) : t.subject.unit(name);
}

/** Every subject's name by "kind:id", for islands that show subjects without the catalog. */
export function allSubjectNames(m: SiteModel): Record<string, string> {
  return Object.fromEntries([
    ...m.units.flatMap((u) => [
      [`unit:${u.id}`, subjectName(m, 'unit', u.id)],
      [`group:${u.id}`, subjectName(m, 'group', u.id)],
    ]),
    ...m.units.flatMap((u) => m.officialsOf(u.id).map((o) => [`official:${o.id}`, subjectName(m, 'official', o.id)])),
  ]);
}

export function rowContext(m: SiteModel, site: URL | undefined): RowContext {
  return {
    url: (path) => (site ? new URL(path, site).href : path),
    categoryName: (c) => t.portal.units.categories[c],
    subjectName: (kind, id) => subjectName(m, kind, id),
    observerRole: (role) => t.portal.observer.roles[role],
  };
}
