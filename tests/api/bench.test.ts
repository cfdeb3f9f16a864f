import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { app, appFor } from '../../src/server/app';

const PATH = '/api/v1/_bench/write';
/** As Pages hands a request over: the app these bindings get, called with them. */
const send = (bindings: Record<string, string>, method = 'POST') => {
  const e = { ...env, ...bindings };
  return appFor(e).request(
    PATH,
    method === 'POST' ? { method, headers: { 'content-type': 'application/json' }, body: '{}' } : { method },
    e,
  );
};
const benchRows = async () =>
  (await env.DB.prepare('SELECT count(*) AS n FROM rate_limits WHERE window = 0').first<{ n: number }>())?.n;

describe('the benchmark yardstick route', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes one row when the bench enables it', async () => {
    expect(env.ENVIRONMENT).not.toBe('production');
    expect((await send({ BENCH_ROUTES: 'true' })).status).toBe(201);
    expect(await benchRows()).toBe(1);
  });

  it('does not exist otherwise, under any method', async () => {
    for (const method of ['POST', 'GET']) {
      const r = await send({}, method);
      expect(r.status, method).toBe(404);
      expect(r.headers.get('allow'), method).toBeNull();
    }
    expect(app.routes.some((r) => r.path.includes('_bench'))).toBe(false);
  });

  it('is refused in production even with BENCH_ROUTES set, and says so in the log', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const before = await benchRows();
    for (const method of ['POST', 'GET']) {
      const r = await send({ BENCH_ROUTES: 'true', ENVIRONMENT: 'production' }, method);
      expect(r.status, method).toBe(404);
      expect(r.headers.get('allow'), method).toBeNull();
    }
    expect(appFor({ ...env, BENCH_ROUTES: 'true', ENVIRONMENT: 'production' })).toBe(app);
    expect(await benchRows()).toBe(before);
    expect(logged.mock.calls.flat().join(' ')).toContain('BENCH_ROUTES');
  });
});
