// Build time: what the participation islands need from the content besides
// the instrument itself (which they fetch from the API, the one source of the
// definition the API validates against): how subjects and categories are named.
import { expandInstrument } from '../../domain/instrument';
import type { InstrumentSource } from '../../domain/schemas/instrument';
import { t } from '../../i18n';
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

export const categoryNames: Record<string, string> = { ...t.slips.raterCategories };

export const instrumentHref = (id: string) => `/participate/${id}/`;
export const receiptsHref = '/receipts/';
