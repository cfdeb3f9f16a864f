// Statistical disclosure control: which published counts would come close to
// naming people (a cell of 1-4 raters in a category of a few deputies). The
// threshold is per appraisal (`disclosure.minCell`, default 5).

export const DEFAULT_MIN_CELL = 5;

export const minCellOf = (a: { disclosure?: { minCell: number } } | undefined) =>
  a?.disclosure?.minCell ?? DEFAULT_MIN_CELL;

/** A count the public may not see as it is: more than nobody, fewer than k. */
export const isSmallCell = (n: number, k: number) => n > 0 && n < k;

/** Whether a score or share computed from `answers` answers may be published. */
export const mayPublishFigure = (answers: number, k: number) => answers >= k;

/**
 * A set of published figures and the additive relations between them
 * (`total = sum(parts)`): a table with its margins, or two tables of the same
 * responses (turnout per category = the per-option counts of a question every
 * response answers). `hidden` figures are aggregates the public never sees
 * directly; they are unknowns from the start.
 */
export interface CellSystem {
  /**
   * `cost`: how much the figure is worth to readers; secondary suppression takes the cheapest (default: its
   * value). `known`: public by other means (turnout per category: the spent-token list publishes one token per
   * response), so never hidden and always part of what an attacker knows.
   */
  cells: Map<string, { value: number; hidden?: boolean; cost?: number; known?: boolean }>;
  sums: { total: string; parts: string[] }[];
}

const EPS = 1e-9;

/** Cost from which a figure is a margin readers rely on (turnout): hidden only when nothing else will do. */
export const MARGIN_COST = 1e6;

/**
 * One Gauss-Jordan step: take the first row from `r` on with an entry in column
 * `j`, move it to `r`, scale it to 1 there and clear column `j` in every other
 * row (columns before `from` are known to be zero in that row). False when no
 * row has the column.
 */
function pivot(rows: Float64Array[], r: number, j: number, from: number): boolean {
  let p = -1;
  for (let i = r; i < rows.length && p < 0; i++) if (Math.abs(rows[i]![j]!) > EPS) p = i;
  if (p < 0) return false;
  [rows[r], rows[p]] = [rows[p]!, rows[r]!];
  const pr = rows[r]!;
  const pv = pr[j]!;
  for (let x = from; x < pr.length; x++) pr[x] = pr[x]! / pv;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const f = row[j]!;
    if (i === r || Math.abs(f) < EPS) continue;
    for (let x = from; x < row.length; x++) row[x] = row[x]! - f * pr[x]!;
  }
  return true;
}

/**
 * The suppressed figures that the published ones pin down exactly: a figure is
 * recoverable when its unit vector lies in the row space of the relations
 * restricted to the unknowns (suppressed and hidden figures). Read off the
 * reduced row echelon form: a pivot row with a single unknown left. The rest
 * of that row names the published figures it is computed from.
 */
export function derivations(sys: CellSystem, suppressed: ReadonlySet<string>): Map<string, string[]> {
  const ids = [...sys.cells.keys()];
  const isUnknown = (id: string) => sys.cells.get(id)?.hidden === true || suppressed.has(id);
  // Unknown columns first: pivots are taken only among them, published columns just ride along.
  const order = [...ids.filter(isUnknown), ...ids.filter((id) => !isUnknown(id))];
  const nUnknown = order.findIndex((id) => !isUnknown(id));
  const width = order.length;
  const unknownCount = nUnknown < 0 ? width : nUnknown;
  const col = new Map(order.map((id, i) => [id, i]));
  const rows: Float64Array[] = [];
  for (const s of sys.sums) {
    const row = new Float64Array(width);
    let any = false;
    for (const [id, sign] of [[s.total, 1] as const, ...s.parts.map((p) => [p, -1] as const)]) {
      const j = col.get(id);
      if (j === undefined) continue;
      row[j] = (row[j] ?? 0) + sign;
      if (j < unknownCount) any = true;
    }
    if (any) rows.push(row);
  }
  let r = 0;
  const pivots: number[] = [];
  for (let j = 0; j < unknownCount && r < rows.length; j++) {
    if (!pivot(rows, r, j, j)) continue;
    pivots.push(j);
    r++;
  }
  // Relations among published figures alone (e.g. all responses = the sum of turnout) let a derivation be
  // rewritten: eliminate the dearest published figures first, so the one named for hiding is cheap.
  const cost = (x: number) => sys.cells.get(order[x]!)?.cost ?? sys.cells.get(order[x]!)?.value ?? 0;
  const dear = Array.from({ length: width - unknownCount }, (_, i) => i + unknownCount).sort(
    (a, b) => cost(b) - cost(a),
  );
  let q = r;
  // Not in column order here: every published column may still hold entries, so eliminate across all of them.
  for (const j of dear) if (pivot(rows, q, j, unknownCount)) q++;
  const out = new Map<string, string[]>();
  pivots.forEach((j, i) => {
    const row = rows[i]!;
    let others = 0;
    for (let x = 0; x < unknownCount; x++) if (x !== j && Math.abs(row[x]!) > EPS) others++;
    const id = order[j]!;
    if (others > 0 || !suppressed.has(id)) return;
    const from: string[] = [];
    for (let x = unknownCount; x < width; x++) if (Math.abs(row[x]!) > EPS) from.push(order[x]!);
    out.set(id, from);
  });
  return out;
}

