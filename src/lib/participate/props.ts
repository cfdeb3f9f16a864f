// Build time: what the participation islands need from the content besides
// the instrument itself (which they fetch from the API, the one source of the
// definition the API validates against): how subjects and categories are named.
import { expandInstrument } from '../../domain/instrument';
import { takesPaper } from '../../domain/paper';
import type { InstrumentSource } from '../../domain/schemas/instrument';
import { loadSite } from '../site/content';
import type { SiteModel } from '../site/model';
import { subjectName } from '../site/names';

/** "kind:id" → the subject's name, for every subject of these instruments. */
export function subjectNames(m: SiteModel, instruments: InstrumentSource[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const src of instruments) {
    for (const s of expandInstrument(src).layout.subjects) out[`${s.kind}:${s.id}`] = subjectName(m, s.kind, s.id);
  }
  return out;
}

/** Rater category id → label, from the appraisals' content (an id means the same in every year that uses it). */
export function categoryNames(m: SiteModel): Record<string, string> {
  return Object.fromEntries(m.appraisals.flatMap((a) => a.raterCategories.map((c) => [c.id, c.label])));
}

export const instrumentHref = (id: string) => `/participate/${id}/`;
export const receiptsHref = '/receipts/';

/** One page per instrument under /participate/<id>/ (its own page, its turnout page). */
export async function instrumentPaths() {
  const m = await loadSite();
  return m.data.instruments.map((e) => ({ params: { id: e.data.id }, props: { inst: e.data } }));
}

/** The same, for the instruments an evaluation meeting hands out (the hall's screen, /participate/<id>/meeting/). */
export async function meetingPaths() {
  return (await instrumentPaths()).filter((p) => takesPaper(p.props.inst));
}
