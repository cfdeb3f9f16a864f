// The receipts board's order: sorted, grouped by first character so a reader
// can jump to the part holding theirs (Crockford base32: at most 32 groups).
export interface ReceiptGroup {
  first: string;
  receipts: string[];
}

export function receiptGroups(receipts: readonly string[]): ReceiptGroup[] {
  const groups = new Map<string, string[]>();
  for (const r of [...receipts].sort()) {
    const first = r.charAt(0);
    const g = groups.get(first);
    if (g) g.push(r);
    else groups.set(first, [r]);
  }
  return [...groups].map(([first, list]) => ({ first, receipts: list }));
}
