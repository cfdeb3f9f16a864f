import { describe, expect, it } from 'vitest';
import { expectAccessible, jsErrors, useBrowser } from '../support/browser';

const b = useBrowser();

describe('API reference page', () => {
  it('documents every path of the served OpenAPI document, without JavaScript', async () => {
    const doc = (await (await fetch(`${b.base}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, object>;
      components: { schemas: { ErrorCode: { enum: string[] } } };
    };
    const p = await b.page('/developers/api/');
    const text = (await p.locator('main').textContent()) ?? '';
    for (const path of Object.keys(doc.paths)) expect(text).toContain(path);
    for (const code of doc.components.schemas.ErrorCode.enum) expect(text).toContain(code);
    expect(text).toContain('X-Kaoping-Signature');
    expect(await p.locator('script[src]').count()).toBe(0);
    await expectAccessible(p);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });
});
