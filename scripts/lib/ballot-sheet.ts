// The printed paper ballot (纸质测评表): one sheet per serial, laid out from
// `paperQuestions` (the online form's questions minus free text), so paper
// and screen can never ask different things. A sheet is one or more A4 pages
// of fixed size; the layout is computed here, once for every sheet, from
// conservative estimates of how tall each row prints (the test renders it in
// Chromium and checks nothing is clipped), so the tool knows how many pages
// it wrote and a sheet never splits in the middle of a row. The serial is
// printed large at the top of every page (the keying console asks for it
// first) and small at the bottom. No script, no external asset.
import { type PaperQuestion, paperQuestions } from '../../src/domain/paper';
import type { Instrument } from '../../src/domain/schemas/instrument';
import type { SubjectRef } from '../../src/domain/schemas/question';
import { zhCNBallots } from '../../src/i18n/zh-CN/ballots';
import { esc, FONT_MONO, PAGE_HEIGHT_MM, PAGE_WIDTH_MM, printDocument } from './print-doc';

const t = zhCNBallots.ballotSheet;

/** At most this many A4 pages per HTML file: a browser lays them out and prints them without strain. */
export const MAX_PAGES_PER_FILE = 500;

export interface BallotForm {
  inst: Pick<Instrument, 'id' | 'kind' | 'title' | 'questions' | 'unknown'>;
  appraisalTitle: string;
  /** How a subject is named (as on the participation pages). */
  subjectName: (s: SubjectRef) => string;
  /** The rater categories a sheet may be ticked for; a single one is printed, not asked. */
  categories: { id: string; label: string }[];
  meeting?: { id: string; heldOn: string; place: string };
}

/* ---------- sizes: every figure in mm; fonts in pt (1 pt = 0.3528 mm) ---------- */

const PT = 0.3528;
const BODY_PT = 9;
const SMALL_PT = 8;
const LINE = 1.3; // line-height
const FOOTER_H = 7;
const CONT_HEADER_H = 10;
const SECTION_GAP = 3;
const ROW_PAD = 1.6;
const MIN_ROW = 6;
const HEAD_ROW = 6;
const BOX = 3.6;

/** Width of a string in em: CJK and full-width characters one em, the rest a conservative 0.6. */
const ems = (s: string) => [...s].reduce((n, c) => n + ((c.codePointAt(0) ?? 0) >= 0x2e80 ? 1 : 0.6), 0);
/** Lines a text takes in a column, rounded up, with 10 % to spare for the font's own metrics. */
const linesOf = (s: string, widthMm: number, pt = BODY_PT) =>
  Math.max(1, Math.ceil((ems(s) * pt * PT) / (widthMm * 0.9)));
const lineH = (pt = BODY_PT) => pt * PT * LINE;
const mm = (n: number) => `${n.toFixed(1)}mm`;

/* ---------- the layout model ---------- */

interface Row {
  html: string;
  h: number;
  /** A ballot item's category (思想政治建设 …): one cell spanning its rows on each page. */
  cat?: string;
  /** The question a table row answers. */
  q?: string;
}
interface Grid {
  kind: 'grid';
  cols: string;
  head: Row;
  rows: Row[];
}
interface Line {
  kind: 'line';
  row: Row;
}
type Part = Grid | Line;
interface Section {
  /** The section's heading; `continued` on the pages after the first. */
  title?: (continued: boolean) => string;
  titleH: number;
  parts: Part[];
}

const box = '<span class="box"></span>';
const boxCell = `<td class="c">${box}</td>`;

function optionLine(labels: string[], widthMm: number): { html: string; h: number } {
  // Each option: its box, a gap and its label, then 5 mm to the next.
  const widths = labels.map((l) => BOX + 1.5 + ems(l) * BODY_PT * PT + 5);
  let rows = 1;
  let used = 0;
  for (const w of widths) {
    if (used > 0 && used + w > widthMm * 0.92) {
      rows++;
      used = 0;
    }
    used += w;
  }
  const html = labels.map((l) => `<span class="opt">${box}${esc(l)}</span>`).join('');
  return { html: `<p class="opts">${html}</p>`, h: rows * 6 };
}

