// Each benchmark owns one section of docs/benchmarks.md, between markers, so
// benchmarks can be run alone and still leave the others' figures in place.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const FILE = 'docs/benchmarks.md';
const HEADER = `# Benchmarks

Figures from real runs of \`npm run bench\` on the project's machine kind
(2 cores, Debian 12), against \`wrangler pages dev\` over loopback. Each
section says how it was measured; run-to-run noise is 10-20%, so compare
routes within one run (ratios), not across runs.
`;

export function writeSection(name: string, markdown: string, file = FILE, header = HEADER) {
  let text = existsSync(file) ? readFileSync(file, 'utf8') : header;
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  text = i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
}

export const machine = () => `measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
