// Every page passes the Nu HTML checker (vnu.jar, from the vnu-jar package)
// without an error: the files the build writes, and the pages as the server
// sends them (after the dated-pages function has picked the day's variant).
// The checker needs Java: `npm test` installs it as root (scripts/ensure-browser.ts);
// where it cannot, this file says so loudly and skips.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { hasJava, javaWarning } from '../../scripts/lib/browser-deps';
import { E2E_DIST } from '../support/e2e-server';

const require = createRequire(import.meta.url);
const VNU = join(require.resolve('vnu-jar/package.json'), '..', 'build/dist/vnu.jar');
const java = hasJava();
if (!java) console.warn(`\n${'!'.repeat(72)}\n${javaWarning()}\n${'!'.repeat(72)}\n`);

interface VnuMessage {
  type: string;
  subType?: string;
  url: string;
  lastLine?: number;
  message: string;
}

/** The checker's errors for these files, one line each ("dist/x/index.html:3: message"). */
function vnuErrors(files: string[], root: string): string[] {
  const r = spawnSync('java', ['-Xss8m', '-jar', VNU, '--errors-only', '--format', 'json', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 240_000,
  });
  if (r.error) throw r.error;
  // vnu writes its report to stderr, and exits 1 when it found errors.
  const report = JSON.parse(r.stderr) as { messages: VnuMessage[] };
  return report.messages
    .filter((m) => m.type === 'error' || m.subType === 'fatal')
    .map((m) => `${relative(root, new URL(m.url).pathname)}:${m.lastLine ?? '?'}: ${m.message}`);
}

const builtPages = () =>
  readdirSync(E2E_DIST, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html'))
    .map((f) => join(E2E_DIST, f))
    .sort();

describe.skipIf(!java)('the Nu HTML checker', () => {
  it('finds no error in any page the build writes', { timeout: 300_000 }, () => {
    const files = builtPages();
    expect(files.length).toBeGreaterThan(50);
    expect(vnuErrors(files, process.cwd())).toEqual([]);
  });

  it('finds no error in the pages as served', { timeout: 300_000 }, async () => {
    const base = inject('baseUrl');
    const dir = mkdtempSync(join(tmpdir(), 'kaoping-served-'));
    const files: string[] = [];
    for (const file of builtPages()) {
      const path = `/${relative(E2E_DIST, file)}`.replace(/index\.html$/, '');
      if (path === '/404.html') continue;
      const res = await fetch(base + path);
      expect(res.status, path).toBe(200);
      const out = join(dir, relative(E2E_DIST, file));
      mkdirSync(join(out, '..'), { recursive: true });
      writeFileSync(out, await res.text());
      files.push(out);
    }
    expect(vnuErrors(files, dir)).toEqual([]);
  });
});