/** A question printed as its label and a line of option boxes (a multiple choice, or a choice of its own). */
function linePart(q: PaperQuestion, number: string): Line {
  const mark =
    q.type === 'multi'
      ? t.multiRange(q.min, q.max ?? q.options.length)
      : `${t.chooseOne}${q.required ? '' : `, ${t.optional}`}`;
  const label = `${number}${q.label}`;
  const labelLines = linesOf(`${label} (${mark})`, PAGE_WIDTH_MM - 4);
  const hint = q.hint ?? '';
  const hintH = hint ? linesOf(hint, PAGE_WIDTH_MM - 4, SMALL_PT) * lineH(SMALL_PT) : 0;
  const opts = optionLine(
    q.options.map((o) => o.label),
    PAGE_WIDTH_MM - 4,
  );
  const h = labelLines * lineH() + hintH + opts.h + ROW_PAD + 1.5;
  return {
    kind: 'line',
    row: {
      h,
      html: `<div class="q" style="height:${mm(h)}" data-q="${esc(q.id)}"><p class="ql">${esc(label)} <span class="mark">(${esc(mark)})</span></p>${
        hint ? `<p class="hint">${esc(hint)}</p>` : ''
      }${opts.html}</div>`,
    },
  };
}

/** The width of an option column: its label and a box, at least 12 mm. */
const optionWidth = (labels: string[]) => Math.max(12, ...labels.map((l) => ems(l) * BODY_PT * PT + 4));

const CATEGORY_COL = 21;

/** Consecutive choice questions with the same options: one table, a row each, a column per grade. */
function gridPart(qs: PaperQuestion[], opts: { categories: boolean; number: (q: PaperQuestion) => string }): Grid {
  const options = qs[0]?.options ?? [];
  const ow = optionWidth(options.map((o) => o.label));
  const categories = opts.categories && qs.some((q) => q.hint);
  const labelW = PAGE_WIDTH_MM - ow * options.length - (categories ? CATEGORY_COL : 0);
  const cols = `<colgroup>${categories ? `<col style="width:${mm(CATEGORY_COL)}">` : ''}<col>${options.map(() => `<col style="width:${mm(ow)}">`).join('')}</colgroup>`;
  const head = {
    h: HEAD_ROW,
    html: `<tr>${categories ? `<th scope="col">${t.categoryColumn}</th>` : ''}<th scope="col" class="l">${t.itemColumn}</th>${options.map((o) => `<th scope="col">${esc(o.label)}</th>`).join('')}</tr>`,
  };
  const rows: Row[] = qs.map((q) => {
    const label = `${opts.number(q)}${q.label}`;
    const hint = !categories && q.hint ? q.hint : '';
    const h = Math.max(
      MIN_ROW,
      linesOf(label, labelW - 3) * lineH() +
        (hint ? linesOf(hint, labelW - 3, SMALL_PT) * lineH(SMALL_PT) : 0) +
        ROW_PAD,
    );
    return {
      h,
      q: q.id,
      ...(categories ? { cat: q.hint ?? '' } : {}),
      html: `<th scope="row" class="l">${esc(label)}${hint ? `<span class="hint">${esc(hint)}</span>` : ''}${
        q.required ? '' : ` <span class="mark">(${t.optional})</span>`
      }</th>${options.map(() => boxCell).join('')}`,
    };
  });
  // A category's cell must be tall enough for its name (it wraps in a narrow column).
  for (let i = 0; i < rows.length; ) {
    let j = i;
    while (j < rows.length && rows[j]?.cat === rows[i]?.cat) j++;
    const cat = rows[i]?.cat;
    if (cat) {
      const need = linesOf(cat, CATEGORY_COL - 2, SMALL_PT) * lineH(SMALL_PT) + ROW_PAD;
      const have = rows.slice(i, j).reduce((n, r) => n + r.h, 0);
      const last = rows[j - 1] as Row;
      if (need > have) last.h += need - have;
    }
    i = j;
  }
  return { kind: 'grid', cols, head, rows };
}

/** A grid's rows on one page; a category cell spans its rows on that page. */
function gridRows(rows: Row[]): string {
  return rows
    .map((r, i) => {
      let cat = '';
      if (r.cat !== undefined && (i === 0 || rows[i - 1]?.cat !== r.cat)) {
        let n = 1;
        while (rows[i + n] && rows[i + n]?.cat === r.cat) n++;
        cat = `<th scope="rowgroup" class="catc"${n > 1 ? ` rowspan="${n}"` : ''}>${esc(r.cat)}</th>`;
      }
      return `<tr style="height:${mm(r.h)}"${r.q ? ` data-q="${esc(r.q)}"` : ''}>${cat}${r.html}</tr>`;
    })
    .join('');
}

const sameOptions = (a: PaperQuestion, b: PaperQuestion) =>
  a.type === 'choice' && b.type === 'choice' && JSON.stringify(a.options) === JSON.stringify(b.options);

