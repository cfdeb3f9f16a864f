// A bare one-row D1 write, the yardstick the submission path is measured
// against in `npm run bench`. Exists only when BENCH_ROUTES=true outside
// production (the bench starts its own server with that binding).
import { Hono } from 'hono';
import { benchWrite } from '../db/rate-limits';
import type { AppEnv } from '../env';
import { ApiError } from '../middleware/errors';

export const benchRoutes = new Hono<AppEnv>().post('/_bench/write', async (c) => {
  if (c.env.BENCH_ROUTES !== 'true' || c.env.ENVIRONMENT === 'production') throw new ApiError(404, 'not_found');
  // One row into an existing table; window 0 is pruned like any stale rate-limit window.
  await benchWrite(c.get('db'), crypto.randomUUID());
  return c.json({ ok: true }, 201);
});
