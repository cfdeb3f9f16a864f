// An open dataset as an Excel workbook: the rows on the first sheet (one typed
// cell per value, the header frozen), the column notes on the second. Built
// with write-excel-file's universal build (its only dependency is fflate), so
// the same code runs at build time in Node for the static datasets and in
// workerd for the ones the API serves from D1.
import writeXlsxFile, { type Cell, type Row } from 'write-excel-file/universal';
import { t } from '../../i18n';

export type XlsxColumnType = 'string' | 'integer' | 'number' | 'date' | 'url';

export interface XlsxDataset {
  /** The dataset's name (the first sheet's name, at most 31 characters as Excel allows). */
  name: string;
  title: string;
  description: string;
  columns: readonly (readonly [key: string, type: XlsxColumnType])[];
  /** Each column's note, and the words for the column types and the notes sheet's headings. */
  notes: Record<string, string>;
  words: {
    notesSheet: string;
    column: string;
    type: string;
    description: string;
    types: Record<XlsxColumnType, string>;
  };
}

/** The notes sheet's words, as the /data/ page says them. */
export const xlsxWords = (): XlsxDataset['words'] => {
  const s = t.portal.data;
  return { notesSheet: s.xlsxNotesSheet, column: s.column, type: s.type, description: s.description, types: s.types };
};

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const bold = (value: string): Cell => ({ value, type: String, fontWeight: 'bold' });

function cellOf(v: string | number | null | undefined, type: XlsxColumnType): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return { value: v, type: Number, ...(type === 'integer' ? { format: '0' } : {}) };
  // Dates stay ISO text (YYYY-MM-DD): the same characters as the CSV, whatever the reader's locale.
  return { value: String(v), type: String };
}

/** The workbook's bytes. */
export async function xlsxOf(d: XlsxDataset, rows: Record<string, string | number | null>[]): Promise<ArrayBuffer> {
  const data: Row[] = [
    d.columns.map(([k]) => bold(k)),
    ...rows.map((r) => d.columns.map(([k, type]) => cellOf(r[k], type))),
  ];
  const notes: Row[] = [
    [bold(d.title)],
    [{ value: d.description, type: String }],
    [],
    [bold(d.words.column), bold(d.words.type), bold(d.words.description)],
    ...d.columns.map(
      ([k, type]): Row => [
        { value: k, type: String },
        { value: d.words.types[type], type: String },
        { value: d.notes[k] ?? '', type: String },
      ],
    ),
  ];
  const width = (k: string) => Math.min(40, Math.max(10, k.length + 2));
  const blob = await writeXlsxFile([
    {
      data,
      sheet: d.name.slice(0, 31),
      stickyRowsCount: 1,
      columns: d.columns.map(([k, type]) => ({ width: type === 'url' ? 40 : width(k) })),
    },
    { data: notes, sheet: d.words.notesSheet, columns: [{ width: 24 }, { width: 16 }, { width: 80 }] },
  ]).toBlob();
  return blob.arrayBuffer();
}