/** Questions in a row that print as one table: choice questions with the same options, laid out narrow enough. */
function runs(qs: PaperQuestion[]): PaperQuestion[][] {
  const out: PaperQuestion[][] = [];
  for (const q of qs) {
    const last = out[out.length - 1];
    const head = last?.[0];
    if (last && head && sameOptions(head, q)) last.push(q);
    else out.push([q]);
  }
  return out;
}

const fitsGrid = (q: PaperQuestion) =>
  q.type === 'choice' && optionWidth(q.options.map((o) => o.label)) * q.options.length <= PAGE_WIDTH_MM * 0.6;

interface Group {
  subject?: SubjectRef;
  questions: PaperQuestion[];
}

function groupsOf(qs: PaperQuestion[]): Group[] {
  const out: Group[] = [];
  const key = (s?: SubjectRef) => (s ? `${s.kind}:${s.id}` : '');
  for (const q of qs) {
    const last = out[out.length - 1];
    if (last && key(last.subject) === key(q.subject)) last.questions.push(q);
    else out.push({ subject: q.subject, questions: [q] });
  }
  return out;
}

/**
 * A rating: every subject has one graded question (and perhaps 不了解) with
 * the same scale: one table, a row per subject, a column per grade and one
 * for 不了解.
 */
function matrixSection(groups: Group[], form: BallotForm): Section | null {
  if (groups.length < 2 || groups.some((g) => !g.subject)) return null;
  const graded = groups.map((g) => g.questions.filter((q) => q.role !== 'unknown'));
  const first = graded[0]?.[0];
  if (
    !first ||
    !fitsGrid(first) ||
    graded.some((qs) => qs.length !== 1 || !sameOptions(first, qs[0] as PaperQuestion))
  ) {
    return null;
  }
  const unknowns = groups.map((g) => g.questions.find((q) => q.role === 'unknown'));
  const withUnknown = unknowns.some(Boolean);
  const unknownLabel = unknowns.find(Boolean)?.options[0]?.label ?? '';
  const labels = [...first.options.map((o) => o.label), ...(withUnknown ? [unknownLabel] : [])];
  const ow = optionWidth(labels);
  const labelW = PAGE_WIDTH_MM - ow * labels.length;
  const cols = `<colgroup><col>${labels.map(() => `<col style="width:${mm(ow)}">`).join('')}</colgroup>`;
  const head = {
    h: HEAD_ROW,
    html: `<tr><th scope="col" class="l">${t.subjectColumn} · ${esc(first.label)}</th>${labels.map((l) => `<th scope="col">${esc(l)}</th>`).join('')}</tr>`,
  };
  const rows = groups.map((g, i) => {
    const q = graded[i]?.[0] as PaperQuestion;
    const name = `${i + 1}. ${form.subjectName(g.subject as SubjectRef)}`;
    const h = Math.max(MIN_ROW, linesOf(name, labelW - 3) * lineH() + ROW_PAD);
    const u = unknowns[i];
    const unknown = withUnknown ? (u ? `<td class="c" data-q="${esc(u.id)}">${box}</td>` : '<td class="c"></td>') : '';
    return {
      h,
      q: q.id,
      html: `<th scope="row" class="l">${esc(name)}</th>${first.options.map(() => boxCell).join('')}${unknown}`,
    };
  });
  return { titleH: 0, parts: [{ kind: 'grid', cols, head, rows }] };
}

function sections(form: BallotForm): Section[] {
  const qs = paperQuestions(form.inst);
  const groups = groupsOf(qs);
  const matrix = matrixSection(groups, form);
  if (matrix) return [matrix];
  let n = 0;
  const number = (_q: PaperQuestion) => (form.inst.kind === 'questionnaire' ? `${++n}. ` : '');
  const subjects = groups.filter((g) => g.subject).length;
  let s = 0;
  return groups.map((g) => {
    const unknown = g.questions.find((q) => q.role === 'unknown');
    const asked = g.questions.filter((q) => q !== unknown);
    const parts: Part[] = runs(asked).map((run) =>
      run.length > 1 || (run[0] && fitsGrid(run[0]) && form.inst.kind === 'ballot')
        ? gridPart(run, { categories: form.inst.kind === 'ballot', number })
        : linePart(run[0] as PaperQuestion, number(run[0] as PaperQuestion)),
    );
    if (!g.subject) return { titleH: 0, parts };
    const name = `${subjects > 1 ? `${++s}. ` : ''}${form.subjectName(g.subject)}`;
    const unknownHtml = unknown
      ? `<span class="unknown" data-q="${esc(unknown.id)}">${box}${esc(unknown.options[0]?.label ?? '')} <span class="mark">${t.unknownNote}</span></span>`
      : '';
    const titleH = Math.max(linesOf(name, PAGE_WIDTH_MM - (unknown ? 75 : 0), 11) * lineH(11), 6) + 2.5;
    return {
      titleH,
      title: (continued: boolean) =>
        // The 不了解 box is printed once, on the subject's first page: two boxes for one answer could disagree.
        `<h3 class="subject" style="height:${mm(titleH)}"><span class="name">${esc(name)}${continued ? ` ${t.continued}` : ''}</span>${continued ? '' : unknownHtml}</h3>`,
      parts,
    };
  });
}

