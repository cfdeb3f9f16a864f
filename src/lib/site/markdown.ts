// Summaries are Markdown whose sections start at "##". On a unit page they sit
// under the page's own headings, and several share one page, so their
// headings move down and their ids get the summary's id as a prefix (two
// reports both have "一、主要工作"; duplicate ids break in-page links).
// Only for content authored by the department, never for user text.

export function nestHeadings(html: string, shift: number, idPrefix: string): string {
  return html.replace(/<(\/?)h([1-6])(\s[^>]*)?>/g, (_, close: string, level: string, attrs = '') => {
    const n = Math.min(6, Number(level) + shift);
    const a = (attrs as string).replace(/\sid="([^"]*)"/, (_m, id: string) => ` id="${idPrefix}-${id}"`);
    return `<${close}h${n}${close ? '' : a}>`;
  });
}
