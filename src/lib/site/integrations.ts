// Build steps that belong to the static site, as Astro integrations, so every
// `astro build` (npm run build, the e2e setup, the benchmark) gets them.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import * as pagefind from 'pagefind';
import { tsImport } from 'tsx/esm/api';
import type { Plugin } from 'vite';

/**
 * The API's OpenAPI document, written to src/generated/openapi.json for the
 * reference page before the pages are built (src/build/openapi.ts). Loaded
 * with tsx, in Node: the API app is imported by this build step, never by the
 * site. List it after the content check, which writes the catalog the app reads.
 */
export function openApiDocument(): AstroIntegration {
  return {
    name: 'kaoping-openapi',
    hooks: {
      'astro:config:setup': async ({ logger }) => {
        const step: typeof import('../../build/openapi') = await tsImport('../../build/openapi.ts', import.meta.url);
        const paths = step.writeOpenApiDocument();
        logger.info(`wrote ${step.OPENAPI_JSON} (${paths} paths)`);
      },
    },
  };
}

/**
 * Pagefind's full-text index, written to <outDir>/pagefind/ after the pages
 * are built. The npm package runs Pagefind Extended, which segments Chinese
 * words; pages opt in with data-pagefind-body (see Base.astro).
 */
export function pagefindIndex(): AstroIntegration {
  return {
    name: 'kaoping-pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const site = fileURLToPath(dir);
        const started = Date.now();
        const { index, errors } = await pagefind.createIndex({});
        if (!index) throw new Error(`pagefind: ${errors.join('; ')}`);
        const added = await index.addDirectory({ path: site });
        if (added.errors.length > 0) throw new Error(`pagefind: ${added.errors.join('; ')}`);
        const written = await index.writeFiles({ outputPath: `${site}/pagefind` });
        if (written.errors.length > 0) throw new Error(`pagefind: ${written.errors.join('; ')}`);
        await pagefind.close();
        logger.info(`indexed ${added.page_count} pages in ${Date.now() - started} ms`);
      },
    },
  };
}

/** Every HTML file under a directory. */
export function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html'))
    .map((f) => join(dir, f));
}

/** The rule Astro writes before the first island of a page (astro/dist/runtime/server/scripts.js). */
export const ISLAND_STYLE = '<style>astro-island,astro-slot,astro-static-slot{display:contents}</style>';

/**
 * Astro writes its island rule into <body>, just before the first island,
 * where HTML allows no <style> (the Nu checker: "A style element in body must
 * be the first child of its parent"; withastro/astro#10308, still open). After
 * the build it moves to the end of <head>: the same bytes, so the CSP's hash of
 * it still holds, and it applies before any island is parsed.
 */
export function islandStyleInHead(): AstroIntegration {
  return {
    name: 'kaoping-island-style-in-head',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        let moved = 0;
        for (const file of htmlFiles(fileURLToPath(dir))) {
          const html = readFileSync(file, 'utf8');
          const at = html.indexOf(ISLAND_STYLE);
          const head = html.indexOf('</head>');
          if (at < 0 || head < 0 || at < head) continue;
          const body = html.slice(0, at) + html.slice(at + ISLAND_STYLE.length);
          writeFileSync(file, body.slice(0, head) + ISLAND_STYLE + body.slice(head));
          moved++;
        }
        logger.info(`island style moved into <head> on ${moved} pages`);
      },
    },
  };
}

/** dist/_headers, from the one list of page headers (src/server/page-headers.ts). */
export function pageHeaders(): AstroIntegration {
  return {
    name: 'kaoping-page-headers',
    hooks: {
      'astro:build:done': async ({ dir }) => {
        const { headersFile }: typeof import('../../server/page-headers') = await tsImport(
          '../../server/page-headers.ts',
          import.meta.url,
        );
        writeFileSync(join(fileURLToPath(dir), '_headers'), headersFile());
      },
    },
  };
}

/**
 * dist/_redirects: each public instrument's short link (/s/<short>/, content
 * field `short`) to its page, for posters and WeChat groups. 302, not 301: a
 * browser must not keep a short link that may be pointed elsewhere next year.
 */