const partH = (p: Part) => (p.kind === 'line' ? p.row.h : p.head.h + p.rows.reduce((n, r) => n + r.h, 0) + 1);
const sectionH = (s: Section) => s.titleH + s.parts.reduce((n, p) => n + partH(p), 0) + SECTION_GAP;

function renderPart(p: Part): string {
  if (p.kind === 'line') return p.row.html;
  return `<table class="grid">${p.cols}<thead>${p.head.html}</thead><tbody>${gridRows(p.rows)}</tbody></table>`;
}

/** Sections packed into pages of `first` and then `rest` mm; a section splits only when it is taller than a page. */
function pack(all: Section[], first: number, rest: number): string[][] {
  const pages: string[][] = [[]];
  let room = first;
  const newPage = () => {
    pages.push([]);
    room = rest;
  };
  const place = (s: Section, parts: Part[], continued: boolean) => {
    const html = `<section class="sec">${s.title ? s.title(continued) : ''}${parts.map(renderPart).join('')}</section>`;
    (pages[pages.length - 1] as string[]).push(html);
  };
  for (const s of all) {
    const h = sectionH(s);
    // To the next page when it fits there whole, unless this page has no section yet (the first page's
    // instructions alone would be a page of no question): then it splits.
    if (h > room && h <= rest && (pages[pages.length - 1] as string[]).length > 0) newPage();
    if (h <= room) {
      place(s, s.parts, false);
      room -= h;
      continue;
    }
    // Taller than a page: row by row, the heading (continued) and the table head again on each page.
    let continued = false;
    let done: Part[] = [];
    let used = s.titleH + SECTION_GAP;
    if (room < used + MIN_ROW * 3 + HEAD_ROW) newPage();
    const flush = () => {
      if (done.length > 0) place(s, done, continued);
      newPage();
      continued = true;
      done = [];
      used = s.titleH + SECTION_GAP;
    };
    for (const p of s.parts) {
      if (p.kind === 'line') {
        if (used + p.row.h > room) flush();
        done.push(p);
        used += p.row.h;
        continue;
      }
      let rows: Row[] = [];
      used += p.head.h + 1;
      for (const r of p.rows) {
        if (used + r.h > room) {
          if (rows.length > 0) done.push({ ...p, rows });
          flush();
          rows = [];
          used += p.head.h + 1;
        }
        rows.push(r);
        used += r.h;
      }
      if (rows.length > 0) done.push({ ...p, rows });
    }
    if (done.length > 0) place(s, done, continued);
    room -= used;
  }
  return pages;
}

