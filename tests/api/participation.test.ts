// POST /api/v1/codes/verify: check a code without consuming it.
import { describe, expect, it } from 'vitest';
import { apiError } from '../../src/domain/schemas/api';
import { verifyCodeResponse } from '../../src/domain/schemas/participation';
import { client, submit } from '../support/api-client';
import { ballotAnswers, catalog, issue, NOW, snapshot, TOKEN } from '../support/api-fixtures';

const api = client({ catalog, now: () => NOW });
const verify = (code: string, headers: Record<string, string> = {}, turnstileToken = TOKEN) =>
  api.json('/api/v1/codes/verify', { code, turnstileToken }, { headers });

describe('verifying a code', () => {
  it('lists the instruments open to its category with their status, and does not consume it', async () => {
    const [code] = await issue('npc_deputy');
    const r = await verify(code as string);
    expect(r.status).toBe(200);
    const body = verifyCodeResponse.parse(await r.json());
    expect(body.appraisal).toBe('test-2026');
    expect(body.raterCategory).toBe('npc_deputy');
    expect(Object.fromEntries(body.instruments.map((i) => [i.id, i.status]))).toEqual({
      'ballot-t': 'open',
      'closed-t': 'closed',
      'future-t': 'not_open',
      'rating-t': 'open',
      'rating-multi-t': 'open',
    });
    expect((await snapshot()).redemptions).toBe(0);
    // After answering, the ballot shows as done.
    expect((await submit(api, 'ballot-t', { code, answers: ballotAnswers() })).status).toBe(201);
    const again = verifyCodeResponse.parse(await (await verify(code as string)).json());
    expect(again.instruments.find((i) => i.id === 'ballot-t')?.status).toBe('done');
  });

  it('answers a mistyped, an unknown and a revoked code with the same 401 (no existence oracle)', async () => {
    const [revoked] = await issue('npc_deputy', 1, { revoked: true });
    const bodies = new Set<string>();
    for (const code of ['ABCD-EFGH-JKMN-Z', '0000-0000-0000-0', revoked as string]) {
      const r = await verify(code, { 'cf-connecting-ip': '192.0.2.1' });
      expect(r.status).toBe(401);
      bodies.add(JSON.stringify({ ...apiError.parse(await r.json()) }));
    }
    expect(bodies.size).toBe(1);
  });

  it('refuses a failed Turnstile with 403', async () => {
    const [code] = await issue('npc_deputy');
    const r = await verify(code as string, {}, 'forged');
    expect(r.status).toBe(403);
  });

  it('rate-limits guessing: thousands of wrong codes from one client get 429 after 20', async () => {
    const [code] = await issue('npc_deputy');
    const from = { 'cf-connecting-ip': '203.0.113.77' };
    const statuses: number[] = [];
    for (let i = 0; i < 2000; i++) {
      statuses.push((await verify(`${String(i).padStart(4, '0')}-0000-0000-0`, from)).status);
      if (statuses.length > 25) break;
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    // Even the right code is refused from that client for the window.
    const r = await verify(code as string, from);
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
