// A QR code as inline SVG, for the code slips (scripts/lib/slips.ts) and the
// public instruments' posters (pages/participate/[id]/poster.astro): no image
// file, no script, crisp at any print size.
import encodeQR from 'qr';

/** The QR standard's quiet zone, in modules. */
const QUIET = 4;

/**
 * A QR code as an inline SVG: each row's dark runs as 1-unit-wide strokes of
 * one path with relative moves, a fifth of the size of a rectangle per
 * module, which matters at 1,000 slips a file. Error correction "medium"
 * (15 %) survives a fold or a smudge on paper.
 */
export function qrSvg(text: string, label: string): string {
  const m = encodeQR(text, 'raw', { ecc: 'medium', border: 1 });
  // `border` is at least 1 in this library; drop it and draw the standard quiet zone ourselves.
  const size = m.length - 2;
  let d = '';
  for (let y = 0; y < size; y++) {
    const row = m[y + 1] as boolean[];
    let pen = -1; // x where the last run ended on this row; -1 before the first
    for (let x = 0; x < size; ) {
      if (!row[x + 1]) {
        x++;
        continue;
      }
      let w = 1;
      while (x + w < size && row[x + w + 1]) w++;
      d += pen < 0 ? `M${x + QUIET} ${y + QUIET}.5h${w}` : `m${x - pen} 0h${w}`;
      pen = x + w;
      x += w;
    }
  }
  const box = size + 2 * QUIET;
  return `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${box} ${box}" role="img" aria-label="${esc(label)}" shape-rendering="crispEdges"><rect width="${box}" height="${box}" fill="#fff"/><path d="${d}" stroke="#000" stroke-width="1"/></svg>`;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Titles and origins come from content and the command line: escape them like any text. */
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c] as string);