/** The suppressed figures that the published ones pin down exactly (see `derivations`). */
export const recoverable = (sys: CellSystem, suppressed: ReadonlySet<string>) => [
  ...derivations(sys, suppressed).keys(),
];

/**
 * Small-cell suppression with secondary suppression. Primary: every published
 * figure of 1..k-1. Secondary, to a fixpoint: a relation with exactly one
 * unknown gets a second one (its smallest non-zero published part, else its
 * total), then any suppressed figure still pinned down by the relations
 * together gets the smallest published figure of one of its relations added.
 * Zeros stay published: a true zero names nobody, and hiding them would mark
 * the suppressed cells beside them as non-zero (the threshold rule as
 * statistical agencies apply it to frequency tables).
 */
export function suppress(sys: CellSystem, k: number): Set<string> {
  const out = suppressCells(sys, k);
  // A margin readers rely on (turnout of a source, all responses) hidden on the way may turn out not to be
  // needed once the cheaper figures are hidden: show it again wherever that leaves nothing recoverable.
  const margins = [...out]
    .filter((id) => (sys.cells.get(id)?.cost ?? 0) >= MARGIN_COST && !isSmallCell(sys.cells.get(id)?.value ?? 0, k))
    .sort((a, b) => (sys.cells.get(b)?.cost ?? 0) - (sys.cells.get(a)?.cost ?? 0));
  // Margins tie each other (turnout per category and source add up to all responses): all of them at once first.
  for (const id of margins) out.delete(id);
  if (derivations(sys, out).size === 0) return out;
  for (const id of margins) out.add(id);
  for (const id of margins) {
    out.delete(id);
    if (derivations(sys, out).size > 0) out.add(id);
  }
  return out;
}

function suppressCells(sys: CellSystem, k: number): Set<string> {
  const out = new Set<string>();
  for (const [id, c] of sys.cells) if (!c.hidden && !c.known && isSmallCell(c.value, k)) out.add(id);
  if (out.size === 0) return out;
  const unknown = (id: string) => out.has(id) || sys.cells.get(id)?.hidden === true;
  const value = (id: string) => sys.cells.get(id)?.value ?? 0;
  // Hiding a figure the margins (turnout) fix on their own is futile: it is never a secondary choice.
  const dear = (id: string) => sys.cells.get(id)?.known === true || (sys.cells.get(id)?.cost ?? 0) >= MARGIN_COST;
  const fixed = derivations(sys, new Set([...sys.cells.keys()].filter((id) => !dear(id))));
  const cost = (id: string) => sys.cells.get(id)?.cost ?? value(id);
  // Non-zero before zero, cheaper before dearer (smaller counts, then margins readers need such as turnout).
  const pick = (members: string[]) =>
    members
      .filter((id) => sys.cells.has(id) && !unknown(id) && !fixed.has(id) && !sys.cells.get(id)?.known)
      .sort((a, b) => Number(value(a) === 0) - Number(value(b) === 0) || cost(a) - cost(b))[0];
  for (;;) {
    let changed = false;
    for (const s of sys.sums) {
      const members = [...s.parts, s.total];
      const unknowns = members.filter(unknown);
      if (unknowns.length !== 1 || !out.has(unknowns[0]!)) continue;
      const next = pick(members);
      if (next !== undefined) {
        out.add(next);
        changed = true;
      }
    }
    if (changed) continue;
    // Hide the cheapest figure each pinned one is computed from; repeat until none is pinned.
    const pinned = derivations(sys, out);
    if (pinned.size === 0) return out;
    for (const from of pinned.values()) {
      const next = pick(from);
      if (next !== undefined) {
        out.add(next);
        changed = true;
      }
    }
    if (!changed) return out;
  }
}

/**
 * Figures that are the same sum under two names (answers per category behind a
 * score = turnout, where every option scores; the share's denominator = known
 * answers) become one figure, the first named, so suppression hides or shows
 * them together instead of hiding one and so being forced to hide the other.
 */
export function mergeAliases(sys: CellSystem): { sys: CellSystem; alias: Map<string, string> } {
  const alias = new Map<string, string>();
  const seen = new Map<string, string>();
  for (const s of sys.sums) {
    // Parts never counted are known zeros: they do not tell two sums apart.
    const parts = s.parts.filter((p) => sys.cells.has(p));
    if (parts.length === 0) continue;
    const key = parts.sort().join('\u0001');
    const first = seen.get(key);
    if (first === undefined) seen.set(key, s.total);
    else if (first !== s.total && !alias.has(s.total)) alias.set(s.total, first);
  }
  const to = (id: string) => alias.get(id) ?? id;
  const cells = new Map([...sys.cells].filter(([id]) => !alias.has(id)));
  const keys = new Set<string>();
  const sums = sys.sums
    .map((s) => ({ total: to(s.total), parts: s.parts.filter((p) => sys.cells.has(p)).map(to) }))
    .filter((s) => {
      const key = `${s.total}\u0002${[...s.parts].sort().join('\u0001')}`;
      if (keys.has(key)) return false;
      keys.add(key);
      return true;
    });
  return { sys: { cells, sums }, alias };
}
