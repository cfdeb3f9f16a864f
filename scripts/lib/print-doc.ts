// The printable A4 documents the CLIs write (participation-code slips, paper
// ballots): one self-contained HTML file each, inline CSS only, no script, no
// external asset, and a Content-Security-Policy that would refuse both. Each
// `.page` is exactly one A4 page (190 × 277 mm inside a 10 mm margin, which
// office printers reach); a screen-only header says what the file is and how
// to print it, and is never printed.
import { esc } from '../../src/lib/site/qr';

export { esc };

export const FONT_SANS =
  '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';
export const FONT_MONO = '"DejaVu Sans Mono", "Noto Sans Mono", Consolas, "Courier New", monospace';

/** The printable area of an A4 page inside the 10 mm margin, in mm. */
export const PAGE_WIDTH_MM = 190;
export const PAGE_HEIGHT_MM = 277;

/** What every printable document shares: the page box, one page per `.page`, the screen-only header. */
const BASE_CSS = `
@page { size: A4 portrait; margin: 10mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #000; background: #fff; font-family: ${FONT_SANS}; }
p { margin: 0; }
.page { width: ${PAGE_WIDTH_MM}mm; height: ${PAGE_HEIGHT_MM}mm; break-after: page; page-break-after: always; overflow: hidden; }
.page:last-child { break-after: auto; page-break-after: auto; }
.screen-only { padding: 8mm 10mm 4mm; }
.screen-only h1 { font-size: 14pt; margin: 0 0 2mm; }
.warn { color: #a00; font-weight: 700; max-width: ${PAGE_WIDTH_MM}mm; }
@media screen {
  body { background: #ddd; }
  .page { margin: 0 auto 10mm; background: #fff; box-shadow: 0 0 0 10mm #fff; }
  .screen-only { max-width: ${PAGE_WIDTH_MM}mm; margin: 0 auto; }
}
@media print { .screen-only { display: none; } }
`;

export interface PrintDocument {
  /** The document title (already escaped). */
  title: string;
  /** The screen-only header's lines after its heading (HTML). */
  screen: string[];
  /** The document's own CSS, after the shared one. */
  css: string;
  /** The pages (HTML), each a `.page` element. */
  pages: string[];
}

/** One printable HTML file. */
export function printDocument(d: PrintDocument): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>${d.title}</title>
<style>${BASE_CSS}${d.css}</style>
</head>
<body>
<header class="screen-only"><h1>${d.title}</h1>${d.screen.join('')}</header>
${d.pages.join('\n')}
</body>
</html>
`;
}
