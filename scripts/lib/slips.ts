// The printable A4 sheets of participation-code slips: self-contained HTML
// (inline CSS and SVG, no external asset, no script), 2 × 5 slips a page with
// dashed cut lines. Each slip carries its code and a QR code of the
// participation page with the code in the URL *fragment*: browsers never send
// a fragment to the server, so the code never lands in an access log.
import { zhCNCodes } from '../../src/i18n/zh-CN/codes';
import { esc, qrSvg } from '../../src/lib/site/qr';
import { FONT_MONO, printDocument } from './print-doc';

const t = zhCNCodes.slips;

/** Slips per HTML file: 100 A4 pages, which a browser lays out and prints without strain. */
export const SLIPS_PER_FILE = 1000;
export const SLIPS_PER_PAGE = 10;

export { esc, qrSvg };

export const participationUrl = (origin: string) => `${origin.replace(/\/+$/, '')}/participate/`;
export const slipUrl = (origin: string, code: string) => `${participationUrl(origin)}#code=${code}`;

export interface SlipSheet {
  appraisalTitle: string;
  /** The rater category's label, from the appraisal's content. */
  category: string;
  /** 定点定向: the names of the subjects the codes may rate; empty for every subject. */
  subjects?: string[];
  batch: string;
  origin: string;
  /** Formatted codes (XXXX-XXXX-XXXX-X), in CSV order. */
  codes: string[];
  part: number;
  parts: number;
}

interface SlipParts {
  head: string;
  how: string;
  foot: string;
}

function slip(s: SlipSheet, code: string, p: SlipParts) {
  const qr = qrSvg(slipUrl(s.origin, code), t.qrLabel);
  return `<div class="slip">${p.head}<p class="code"><span class="label">${t.codeLabel}</span><span class="value">${code}</span></p>${p.how}${qr}${p.foot}</div>`;
}

/** One HTML file of slips. */
export function renderSlips(s: SlipSheet): string {
  const category = esc(s.category);
  const targeted =
    s.subjects && s.subjects.length > 0
      ? `<p class="meta">${t.subjectsLabel}: <strong>${s.subjects.map(esc).join('、')}</strong></p>`
      : '';
  // Break a long address only after a slash, never inside a word.
  const url = esc(participationUrl(s.origin)).replace(/(?<=[^/])\/(?=[^/])/g, '/<wbr>');
  const parts: SlipParts = {
    head: `<p class="title">${esc(s.appraisalTitle)}</p><p class="meta"><span class="tag">${t.heading}</span> ${t.categoryLabel}: <strong>${category}</strong></p>${targeted}`,
    how: `<p class="how">${t.scanHint}<span class="url">${url}</span>${t.enterHint}</p>`,
    foot: `<p class="notice">${t.notice}</p><p class="batch">${t.batchLabel} ${esc(s.batch)}</p>`,
  };
  const pages: string[] = [];
  for (let i = 0; i < s.codes.length; i += SLIPS_PER_PAGE) {
    const slips = s.codes
      .slice(i, i + SLIPS_PER_PAGE)
      .map((c) => slip(s, c, parts))
      .join('');
    pages.push(`<section class="page">${slips}</section>`);
  }
  const title = `${t.documentTitle} · ${esc(s.appraisalTitle)} · ${category} · ${esc(s.batch)}`;
  const partLine = s.parts > 1 ? ` · ${t.part(s.part, s.parts)}` : '';
  return printDocument({
    title: `${title}${partLine}`,
    screen: [`<p>${t.count(s.codes.length)}</p>`, `<p class="warn">${t.screenWarning}</p>`],
    css: CSS,
    pages,
  });
}

/*
 * A4 is 210 × 297 mm; a 10 mm page margin keeps everything inside what office
 * printers can reach, leaving 190 × 277 mm for 2 × 5 slips of 95 × 55.4 mm.
 * The page has the top and left cut lines, every slip its right and bottom
 * ones, so each line is drawn once.
 */
const CSS = `
.page { display: grid; grid-template-columns: repeat(2, 95mm); grid-template-rows: repeat(5, 55.4mm);
  border-top: 0.3mm dashed #666; border-left: 0.3mm dashed #666; }
.slip { border-right: 0.3mm dashed #666; border-bottom: 0.3mm dashed #666; padding: 3.5mm 4mm 2.5mm; overflow: hidden;
  display: grid; grid-template-columns: 1fr 29mm; grid-template-rows: auto auto auto auto auto 1fr; column-gap: 3mm; row-gap: 1mm;
  grid-template-areas: "title title" "meta qr" "code qr" "how qr" "notice notice" "batch batch"; break-inside: avoid; }
.title { grid-area: title; font-size: 8pt; line-height: 1.25; font-weight: 700; }
.meta { grid-area: meta; font-size: 8.5pt; align-self: start; }
.tag { display: inline-block; border: 0.25mm solid #000; border-radius: 0.8mm; padding: 0 1mm; font-size: 7pt; }
.code { grid-area: code; }
.code .label { display: block; font-size: 7pt; color: #333; }
.code .value { display: block; font-family: ${FONT_MONO}; font-size: 16pt; font-weight: 700; white-space: nowrap; line-height: 1.2; }
.how { grid-area: how; font-size: 7pt; line-height: 1.35; align-self: end; }
.qr { grid-area: qr; width: 29mm; height: 29mm; align-self: center; }
.url { display: block; font-family: ${FONT_MONO}; font-weight: 700; }
.notice { grid-area: notice; font-size: 6.5pt; line-height: 1.35; color: #333; }
.batch { grid-area: batch; align-self: end; font-size: 6pt; color: #555; font-family: ${FONT_MONO}; }
`;
