// Which units a forum lists: those the appraisal's teams appraise (all units
// if it has no teams yet), by the site's order, with the short names.
import type { SiteModel } from '../../lib/site/model';

export function forumUnits(m: SiteModel, appraisal?: string): { id: string; name: string }[] {
  const appraised = appraisal
    ? new Set(m.teamsOf(appraisal).flatMap((t) => t.data.units.map((u) => u.unit)))
    : new Set<string>();
  return m.units
    .filter((u) => appraised.size === 0 || appraised.has(u.id))
    .map((u) => ({ id: u.id, name: u.shortName ?? u.name }));
}
