// Every registered route is in the OpenAPI document (and nothing else is), with
// who may call it, the error codes and the server.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES } from '../../src/domain/api-error-codes';
import { createApp, openApiDocument } from '../../src/server/app';

/** The document itself. */
const UNDOCUMENTED = new Set(['GET /api/v1/openapi.json']);

describe('OpenAPI document', () => {
  it('lists every registered route with its method', () => {
    const app = createApp();
    const doc = openApiDocument(app);
    const documented = new Set(
      Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
        Object.keys(item ?? {})
          .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => `${m.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`),
      ),
    );
    const registered = new Set(
      app.routes
        .filter((r) => r.method !== 'ALL' && !r.path.includes('*'))
        .map((r) => `${r.method} ${r.path}`)
        .filter((r) => !UNDOCUMENTED.has(r)),
    );
    expect([...registered].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !registered.has(r))).toEqual([]);
    expect(registered.size).toBeGreaterThan(8);
  });

  it('describes errors with the one error shape', () => {
    const doc = openApiDocument(createApp());
    const submit = doc.paths?.['/api/v1/instruments/{id}/responses']?.post;
    expect(Object.keys(submit?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '409', '413', '415', '423', '429', '503']),
    );
    expect(JSON.stringify(submit?.responses?.['409'])).toContain('#/components/schemas/Error');
  });

  it('lists every error code the API sends', () => {
    const doc = openApiDocument(createApp());
    const schemas = doc.components?.schemas as Record<string, { enum?: string[] }>;
    expect(schemas.ErrorCode?.enum).toEqual([...API_ERROR_CODES]);
    expect(JSON.stringify(schemas.Error)).toContain('#/components/schemas/ErrorCode');
  });

  it('names the server: the site root, or PUBLIC_ORIGIN when set', async () => {
    expect(openApiDocument(createApp()).servers).toEqual([{ url: '/' }]);
    expect(openApiDocument(createApp(), 'https://kaoping.example').servers).toEqual([
      { url: 'https://kaoping.example' },
    ]);
    const served = await createApp().request(
      '/api/v1/openapi.json',
      {},
      { ...env, PUBLIC_ORIGIN: 'https://a.example' },
    );
    expect(((await served.json()) as { servers: unknown }).servers).toEqual([{ url: 'https://a.example' }]);
  });

  it('says who may call each operation: anyone, a signed feed client, or a console session', () => {
    const doc = openApiDocument(createApp());
    expect(Object.keys(doc.components?.securitySchemes ?? {}).sort()).toEqual(['feedSignature', 'observerSession']);
    const expected = (path: string) =>
      path.startsWith('/api/v1/feed/')
        ? [{ feedSignature: [] }]
        : path.startsWith('/api/v1/observe/') && path !== '/api/v1/observe/login'
          ? [{ observerSession: [] }]
          : [];
    let n = 0;
    for (const [path, item] of Object.entries(doc.paths ?? {}))
      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        const op = item?.[method];
        if (!op) continue;
        expect(op.security, `${method} ${path}`).toEqual(expected(path));
        n++;
      }
    expect(n).toBeGreaterThan(8);
  });

  it('gives every operation an operationId named for its method and path, each once', () => {
    const doc = openApiDocument(createApp());
    const ids = Object.values(doc.paths ?? {}).flatMap((item) =>
      (['get', 'post', 'put', 'patch', 'delete'] as const).flatMap((m) => (item?.[m] ? [item[m]?.operationId] : [])),
    );
    expect(ids.every((x) => typeof x === 'string' && /^[a-z]+[A-Za-z0-9]*$/.test(x))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths?.['/api/v1/instruments/{id}/turnout']?.get?.operationId).toBe('getInstrumentsByIdTurnout');
    expect(doc.paths?.['/api/v1/observe/exports/audit.csv']?.get?.operationId).toBe('getObserveExportsAuditCsv');
  });
});
