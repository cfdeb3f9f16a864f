// @ts-check
import sitemap from '@astrojs/sitemap';
import svelte from '@astrojs/svelte';
import { defineConfig } from 'astro/config';
import { buildCatalog } from './src/build/content.ts';
import {
  datedRoutes,
  islandStyleInHead,
  openApiDocument,
  pagefindIndex,
  pageHeaders,
  shortLinks,
  zodMiniApart,
} from './src/lib/site/integrations.ts';

/** Fails `astro build` / `astro dev` on invalid content, naming file and field; emits the API's catalog. */
const contentCheck = {
  name: 'kaoping-content-check',
  hooks: {
    'astro:config:setup': () => {
      buildCatalog(process.env.KAOPING_CONTENT_DIR);
    },
  },
};

const TURNSTILE = 'https://challenges.cloudflare.com';

export default defineConfig({
  site: process.env.PUBLIC_ORIGIN ?? 'http://127.0.0.1:8788',
  output: 'static',
  // Parallel builds (tests, benchmarks) write elsewhere.
  outDir: process.env.KAOPING_DIST ?? './dist',
  trailingSlash: 'always',
  build: { format: 'directory' },
  integrations: [
    contentCheck,
    openApiDocument(),
    svelte(),
    // Participation pages: zod/mini tree-shaken on its own, not with classic zod (40 KB JavaScript budget).
    zodMiniApart(),
    // Staff pages stay out of the sitemap (and out of robots.txt's reach).
    sitemap({ filter: (page) => !new URL(page).pathname.startsWith('/observe/') }),
    islandStyleInHead(),
    datedRoutes(),
    pageHeaders(),
    shortLinks(),
    pagefindIndex(),
  ],
  // No code blocks in our content; Shiki's inline styles would break the CSP.
  markdown: { syntaxHighlight: false },
  security: {
    // Hashes every script and style Astro bundles (islands too) into a <meta>
    // CSP; frame-ancestors cannot live in a meta CSP, so the page headers send it (src/server/page-headers.ts).
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data:",
        `connect-src 'self' ${TURNSTILE}`,
        `frame-src ${TURNSTILE}`,
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
      scriptDirective: { resources: ["'self'", TURNSTILE] },
    },
  },
  vite: {
    // `astro dev` does not run Pages Functions: proxy the API to `wrangler pages dev`.
    server: { proxy: { '/api': 'http://127.0.0.1:8788' } },
  },
});
