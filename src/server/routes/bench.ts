// A bare one-row D1 write, the yardstick the submission path is measured
// against in `npm run bench`. Mounted only in the app appFor builds for
// BENCH_ROUTES=true outside production (app.ts); the production app has no
// such route, under any method.
import { Hono } from 'hono';
import type { AppEnv } from '../env';

export const benchRoutes = new Hono<AppEnv>().post('/_bench/write', async (c) => {
  // One row into an existing table; window 0 is pruned like any stale rate-limit window.
  await c.env.DB.prepare('INSERT INTO rate_limits (key, window, hits) VALUES (?1, 0, 1)')
    .bind(crypto.randomUUID())
    .run();
  return c.json({ ok: true }, 201);
});
