import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { apiError } from '../../src/domain/schemas/api';
import { client } from '../support/api-client';

const api = client();

describe('API conventions', () => {
  it('reports health with the database', async () => {
    const r = await api.request('/api/v1/health');
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok', db: 'ok' });
  });

  it('answers 503 when D1 fails', async () => {
    const broken = { ...env, DB: { prepare: () => ({ first: () => Promise.reject(new Error('D1 down')) }) } };
    const r = await api.app.request('/api/v1/health', {}, broken);
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({ status: 'error', db: 'error' });
  });

  it('puts a request id and the security headers on every response', async () => {
    for (const path of ['/api/v1/health', '/api/v1/nope']) {
      const r = await api.request(path);
      expect(r.headers.get('x-request-id')).toMatch(/.{8,}/);
      expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(r.headers.get('strict-transport-security')).toContain('max-age=31536000');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('permissions-policy')).toContain('camera=()');
    }
  });

  it('answers 404 in the error shape', async () => {
    const r = await api.request('/api/v1/does-not-exist');
    expect(r.status).toBe(404);
    const body = apiError.parse(await r.json());
    expect(body.error.code).toBe('not_found');
  });

  it('answers 405 with Allow for a known path and a wrong method', async () => {
    const r = await api.json('/api/v1/health', {});
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toContain('GET');
    expect(apiError.parse(await r.json()).error.code).toBe('method_not_allowed');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const r = await api.request('/api/v1/health', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(r.status).toBe(415);
    expect(apiError.parse(await r.json()).error.code).toBe('unsupported_media_type');
  });

  it('answers 413 for a body over 64 KB, whatever Content-Length says', async () => {
    const big = JSON.stringify({ x: 'a'.repeat(70 * 1024) });
    const r = await api.request('/api/v1/health', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(r.status).toBe(413);
    expect(apiError.parse(await r.json()).error.code).toBe('payload_too_large');
  });

  it('serves an OpenAPI 3.1 document listing the health route', async () => {
    const r = await api.request('/api/v1/openapi.json');
    expect(r.status).toBe(200);
    const doc = (await r.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/v1/health');
  });
});
