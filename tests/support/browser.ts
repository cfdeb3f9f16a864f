// Debian's Chromium driven by playwright-core, plus an axe-core check.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launch(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'kaoping-chromium-')), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'zh-CN',
    viewport: { width: 1280, height: 900 },
  });
}

/** One browser per test file; `page()` opens a fresh page on the e2e server. */
export function useBrowser() {
  const base = inject('baseUrl');
  let ctx: BrowserContext;
  beforeAll(async () => {
    ctx = await launch();
  });
  afterAll(async () => {
    await ctx?.close();
  });
  return {
    base,
    async page(path: string, opts: { width?: number } = {}): Promise<Page> {
      const p = await ctx.newPage();
      if (opts.width) await p.setViewportSize({ width: opts.width, height: 800 });
      const errors: string[] = [];
      p.on('pageerror', (e) => errors.push(e.message));
      p.on('console', (m) => {
        if (m.type() === 'error' && /Content.Security.Policy|Refused/i.test(m.text())) errors.push(m.text());
      });
      (p as Page & { jsErrors: string[] }).jsErrors = errors;
      await p.goto(base + path);
      return p;
    },
  };
}

/** Wait for every island on the page to hydrate (Astro drops `ssr` when done). */
export async function hydrated(p: Page) {
  await p.waitForSelector('astro-island');
  await p.waitForFunction(() => document.querySelectorAll('astro-island[ssr]').length === 0);
}

/** axe-core, WCAG 2.1 A/AA rules: expect no violation. */
export async function expectAccessible(p: Page) {
  // Evaluated through the DevTools protocol: the page's CSP (rightly) refuses injected <script> tags.
  await p.evaluate(AXE);
  const violations = await p.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected at run time
    const axe = (window as any).axe;
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v: { id: string; help: string; nodes: { target: string[] }[] }) => ({
      id: v.id,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  expect(violations).toEqual([]);
}

export const jsErrors = (p: Page) => (p as Page & { jsErrors: string[] }).jsErrors;