/** The first page's head: title, serial, meeting, category boxes, how to fill in, the pledge. */
function firstHead(form: BallotForm): { html: (serial: string) => string; h: number } {
  const titleW = PAGE_WIDTH_MM - 58;
  const titleH = 4.5 + linesOf(form.inst.title, titleW, 13) * lineH(13);
  const bandH = Math.max(21, titleH + 2);
  const meeting = form.meeting ? `<p class="meta">${esc(t.meeting(form.meeting.heldOn, form.meeting.place))}</p>` : '';
  const meetingH = form.meeting ? lineH(SMALL_PT) + 1 : 0;
  let categories = '';
  let categoriesH = 0;
  if (form.categories.length > 1) {
    const opts = optionLine(
      form.categories.map((c) => c.label),
      PAGE_WIDTH_MM - 6,
    );
    categories = `<div class="cats"><p><strong>${t.categoryLabel}</strong>: ${t.categoryPick}</p>${opts.html}</div>`;
    categoriesH = lineH() + opts.h + 4;
  } else if (form.categories.length === 1) {
    categories = `<div class="cats"><p><strong>${t.categoryLabel}</strong>: ${esc(form.categories[0]?.label ?? '')}</p></div>`;
    categoriesH = lineH() + 4;
  }
  const qs = paperQuestions(form.inst);
  const how = [
    ...t.how,
    ...(qs.some((q) => q.type === 'choice') ? [t.howGrid] : []),
    ...(form.inst.unknown && qs.some((q) => q.role === 'unknown') ? [t.howUnknown] : []),
    t.howSpoilt,
    t.howReturn,
  ];
  const pledge = `${t.pledge}${t.pledgePaper}`;
  const textW = PAGE_WIDTH_MM - 10;
  const howH =
    lineH(SMALL_PT) * (1 + how.reduce((n, l) => n + linesOf(l, textW, SMALL_PT), 0)) +
    lineH(SMALL_PT) * (1 + linesOf(pledge, textW, SMALL_PT)) +
    5;
  const h = bandH + meetingH + categoriesH + howH + 3;
  return {
    h,
    html: (serial) =>
      `<div class="band" style="height:${mm(bandH)}"><div class="titles"><p class="appraisal">${esc(form.appraisalTitle)}</p><h2>${esc(form.inst.title)}</h2></div>${serialBox(serial)}</div>${meeting}${categories}<div class="how"><p><strong>${t.howHeading}</strong></p><ol>${how
        .map((l) => `<li>${esc(l)}</li>`)
        .join(
          '',
        )}</ol><p class="pledge"><strong>${t.pledgeHeading}</strong>: ${esc(t.pledge)}${esc(t.pledgePaper)}</p></div>`,
  };
}

const serialBox = (serial: string) =>
  `<p class="serial"><span class="label">${t.serialLabel} <span class="sub">${t.serialHint}</span></span><span class="value">${serial}</span></p>`;

export interface SheetLayout {
  /** Pages of one sheet. */
  pages: number;
  /** One sheet's HTML for a serial. */
  render: (serial: string) => string;
}

/** The layout every sheet of this form shares; only the serial differs. */
export function layoutSheet(form: BallotForm): SheetLayout {
  const head = firstHead(form);
  const body = PAGE_HEIGHT_MM - FOOTER_H;
  const pages = pack(sections(form), body - head.h, body - CONT_HEADER_H);
  const n = pages.length;
  const title = esc(form.inst.title);
  const SERIAL = '\u0000SERIAL\u0000';
  const html = pages
    .map((content, i) => {
      const top =
        i === 0
          ? head.html(SERIAL)
          : `<div class="cont" style="height:${mm(CONT_HEADER_H - 2)}"><p class="ctitle">${title} ${t.continued} · ${t.page(i + 1, n)}</p>${serialBox(SERIAL)}</div>`;
      return `<div class="page" data-serial="${SERIAL}" data-page="${i + 1}">${top}<div class="body">${content.join('')}</div><p class="foot">${
        // The end of the sheet is said in the last page's footer: it never needs a page of its own.
        i === n - 1 ? `<span class="end">${t.end}</span>` : `<span>${title}</span>`
      }<span>${t.serialLabel} ${SERIAL} · ${t.page(i + 1, n)}</span></p></div>`;
    })
    .join('\n');
  const parts = html.split(SERIAL);
  return { pages: n, render: (serial) => parts.join(serial) };
}

export interface BallotFile {
  form: BallotForm;
  layout: SheetLayout;
  serials: string[];
  part: number;
  parts: number;
  /** Called after each sheet: sheets done in this file. */
  onSheet?: (done: number) => void;
}

/** One HTML file of ballots. */
export function renderBallots(f: BallotFile): string {
  const pages: string[] = [];
  f.serials.forEach((serial, i) => {
    pages.push(f.layout.render(serial));
    f.onSheet?.(i + 1);
  });
  const first = f.serials[0] ?? '';
  const last = f.serials[f.serials.length - 1] ?? '';
  const title = `${t.documentTitle} · ${esc(f.form.inst.title)}${f.form.meeting ? ` · ${esc(f.form.meeting.id)}` : ''} · ${t.serialLabel} ${first}–${last}${
    f.parts > 1 ? ` · ${t.screen.part(f.part, f.parts)}` : ''
  }`;
  return printDocument({
    title,
    screen: [
      `<p>${t.screen.count(f.serials.length, f.layout.pages, first, last)}</p>`,
      `<p class="warn">${t.screen.warning(f.layout.pages)}</p>`,
    ],
    css: CSS,
    pages,
  });
}

