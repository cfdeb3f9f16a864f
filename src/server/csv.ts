// CSV as the API hands it out (console exports, live open data): UTF-8 with a
// byte order mark (Excel on Chinese Windows reads UTF-8 only with one), CRLF,
// and text from the public defused.
import { stringify } from 'csv-stringify/sync';

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a
 * leading apostrophe: the text came from the public (OWASP CSV injection).
 * Numbers stay numbers.
 */
export const defuse = (v: unknown) => {
  if (typeof v === 'number') return String(v);
  const s = v === null || v === undefined ? '' : String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
};

export const csvText = (columns: string[], rows: unknown[][]) =>
  stringify(
    rows.map((r) => r.map(defuse)),
    { bom: true, header: true, columns, record_delimiter: 'windows' },
  );
