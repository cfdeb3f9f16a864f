// Pages Functions adapter: the pages that say what is open today (dist/_routes.json
// names them; the build writes it) are served as of the request by the app's dated-pages step.

import { serveDatedPage } from '../src/server/dated-pages';
import type { Bindings } from '../src/server/env';

export const onRequest: PagesFunction<Bindings & { ASSETS: Fetcher }> = async (ctx) =>
  serveDatedPage(ctx.request, ctx.env, { waitUntil: (p) => ctx.waitUntil(p), cache: await caches.open('dated-pages') });
