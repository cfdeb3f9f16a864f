// Field errors for the error summaries of the forum and opinion-box forms (from
// the API's issues or a local check). Not in client.ts: every island loads the
// client, and a participation page has no use for this.

/** Field errors keyed by the first path element, for error summaries that link to the field. */
export function fieldErrors(issues: { path: (string | number)[]; message: string }[] | undefined) {
  const out: Record<string, string> = {};
  for (const i of issues ?? []) {
    const k = String(i.path[i.path.length > 1 && i.path[0] === 'contact' ? 1 : 0] ?? 'form');
    out[k] ??= i.message;
  }
  return out;
}