export function shortLinks(): AstroIntegration {
  return {
    name: 'kaoping-short-links',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const { loadContent }: typeof import('../../build/content') = await tsImport(
          '../../build/content.ts',
          import.meta.url,
        );
        const lines = loadContent('src/content').catalog.instruments.flatMap(({ data: i }) =>
          i.short ? [`/s/${i.short} /participate/${i.id}/ 302`, `/s/${i.short}/ /participate/${i.id}/ 302`] : [],
        );
        writeFileSync(join(fileURLToPath(dir), '_redirects'), `${lines.join('\n')}\n`);
        logger.info(`_redirects: ${lines.length / 2} short links`);
      },
    },
  };
}

/** Cloudflare's limit on _routes.json: include and exclude rules together. */
const MAX_ROUTE_RULES = 100;

/**
 * dist/_routes.json: which requests run the Pages Functions. The API, the
 * pages with a dated part or today's date (src/lib/site/dated.ts), which
 * functions/[[path]].ts serves as of the request, and the pages with live
 * sections (src/components/LiveSection.astro), which the functions under
 * units/, results/, rectification/ and messages/ fill from D1; every other file goes
 * straight from Pages' asset server, at no Functions cost. Past the rule limit,
 * pages are grouped by their first path segment.
 */
export function datedRoutes(extra: string[] = ['/feed.xml']): AstroIntegration {
  return {
    name: 'kaoping-dated-routes',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const pages = htmlFiles(root)
          .filter((file) => /<kp-when[\s>]|<time data-today|\sdata-live="/.test(readFileSync(file, 'utf8')))
          .map((file) => `/${file.slice(root.length).replace(/^\/+/, '')}`.replace(/index\.html$/, ''))
          .sort();
        let include = ['/api/*', ...extra, ...pages];
        if (include.length > MAX_ROUTE_RULES)
          include = [...new Set(include.map((p) => p.replace(/^(\/[^/]+\/).+$/, '$1*')))];
        if (include.length > MAX_ROUTE_RULES)
          throw new Error(`_routes.json: ${include.length} rules, at most ${MAX_ROUTE_RULES}`);
        writeFileSync(join(root, '_routes.json'), `${JSON.stringify({ version: 1, include, exclude: [] }, null, 2)}\n`);
        logger.info(`_routes.json: ${pages.length} dated or live pages through the Functions`);
      },
    },
  };
}

const MINI = '?zod-mini';

/**
 * zod/mini, and the zod core it is built on, as modules of their own in the
 * browser bundle. The bundler tree-shakes each module once for the whole build
 * and puts it in one chunk, so while zod/mini (the participation islands'
 * answers schema) shared zod's core modules with classic zod (the forum,
 * message and console islands), every participation page downloaded the core
 * that classic zod needs: ~12 KB gzip of its 40 KB budget. Here each import of
 * `zod/mini`, and everything it imports in turn, resolves to the very same
 * file with a query appended, so the islands run zod's own code, tree-shaken
 * to what zod/mini uses. Both copies keep zod's global config (`jitless`) and
 * registry on globalThis, so they share them. Browser build only: the API and
 * the pages' build-time rendering import zod as it is.
 */
export function zodMiniApart(): AstroIntegration {
  const plugin: Plugin = {
    name: 'kaoping-zod-mini-apart',
    apply: 'build',
    enforce: 'pre',
    applyToEnvironment: (env) => env.name === 'client',
    async resolveId(source, importer, options) {
      const inMini = importer?.endsWith(MINI) ?? false;
      if (source !== 'zod/mini' && !inMini) return null;
      const from = inMini ? importer?.slice(0, -MINI.length) : importer;
      const resolved = await this.resolve(source, from, { ...options, skipSelf: true });
      if (!resolved || resolved.external || !/[\\/]node_modules[\\/]zod[\\/]/.test(resolved.id)) return resolved;
      return { ...resolved, id: resolved.id + MINI };
    },
  };
  return {
    name: 'kaoping-zod-mini-apart',
    hooks: {
      'astro:config:setup': ({ updateConfig }) => {
        updateConfig({ vite: { plugins: [plugin] } });
      },
    },
  };
}
