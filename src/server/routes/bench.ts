// A bare one-row D1 write, the yardstick the submission path is measured
// against in `npm run bench`. Mounted only in the app appFor builds for
// BENCH_ROUTES=true outside production (app.ts); the production app has no
// such route, under any method.
import { Hono } from 'hono';
import { benchWrite } from '../db/rate-limits';
import type { AppEnv } from '../env';

export const benchRoutes = new Hono<AppEnv>().post('/_bench/write', async (c) => {
  // One row into an existing table; window 0 is pruned like any stale rate-limit window.
  await benchWrite(c.get('db'), crypto.randomUUID());
  return c.json({ ok: true }, 201);
});
