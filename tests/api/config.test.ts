// GET /api/v1/config: how the participation pages run Turnstile in this deployment.
import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { apiError } from '../../src/domain/schemas/api';
import { clientConfig } from '../../src/domain/schemas/client-config';
import { client } from '../support/api-client';

const api = client();
const get = (bindings: Partial<typeof env>) => api.app.request('/api/v1/config', {}, { ...env, ...bindings });

describe('GET /api/v1/config', () => {
  it('tells the pages to use the offline stand-in in test mode', async () => {
    const r = await get({ TURNSTILE_MODE: 'test', TURNSTILE_SITE_KEY: '1x00000000000000000000AA' });
    expect(r.status).toBe(200);
    expect(clientConfig.parse(await r.json())).toEqual({
      turnstile: { mode: 'test', siteKey: '1x00000000000000000000AA' },
    });
    expect(r.headers.get('cache-control')).toContain('max-age=');
  });

  it('hands out the live site key in live mode, never the secret', async () => {
    const r = await get({
      TURNSTILE_MODE: 'live',
      TURNSTILE_SITE_KEY: '0x4AAAAAAAsitekey',
      TURNSTILE_SECRET_KEY: 's3cr3t',
    });
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(JSON.parse(text)).toEqual({ turnstile: { mode: 'live', siteKey: '0x4AAAAAAAsitekey' } });
    expect(text).not.toContain('s3cr3t');
  });

  it('treats any mode but "test" as live, as the API does', async () => {
    const r = await get({ TURNSTILE_MODE: undefined, TURNSTILE_SITE_KEY: 'k' });
    expect(clientConfig.parse(await r.json()).turnstile.mode).toBe('live');
  });

  it('answers 503 when a live widget could not work (no site key) or production runs test mode', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    for (const bindings of [
      { TURNSTILE_MODE: 'live', TURNSTILE_SITE_KEY: '' },
      { TURNSTILE_MODE: 'test', ENVIRONMENT: 'production' },
      { TURNSTILE_MODE: 'live', TURNSTILE_SITE_KEY: 'k', TURNSTILE_SECRET_KEY: '' },
    ]) {
      const r = await get(bindings);
      expect(r.status).toBe(503);
      expect(apiError.parse(await r.json()).error.code).toBe('service_unavailable');
    }
    spy.mockRestore();
  });

  it('is listed in the OpenAPI document with its response schema', async () => {
    const doc = (await (await api.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, { get?: { responses: Record<string, unknown> } }>;
    };
    expect(Object.keys(doc.paths['/api/v1/config']?.get?.responses ?? {})).toEqual(['200', '503']);
  });
});