/** Sheets per file: whole sheets, at most MAX_PAGES_PER_FILE pages (and at least one sheet). */
export const sheetsPerFile = (pagesPerSheet: number) => Math.max(1, Math.floor(MAX_PAGES_PER_FILE / pagesPerSheet));

const CSS = `
.page { display: flex; flex-direction: column; font-size: ${BODY_PT}pt; line-height: ${LINE}; }
.body { flex: 1 1 auto; overflow: hidden; }
.band { display: flex; justify-content: space-between; align-items: flex-start; gap: 4mm; border-bottom: 0.5mm solid #000; padding-bottom: 1.5mm; margin-bottom: 1.5mm; }
.titles { flex: 1 1 auto; }
.appraisal { font-size: ${SMALL_PT}pt; color: #333; }
h2 { font-size: 13pt; line-height: ${LINE}; margin: 0.5mm 0 0; }
.serial { flex: 0 0 auto; border: 0.6mm solid #000; padding: 1mm 2.5mm; text-align: right; }
.serial .label { display: block; font-size: 7.5pt; }
.serial .sub { color: #444; }
.serial .value { display: block; font-family: ${FONT_MONO}; font-size: 20pt; font-weight: 700; line-height: 1.1; white-space: nowrap; letter-spacing: 0.3mm; }
.cont { display: flex; justify-content: space-between; align-items: flex-start; border-bottom: 0.4mm solid #000; margin-bottom: 2mm; overflow: hidden; }
.cont .ctitle { font-size: ${SMALL_PT}pt; padding-top: 1mm; }
.cont .serial { padding: 0.3mm 2mm; border-width: 0.4mm; }
.cont .serial .label { display: none; }
.cont .serial .value { font-size: 14pt; }
.meta { font-size: ${SMALL_PT}pt; margin-bottom: 1mm; }
.cats { border: 0.4mm solid #000; padding: 1mm 2mm; margin-bottom: 1.5mm; }
.how { font-size: ${SMALL_PT}pt; border: 0.25mm solid #555; padding: 1mm 2mm; margin-bottom: 2mm; }
.how ol { margin: 0; padding-left: 5mm; }
.pledge { margin-top: 0.5mm; }
.box { display: inline-block; width: ${BOX}mm; height: ${BOX}mm; border: 0.35mm solid #000; vertical-align: -0.6mm; background: #fff; }
.opts { display: flex; flex-wrap: wrap; column-gap: 5mm; row-gap: 0; }
.opt { display: inline-flex; align-items: center; gap: 1.5mm; height: 6mm; white-space: nowrap; }
.sec { margin-bottom: ${SECTION_GAP}mm; }
.subject { display: flex; justify-content: space-between; align-items: flex-end; gap: 3mm; font-size: 11pt; line-height: ${LINE}; margin: 0; padding-bottom: 0.8mm; overflow: hidden; }
.subject .unknown { flex: 0 0 auto; display: inline-flex; align-items: center; gap: 1.5mm; font-size: ${BODY_PT}pt; font-weight: 400; border: 0.3mm solid #000; padding: 0.3mm 1.5mm; }
.mark { font-size: 7.5pt; font-weight: 400; color: #333; }
.hint { display: block; font-size: ${SMALL_PT}pt; font-weight: 400; color: #333; }
.grid { width: 100%; border-collapse: collapse; table-layout: fixed; margin-bottom: 1mm; }
.grid th, .grid td { border: 0.25mm solid #000; padding: 0.5mm 1.5mm; text-align: center; vertical-align: middle; }
.grid thead th { height: ${HEAD_ROW}mm; font-size: ${SMALL_PT}pt; background: #eee; }
.grid th.l { text-align: left; font-weight: 400; }
.grid thead th.l { font-weight: 700; }
.grid .catc { font-size: ${SMALL_PT}pt; font-weight: 700; background: #f4f4f4; padding: 0.5mm 1mm; }
.grid td.c .box { width: 4.2mm; height: 4.2mm; }
.q { border-top: 0.25mm solid #000; padding: 1mm 1mm 0; overflow: hidden; }
.q .ql { font-weight: 700; }
.foot .end { font-size: ${SMALL_PT}pt; font-weight: 700; color: #000; }
.foot { flex: 0 0 auto; height: ${FOOTER_H}mm; display: flex; justify-content: space-between; align-items: flex-end; font-size: 7pt; color: #333; border-top: 0.25mm solid #999; }
.foot span:last-child { font-family: ${FONT_MONO}; }
`;
