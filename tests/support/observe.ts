// Shared steps of the forum, opinion-box and console e2e tests: the demo
// observer's login, logging in through the console, and an API session for
// steps that are not under test.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { hydrated } from './browser';

/** The demo lead written by the seed (scripts/lib/observers.ts). */
export function demoObserver(): { username: string; password: string } {
  const [, row] = readFileSync('.demo/observers.csv', 'utf8').trim().split('\n');
  const [username, password] = (row ?? '').split(',');
  return { username: username as string, password: password as string };
}

/** Log in through the console's form (unless this browser's session is still live); resolves once the console shows. */
export async function consoleLogin(p: Page) {
  await hydrated(p);
  await p.locator('[data-testid="observer"], #login-username').first().waitFor();
  if (await p.getByTestId('observer').isVisible()) return;
  const { username, password } = demoObserver();
  await p.getByLabel('用户名').fill(username);
  await p.getByLabel('密码').fill(password);
  await p.getByRole('button', { name: '登录' }).click();
  await p.getByTestId('observer').waitFor();
}

/** The observer API from Node, as the console calls it (cookie, Origin, CSRF token). */
export async function apiSession(base: string) {
  const { username, password } = demoObserver();
  const r = await fetch(`${base}/api/v1/observe/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ username, password }),
  });
  expect(r.status).toBe(200);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  const headers = { cookie, origin: base, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
  return {
    get: (path: string) => fetch(`${base}${path}`, { headers }),
    post: (path: string, body: unknown = {}) =>
      fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }),
  };
}

/** The logged-in observer's id, as the console's session route gives it. */
export const myObserverId = (p: Page) =>
  p.evaluate(
    async () => ((await (await fetch('/api/v1/observe/session')).json()) as { observer: { id: string } }).observer.id,
  );
