// Geometry of a horizontal bar chart, the one chart code of the site: the
// results pages draw it as static SVG at build time, the observers' console
// inside its island (src/islands/shared/BarChart.svelte). Horizontal because
// the labels are unit names, which read best left to right. Bars always start
// at zero: a cut axis makes a 2-point difference look like a doubling.

export interface Datum {
  label: string;
  value: number;
  /** How the value is written next to the bar (default: the number). */
  display?: string;
  /** A tone class for the bar, e.g. the rank of a result band. */
  tone?: number;
}

export interface ChartOptions {
  /** Axis end (e.g. 100 for scores); the start is always zero. */
  max?: number;
  width?: number;
  barHeight?: number;
  gap?: number;
  /** Font size of the labels, in SVG units, used to estimate label widths. */
  fontSize?: number;
}

export interface Bar {
  label: string;
  display: string;
  tone: number;
  /** Fill colour of the tone (TONES). */
  colour: string;
  y: number;
  width: number;
  /** Vertical centre of the bar, for the label baselines. */
  cy: number;
}

export interface BarChartLayout {
  width: number;
  height: number;
  barHeight: number;
  /** Where bars start (right of the labels). */
  x0: number;
  /** Width available for a bar at the maximum value. */
  span: number;
  bars: Bar[];
  ticks: { x: number; label: string }[];
  min: number;
  max: number;
}

/** CJK characters are about 1em wide, Latin digits and letters about 0.55em. */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 1 : 0.55;
  return em * fontSize;
}

/** A step of 1, 2 or 5 times a power of ten that gives about `count` ticks. */
export function niceStep(range: number, count = 5): number {
  if (range <= 0) return 1;
  const raw = range / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow;
}

/** Round a number for a tick label without float noise (0.30000000000000004). */
const tickLabel = (v: number) => String(Math.round(v * 1000) / 1000);

export function barChart(data: Datum[], opts: ChartOptions = {}): BarChartLayout {
  const { width = 640, barHeight = 22, gap = 10, fontSize = 14 } = opts;
  const values = data.map((d) => d.value);
  const top = Math.max(0, ...values);
  const min = 0;
  const step = niceStep((opts.max ?? top) - min);
  const max = opts.max ?? Math.max(min + step, Math.ceil(top / step) * step);
  const labelWidth = Math.min(width * 0.4, Math.max(0, ...data.map((d) => textWidth(d.label, fontSize))) + 12);
  const valueWidth = Math.max(0, ...data.map((d) => textWidth(d.display ?? String(d.value), fontSize))) + 10;
  const x0 = Math.ceil(labelWidth);
  const span = Math.max(10, width - x0 - valueWidth);
  const axis = 24;
  const scale = (v: number) => (Math.min(Math.max(v, min), max) - min) / (max - min || 1);
  const bars = data.map((d, i) => {
    const y = i * (barHeight + gap);
    return {
      label: d.label,
      display: d.display ?? String(d.value),
      tone: d.tone ?? 0,
      colour: toneColour(d.tone ?? 0),
      y,
      width: Math.round(scale(d.value) * span * 10) / 10,
      cy: y + barHeight / 2,
    };
  });
  const plotHeight = data.length * (barHeight + gap) - gap;
  const ticks: { x: number; label: string }[] = [];
  for (let v = min; v <= max + 1e-9; v += step) {
    ticks.push({ x: Math.round((x0 + scale(v) * span) * 10) / 10, label: tickLabel(v) });
  }
  return { width, height: Math.max(plotHeight, 0) + axis, barHeight, x0, span, bars, ticks, min, max };
}

/**
 * Bar colours by tone (0: plain; 1..4: result bands, best first). Each keeps
 * at least 3:1 against the page and the table background (WCAG 1.4.11), and
 * the legend tells the bands apart by name, not by colour alone.
 */
export const TONES = ['#0b4f9c', '#1e6b34', '#4d5b69', '#8a5300', '#a4161a'] as const;
/** Backgrounds a bar is drawn on: the page and the shaded surface of tables and print. */
export const CHART_BACKGROUNDS = ['#ffffff', '#f5f5f2'] as const;

export const toneColour = (tone: number) => TONES[Math.min(Math.max(0, tone), TONES.length - 1)]!;

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const c = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = c.map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio of two #rrggbb colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Counts of values in bins [lo, lo + width), for charts of many subjects (one bar per unit would not read). */
export function histogram(values: number[], width = 1): { lo: number; hi: number; count: number }[] {
  if (values.length === 0) return [];
  const lo = Math.floor(Math.min(...values) / width) * width;
  const hi = Math.floor(Math.max(...values) / width) * width;
  const bins: { lo: number; hi: number; count: number }[] = [];
  for (let b = lo; b <= hi + 1e-9; b += width) {
    const from = Math.round(b * 1000) / 1000;
    const to = Math.round((b + width) * 1000) / 1000;
    bins.push({ lo: from, hi: to, count: values.filter((v) => v >= from && v < to).length });
  }
  return bins;
}
