import { describe, expect, it } from 'vitest';
import { expectAccessible, hydrated, jsErrors, useBrowser } from '../support/browser';

const b = useBrowser();

describe('the portal in Chromium', () => {
  it('serves the home page with the demo appraisal', async () => {
    const p = await b.page('/');
    expect(await p.locator('h1').textContent()).toContain('考评');
    expect(await p.title()).toContain('考评公开');
    expect(await p.content()).toContain('澄川县');
    await expectAccessible(p);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });

  it('hydrates the code entry island, which catches a typo as the user types', async () => {
    const p = await b.page('/participate/');
    await hydrated(p);
    const input = p.getByLabel('参与码');
    await input.fill('ABCD-EFGH-JKMN-Z');
    await expect.poll(() => p.locator('#code-status').textContent()).toContain('参与码有误');
    await expectAccessible(p);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });

  it('sends the security headers on pages and on the API', async () => {
    const page = await fetch(`${b.base}/`);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('strict-transport-security')).toContain('max-age=31536000');
    expect(page.headers.get('referrer-policy')).toBeTruthy();
    expect(page.headers.get('permissions-policy')).toContain('camera=()');
    const html = await page.text();
    expect(html).toMatch(/<meta http-equiv="content-security-policy" content="[^"]*script-src 'self'/i);
    expect(html).not.toMatch(/script-src[^;"]*'unsafe-inline'/);
    const api = await fetch(`${b.base}/api/v1/health`);
    expect(await api.json()).toEqual({ status: 'ok', db: 'ok' });
    expect(api.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(api.headers.get('x-request-id')).toBeTruthy();
  });
});
