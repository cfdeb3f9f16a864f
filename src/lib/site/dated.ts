// Pages that say what is open "today" without a daily rebuild and without
// JavaScript. At build time a dated part of a page (the phase, the publicity
// status, what a resident can do) is rendered once for every span of time in
// which it reads the same, from the build onwards; each rendering goes into a
// <kp-when data-from data-until> element, all but the build's own hidden. On
// request the Pages Function (src/server/dated-pages.ts) keeps the one whose
// span holds the current instant and drops the rest, and writes today's date
// into every <time data-today>. Without the function (astro dev, a plain file
// server) the page reads as on its build day.
//
// Spans change only where the content has a date: every date in the content
// starts a day (China midnight) and ends one (the next midnight), every
// instant (an instrument's closing) is a change of its own, and so is New Year. A part that reads
// the same across several such points is written once.
import { hiddenName, ID_ATTRIBUTES, TODAY_ATTR } from '../../domain/dated';
import { CHINA_OFFSET_MINUTES, localDate } from '../../domain/phase';
import type { IsoDate } from '../../domain/schemas';
import type { SiteModel } from './model';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** The instant a China calendar day begins. */
export function dayStart(day: IsoDate): number {
  return Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MINUTES * 60_000;
}

/** Every instant at which something the pages compare with "now" may change, sorted, once each. */
export function changePoints(values: unknown): number[] {
  const out = new Set<number>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') {
      if (DAY.test(v)) {
        out.add(dayStart(v));
        out.add(dayStart(v) + 86_400_000);
      } else if (INSTANT.test(v)) {
        const t = Date.parse(v);
        if (!Number.isNaN(t)) out.add(t);
      }
    } else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(values);
  // New Year too: a date outside today's year is written with its year (format.near).
  const years = [...out].map((t) => Number(localDate(new Date(t)).slice(0, 4)));
  for (let y = Math.min(...years); y <= Math.max(...years) + 1; y++) out.add(dayStart(`${y}-01-01`));
  return [...out].sort((a, b) => a - b);
}

/** The content's change points, once per build (the model is built once too). */
const pointsOf = new WeakMap<SiteModel, number[]>();
export function contentChangePoints(m: SiteModel): number[] {
  let p = pointsOf.get(m);
  if (!p) {
    p = changePoints(Object.values(m.data).map((entries) => entries.map((e) => e.data)));
    pointsOf.set(m, p);
  }
  return p;
}

export interface Variant {
  /** ISO instant from which this rendering holds (none: since before the build). */
  from?: string;
  /** ISO instant from which it no longer holds (none: from then on). */
  until?: string;
  html: string;
}

/** Today's date inside the HTML does not make two renderings different: the function rewrites it. */
const withoutToday = (html: string) =>
  html.replace(new RegExp(`<time ${TODAY_ATTR}[^>]*>[^<]*</time>`, 'g'), `<time ${TODAY_ATTR}></time>`);

/**
 * `render` called at the build instant and at every later change point; runs
 * of equal output merged. The first variant is the build's own.
 */
export async function datedVariants(
  render: (now: Date) => Promise<string>,
  points: number[],
  built: Date,
): Promise<Variant[]> {
  const starts = [built.getTime(), ...points.filter((t) => t > built.getTime())];
  const out: (Variant & { key: string })[] = [];
  for (const [i, t] of starts.entries()) {
    const html = await render(new Date(t));
    const key = withoutToday(html);
    const last = out.at(-1);
    if (last && last.key === key) continue;
    if (last) last.until = new Date(t).toISOString();
    out.push({ from: i === 0 ? undefined : new Date(t).toISOString(), html, key });
  }
  return out.map(({ key: _, ...v }) => v);
}

const ID_ATTRIBUTE = new RegExp(` (${ID_ATTRIBUTES.join('|')})="`, 'g');
/**
 * A hidden variant's id-like attributes renamed (id → data-kp-id, …): ids stay
 * unique in the built file and no label points into another variant. Only
 * inside start tags: text never holds an unescaped "<".
 */
export const hideVariant = (html: string) =>
  html.replace(/<[A-Za-z][^>]*>/g, (tag) => tag.replace(ID_ATTRIBUTE, (_, name: string) => ` ${hiddenName(name)}="`));

/** The build's instant: KAOPING_NOW pins it (tests, demos), as it pins the API's clock. */
export function buildNow(env: Record<string, string | undefined> = process.env): Date {
  const raw = env.KAOPING_NOW;
  const now = raw ? new Date(raw) : new Date();
  if (Number.isNaN(now.getTime())) throw new Error(`KAOPING_NOW is not a date: "${raw}"`);
  return now;
}

/** The calendar day in China of an instant (what the pages call "today"). */
export const dayOf = (now: Date): IsoDate => localDate(now);
