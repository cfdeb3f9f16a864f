// POST /api/v1/codes/verify: check a code without consuming it.
import { describe, expect, it } from 'vitest';
import { generateCode } from '../../src/domain/code';
import { apiError } from '../../src/domain/schemas/api';
import { verifyCodeResponse } from '../../src/domain/schemas/participation';
import { LIMITS } from '../../src/server/guards/rate-limit';
import { client, submit } from '../support/api-client';
import { ballotAnswers, catalog, codeWithPrefix, issue, NOW, snapshot, TOKEN } from '../support/api-fixtures';

const api = client({ catalog, now: () => NOW });
const FAILURES = LIMITS.codeFailures.max;
const PREFIX_FAILURES = LIMITS.prefixFailures.max;
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

  it(`rate-limits guessing: wrong codes from one client get 429 after ${FAILURES}, then even a right code`, async () => {
    const [code] = await issue('npc_deputy');
    const from = { 'cf-connecting-ip': '203.0.113.77' };
    const statuses: number[] = [];
    for (let i = 0; i < FAILURES + 5; i++) statuses.push((await verify(generateCode(), from)).status);
    expect(statuses.slice(0, FAILURES).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(FAILURES).every((s) => s === 429)).toBe(true);
    // Even the right code is refused from that client for the window.
    const r = await verify(code as string, from);
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  }, 60_000);

  // The issue report: behind one NAT (a 两会 hall, a county office) 20 failed checks locked everyone out.
  it('a hall behind one address: hundreds of failed checks (old and revoked slips) leave the rest of the hall in', async () => {
    const hall = { 'cf-connecting-ip': '203.0.113.80' };
    const slips = await issue('npc_deputy', 40);
    const old = await issue('npc_deputy', FAILURES - 1, { revoked: true });
    // Revoked slips from the hall, in between the good ones.
    for (const [i, code] of old.entries()) {
      expect((await verify(code, hall)).status).toBe(401);
      if (i % 7 === 0) expect((await verify(slips[i % 40] as string, hall)).status).toBe(200);
    }
    for (const code of slips) expect((await verify(code, hall)).status).toBe(200);
  }, 60_000);

  it(`limits failures per code prefix from every address: after ${PREFIX_FAILURES} a right code with that prefix is refused anywhere`, async () => {
    const [target, other] = await issue('npc_deputy', 2);
    const prefix = (target as string).slice(0, 4);
    // Someone who saw the first group of a slip tries the rest, from a new address each time.
    const statuses: number[] = [];
    for (let i = 0; i < PREFIX_FAILURES + 5; i++) {
      statuses.push((await verify(codeWithPrefix(prefix), { 'cf-connecting-ip': `198.18.7.${i}` })).status);
    }
    expect(statuses).toEqual([...Array(PREFIX_FAILURES).fill(401), ...Array(5).fill(429)]);
    const refused = await verify(target as string, { 'cf-connecting-ip': '198.18.8.1' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other prefixes are not affected, from the same addresses either.
    expect((await verify(other as string, { 'cf-connecting-ip': '198.18.7.1' })).status).toBe(200);
    // Tomorrow's window starts over (the counter is per 10 minutes).
    const later = client({ catalog, now: () => new Date(NOW.getTime() + 11 * 60_000) });
    const r = await later.json('/api/v1/codes/verify', { code: target, turnstileToken: TOKEN });
    expect(r.status).toBe(200);
  });
});
