// Pages Functions adapter: hand every /api/* request to the Hono app.
import { appFor } from '../../src/server/app';
import type { Bindings } from '../../src/server/env';

export const onRequest: PagesFunction<Bindings> = (ctx) =>
  appFor(ctx.env).fetch(ctx.request, ctx.env, ctx as unknown as ExecutionContext);
