import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app';

const app = createApp();
const post = (bindings: Record<string, string>) =>
  app.request(
    '/api/v1/_bench/write',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
    { ...env, ...bindings },
  );

describe('the benchmark yardstick route', () => {
  it('writes one row when the bench enables it', async () => {
    expect((await post({ BENCH_ROUTES: 'true' })).status).toBe(201);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM rate_limits WHERE window = 0').first<{ n: number }>();
    expect(n?.n).toBe(1);
  });
  it('does not exist otherwise, nor ever in production', async () => {
    expect((await post({})).status).toBe(404);
    expect((await post({ BENCH_ROUTES: 'true', ENVIRONMENT: 'production' })).status).toBe(404);
  });
});
