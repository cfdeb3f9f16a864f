import { env } from 'cloudflare:test';
import { type AppOptions, createApp } from '../../src/server/app';

/** Call the app as Pages would, with the test bindings (plus any given). */
export function client(options: AppOptions = {}, bindings: Record<string, string> = {}) {
  const app = createApp(options);
  const e = { ...env, ...bindings };
  return {
    app,
    request: (path: string, init?: RequestInit) => app.request(path, init, e),
    json: (path: string, body: unknown, init: RequestInit = {}) =>
      app.request(
        path,
        {
          method: 'POST',
          ...init,
          headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
          body: JSON.stringify(body),
        },
        e,
      ),
  };
}

/** Submit a response as the island does. */
export function submit(
  api: ReturnType<typeof client>,
  instrument: string,
  body: { code?: string; turnstileToken?: string; answers: unknown },
  headers: Record<string, string> = {},
) {
  return api.json(
    `/api/v1/instruments/${instrument}/responses`,
    { turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX', ...body },
    { headers },
  );
}

export async function rowCount(table: string): Promise<number> {
  const r = await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>();
  return r?.n ?? 0;
}
