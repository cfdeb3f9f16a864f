// Small pieces the unit tests share: the demo appraisal's phases, an
// instrument's opening window, options written by id, a schema verdict.
import type { Phases } from '../../src/domain/schemas/appraisal';

/** The demo appraisal's phases (src/content/appraisals/county-2026.yaml). */
export const phases: Phases = {
  notice: { start: '2026-11-16', end: '2026-11-30' },
  publicity: { start: '2026-11-25', end: '2026-12-10' },
  opinion: { start: '2026-11-20', end: '2026-12-20' },
  fieldwork: { start: '2026-12-07', end: '2026-12-18' },
  results: { start: '2027-01-15', end: '2027-01-21' },
  objectionDeadline: '2027-01-25',
};

/** Open through the demo's opinion phase, written in China time as authors do. */
export const openWindow = { opensAt: '2026-11-20T08:00:00+08:00', closesAt: '2026-12-20T18:00:00+08:00' };

/** Options whose label is their id. */
export const opts = (...ids: string[]) => ids.map((id) => ({ id, label: id }));

/** Whether a schema accepts a value. */
export const accepts = (schema: { safeParse: (x: unknown) => { success: boolean } }, x: unknown) =>
  schema.safeParse(x).success;
