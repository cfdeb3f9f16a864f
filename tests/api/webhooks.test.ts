// Closing an instrument pushes a signed webhook to the internal system,
// retried with backoff until acknowledged; observers see the delivery state.
import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hmacHex } from '../../src/domain/code';
import { canonicalRequest } from '../../src/domain/feed';
import { backoffSeconds } from '../../src/server/webhooks';
import { client } from '../support/api-client';
import { catalog, makeObserver, NOW, signIn } from '../support/observe-fixtures';

const HOOK = { WEBHOOK_URL: 'https://internal.example.org/kaoping/hook', WEBHOOK_SECRET: 'hook-secret' };

/** A console client with the webhook bindings and a chosen clock. */
const via = (now: Date, bindings: Record<string, string> = HOOK) => client({ catalog, now: () => now }, bindings);

afterEach(() => vi.restoreAllMocks());

describe('webhook on close', () => {
  it('is enqueued with the change, signed, retried after a failure and marked delivered on a 2xx', async () => {
    const calls: { headers: Headers; body: string }[] = [];
    let answer = 500;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (_url, init) => {
      calls.push({ headers: new Headers(init?.headers), body: String(init?.body) });
      return new Response('', { status: answer });
    });
    const lead = await signIn(await makeObserver('lead'), via(NOW));
    expect((await lead.post('/api/v1/observe/instruments/ballot-t/state', { state: 'closed' })).status).toBe(200);
    // First attempt right after the change: refused by the receiver.
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    const first = calls[0] as { headers: Headers; body: string };
    expect(JSON.parse(first.body)).toMatchObject({
      event: 'instrument.closed',
      instrument: 'ballot-t',
      appraisal: 'test-2026',
    });
    const canonical = await canonicalRequest({
      method: 'POST',
      path: '/kaoping/hook',
      query: new URLSearchParams(),
      timestamp: first.headers.get('x-kaoping-timestamp') as string,
      nonce: first.headers.get('x-kaoping-nonce') as string,
      body: first.body,
    });
    expect(first.headers.get('x-kaoping-signature')).toBe(await hmacHex('hook-secret', canonical));
    let list = (await (await lead.get('/api/v1/observe/webhooks')).json()) as {
      deliveries: { status: string; attempts: number; lastError: string | null; nextAttemptAt: number }[];
    };
    expect(list.deliveries[0]).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500' });
    expect(list.deliveries[0]?.nextAttemptAt).toBe(Math.floor(NOW.getTime() / 1000) + backoffSeconds(1));

    // Opening the list before the backoff has passed does not resend; after it, the retry is acknowledged.
    expect(calls).toHaveLength(1);
    answer = 204;
    const later = await signIn({ username: lead.session.observer.username }, via(new Date(NOW.getTime() + 31_000)));
    list = (await (await later.get('/api/v1/observe/webhooks')).json()) as typeof list;
    expect(calls).toHaveLength(2);
    expect(list.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 2, lastError: null });
  });

  it('is not sent for a pause, nor when no receiver is configured', async () => {
    const spy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('', { status: 200 }));
    const lead = await signIn(await makeObserver('lead'), via(NOW));
    expect((await lead.post('/api/v1/observe/instruments/q-public/state', { state: 'paused' })).status).toBe(200);
    const bare = await signIn({ username: lead.session.observer.username }, via(NOW, {}));
    expect((await bare.post('/api/v1/observe/instruments/closed-t/state', { state: 'closed' })).status).toBe(200);
    const n = await env.DB.prepare(
      "SELECT count(*) AS n FROM webhook_deliveries WHERE instrument IN ('q-public', 'closed-t')",
    ).first<{ n: number }>();
    expect(n?.n).toBe(0);
    expect(spy).not.toHaveBeenCalled();
  });
});
