// Every registered route is in the OpenAPI document (and nothing else is).
import { describe, expect, it } from 'vitest';
import { createApp, OPENAPI_CONFIG } from '../../src/server/app';

/** The document itself. */
const UNDOCUMENTED = new Set(['GET /api/v1/openapi.json']);

describe('OpenAPI document', () => {
  it('lists every registered route with its method', () => {
    const app = createApp();
    const doc = app.getOpenAPI31Document(OPENAPI_CONFIG);
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
    const doc = createApp().getOpenAPI31Document(OPENAPI_CONFIG);
    const submit = doc.paths?.['/api/v1/instruments/{id}/responses']?.post;
    expect(Object.keys(submit?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '409', '413', '415', '423', '429', '503']),
    );
    expect(JSON.stringify(submit?.responses?.['409'])).toContain('#/components/schemas/Error');
  });
});
