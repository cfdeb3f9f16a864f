// Pages Functions adapter: hand every /api/* request to the Hono app.
import app from '../../src/server/app';
import type { Bindings } from '../../src/server/env';

export const onRequest: PagesFunction<Bindings> = (ctx) =>
  app.fetch(ctx.request, ctx.env, ctx as unknown as ExecutionContext);
