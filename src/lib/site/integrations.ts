// Build steps that belong to the static site, as Astro integrations, so every
// `astro build` (npm run build, the e2e setup, the benchmark) gets them.
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import * as pagefind from 'pagefind';

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
