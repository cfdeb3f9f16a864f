// On a fresh clone nothing is built yet: src/generated/catalog.json (written by
// the content check, which every build runs) does not exist. An npm script that
// imports it statically dies before it can build anything, as `npm start` once
// did. Every `tsx scripts/….ts` script may reach it only through a dynamic
// import, taken after the catalog is written.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
const entries = [
  ...new Set(
    Object.values(scripts).flatMap((cmd) => [...cmd.matchAll(/\btsx (scripts\/\S+\.ts)/g)].map((m) => m[1] as string)),
  ),
];

/** Files a module loads at start: its static imports, followed to the end (dynamic imports are left out). */
async function staticGraph(entry: string): Promise<Set<string>> {
  const { metafile } = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const i of metafile.inputs[file]?.imports ?? [])
      if (i.kind === 'import-statement' && !i.external) queue.push(i.path);
  }
  return seen;
}

describe('npm scripts on a fresh clone', () => {
  it('finds the scripts to check, npm start among them', () => {
    expect(entries).toContain('scripts/start.ts');
    expect(entries).toContain('scripts/seed.ts');
  });

  it.each(entries)('%s does not load the generated catalog before it is built', async (entry) => {
    const graph = await staticGraph(entry);
    expect(graph.size).toBeGreaterThan(1);
    expect([...graph].filter((f) => f.startsWith('src/generated/'))).toEqual([]);
  });
});
