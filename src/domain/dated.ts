// The markup contract between a dated page's build (src/lib/site/dated.ts,
// components/Dated.astro) and the Pages Function that serves it
// (src/server/dated-pages.ts). A page part that reads differently from day to
// day is written once per span of time:
//   <kp-when data-from="ISO" data-until="ISO">…</kp-when>
// (no data-from: since before the build; no data-until: from then on), all
// but the build's own `hidden`, with their id-like attributes renamed
// (id → data-kp-id) so the built file stays valid. <time data-today> holds
// today's date.

export const DATED_TAG = 'kp-when';
export const TODAY_ATTR = 'data-today';

/** Attributes that name or point at an id: renamed in hidden variants, renamed back in the one kept. */
export const ID_ATTRIBUTES = ['id', 'for', 'headers', 'aria-labelledby', 'aria-describedby', 'aria-controls'] as const;
export const hiddenName = (attribute: string) => `data-kp-${attribute}`;

/** Whether a variant spanning [from, until) holds at instant `t` (ms). */
export function variantHolds(from: string | null | undefined, until: string | null | undefined, t: number): boolean {
  return (!from || Date.parse(from) <= t) && (!until || t < Date.parse(until));
}
