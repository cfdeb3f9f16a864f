// Writes .dev.vars from .dev.vars.example when missing (and adds keys added
// to the example since), filling <random> with fresh secrets.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const parse = (text: string) =>
  new Map(
    text
      .split('\n')
      .filter((l) => /^[A-Z0-9_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
  );

export function ensureDevVars(path = '.dev.vars', example = '.dev.vars.example'): Map<string, string> {
  const want = parse(readFileSync(example, 'utf8'));
  const have = existsSync(path) ? parse(readFileSync(path, 'utf8')) : new Map<string, string>();
  const added: string[] = [];
  for (const [k, v] of want) {
    if (!have.has(k)) {
      have.set(k, v === '<random>' ? randomBytes(32).toString('base64url') : v);
      added.push(k);
    }
  }
  if (added.length > 0) {
    writeFileSync(path, `${[...have].map(([k, v]) => `${k}=${v}`).join('\n')}\n`);
    console.log(`已写入 ${path} (${added.join(', ')})`);
  }
  return have;
}
