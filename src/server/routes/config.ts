// What the browser needs to know about this deployment: how to run Turnstile.
// The static pages are built once for every environment, so they ask at run time.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { clientConfig } from '../../domain/schemas/client-config';
import type { AppEnv } from '../env';
import { assertTurnstileConfigured, turnstileMode } from '../guards/turnstile';
import { ApiError } from '../middleware/errors';
import { errorResponses } from './_helpers';

export const configRoutes = new OpenAPIHono<AppEnv>();

configRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/config',
    tags: ['system'],
    summary: '前端配置: 人机验证 (Turnstile) 的模式与站点密钥',
    responses: {
      200: { description: 'Client configuration', content: { 'application/json': { schema: clientConfig } } },
      ...errorResponses(503),
    },
  }),
  (c) => {
    // Same refusal as the participation routes: a page must not show a widget whose tokens the API would refuse.
    assertTurnstileConfigured(c.env);
    const mode = turnstileMode(c.env);
    const siteKey = c.env.TURNSTILE_SITE_KEY ?? '';
    if (mode === 'live' && !siteKey) {
      console.error('TURNSTILE_SITE_KEY is not set');
      throw new ApiError(503, 'service_unavailable');
    }
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({ turnstile: { mode, siteKey } }, 200);
  },
);
