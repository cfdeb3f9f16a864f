import { z } from 'zod';
import { appraisal, disclosureSettings, objectionSettings } from './appraisal';
import { isoDate } from './common';
import { instrument } from './instrument';
import { official } from './official';
import { unit } from './unit';

/**
 * What the API needs of the content at run time: emitted at build as one JSON
 * module (src/generated/catalog.json) and checked with this schema when the
 * Functions bundle loads it. Instruments come expanded into the question model.
 */
export const runtimeCatalog = z.object({
  appraisals: z.array(
    appraisal
      .pick({ id: true, year: true, title: true, forum: true, phases: true, messages: true, raterCategories: true })
      .extend({
        objection: objectionSettings.omit({ howTo: true }),
        /** The public tally API and turnout apply its small-cell threshold; absent: the default k. */
        disclosure: disclosureSettings.optional(),
        /** When the appraisal's result was published (its results file, else its tallies snapshot): the objection window opens. */
        resultsOn: isoDate.nullable(),
      }),
  ),
  units: z.array(unit.pick({ id: true, name: true, category: true })),
  officials: z.array(official.pick({ id: true, name: true, post: true, unit: true })),
  instruments: z.array(instrument),
  /** Every year's holidays and make-up working days (src/content/holidays/), for deadlines in working days. */
  calendar: z.object({ holidays: z.array(isoDate), workdays: z.array(isoDate) }),
});
export type RuntimeCatalog = z.infer<typeof runtimeCatalog>;
