// Pages Functions adapter: appraisal pages, with their live section of evaluation meetings (src/server/live/pages.ts).

import type { Bindings } from '../../src/server/env';
import { livePages } from '../../src/server/live/pages';

export const onRequest: PagesFunction<Bindings> = (ctx) =>
  livePages.fetch(ctx.request, ctx.env, ctx as unknown as ExecutionContext);
