import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ping } from '../db/health';
import type { AppEnv } from '../env';
import { databaseError } from '../middleware/errors';

const health = z.object({ status: z.enum(['ok', 'error']), db: z.enum(['ok', 'error']) }).meta({ id: 'Health' });

const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['system'],
  summary: '健康检查 (含数据库)',
  responses: {
    200: { description: 'Service and D1 are up', content: { 'application/json': { schema: health } } },
    503: { description: 'D1 does not answer', content: { 'application/json': { schema: health } } },
  },
});

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  try {
    await ping(c.get('db'));
    return c.json({ status: 'ok' as const, db: 'ok' as const }, 200);
  } catch (e) {
    console.error(`[${c.get('requestId')}] health: ${databaseError(e as Error).message}`);
    return c.json({ status: 'error' as const, db: 'error' as const }, 503);
  }
});
