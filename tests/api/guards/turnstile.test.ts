// Turnstile: the offline emulation of Cloudflare's test keys, and the live
// client against a fake siteverify at the network edge (globalThis.fetch).
import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DUMMY_TOKEN,
  emulateSiteverify,
  SITEVERIFY_URL,
  siteverify,
  TEST_SECRETS,
} from '../../../src/server/guards/turnstile';
import { client } from '../../support/api-client';
import { catalog, NOW, snapshot } from '../../support/api-fixtures';

const answers = { q1: 'a', q2: ['x'] };

describe("test mode follows Cloudflare's documented test secret keys", () => {
  it('always-pass accepts the dummy token and nothing else', () => {
    expect(emulateSiteverify(TEST_SECRETS.pass, DUMMY_TOKEN).success).toBe(true);
    expect(emulateSiteverify(TEST_SECRETS.pass, 'real-looking-token')['error-codes']).toEqual([
      'invalid-input-response',
    ]);
  });
  it('always-fail rejects; the spent key reports a duplicate', () => {
    expect(emulateSiteverify(TEST_SECRETS.fail, DUMMY_TOKEN)['error-codes']).toEqual(['invalid-input-response']);
    expect(emulateSiteverify(TEST_SECRETS.spent, DUMMY_TOKEN)['error-codes']).toEqual(['timeout-or-duplicate']);
  });
  it('an "already spent" token is refused with 403 and nothing stored', async () => {
    const api = client({ catalog, now: () => NOW });
    const before = await snapshot();
    const r = await api.app.request(
      '/api/v1/instruments/q-public/responses',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ turnstileToken: DUMMY_TOKEN, answers }),
      },
      { ...env, TURNSTILE_SECRET_KEY: TEST_SECRETS.spent },
    );
    expect(r.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});

describe('live siteverify', () => {
  afterEach(() => vi.restoreAllMocks());
  const liveEnv = {
    ...env,
    TURNSTILE_MODE: 'live',
    TURNSTILE_SECRET_KEY: 'live-secret',
    PUBLIC_ORIGIN: 'https://kaoping.example.org',
  };
  const post = (api: ReturnType<typeof client>) =>
    api.app.request(
      '/api/v1/instruments/q-public/responses',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.23' },
        body: JSON.stringify({ turnstileToken: 'tok-123', answers }),
      },
      liveEnv,
    );

  it('posts secret, response, remoteip and an idempotency key, and accepts a success for our hostname', async () => {
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (_url, init) => {
      const form = init?.body as FormData;
      expect(form.get('secret')).toBe('live-secret');
      expect(form.get('response')).toBe('tok-123');
      expect(form.get('remoteip')).toBe('198.51.100.23');
      expect(String(form.get('idempotency_key'))).toMatch(/^[0-9a-f-]{36}$/);
      return Response.json({ success: true, 'error-codes': [], hostname: 'kaoping.example.org' });
    });
    const r = await post(client({ catalog, now: () => NOW }));
    expect(r.status).toBe(201);
    expect(spy).toHaveBeenCalledWith(SITEVERIFY_URL, expect.anything());
  });

  it('refuses a failed verification and a token solved on another hostname (403)', async () => {
    const before = await snapshot();
    vi.spyOn(globalThis, 'fetch').mockResolvedValueOnce(
      Response.json({ success: false, 'error-codes': ['timeout-or-duplicate'] }),
    );
    expect((await post(client({ catalog, now: () => NOW }))).status).toBe(403);
    vi.spyOn(globalThis, 'fetch').mockResolvedValueOnce(
      Response.json({ success: true, 'error-codes': [], hostname: 'evil.example.net' }),
    );
    expect((await post(client({ catalog, now: () => NOW }))).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('fails closed with 503 when siteverify cannot be reached, after one retry with the same key', async () => {
    const before = await snapshot();
    const keys: string[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (_u, init) => {
      keys.push(String((init?.body as FormData | undefined)?.get('idempotency_key') ?? ''));
      throw new TypeError('network down');
    });
    const r = await post(client({ catalog, now: () => NOW }));
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBeTruthy();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(await snapshot()).toEqual(before);
  });

  it('the client alone: a non-200 answer counts as unreachable', async () => {
    const fake = vi.fn(async () => new Response('busy', { status: 500 }));
    await expect(siteverify({ secret: 's', token: 't', idempotencyKey: 'k', fetch: fake })).rejects.toThrow(/500/);
  });

  it('production refuses test mode', async () => {
    const api = client({ catalog, now: () => NOW });
    const r = await api.app.request(
      '/api/v1/instruments/q-public/responses',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ turnstileToken: DUMMY_TOKEN, answers }),
      },
      { ...env, ENVIRONMENT: 'production', TURNSTILE_MODE: 'test' },
    );
    expect(r.status).toBe(503);
  });
});
