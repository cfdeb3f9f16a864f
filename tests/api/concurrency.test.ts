// One code, many simultaneous token requests; one token, many simultaneous
// spends: the database, not a check in code, refuses every use after the first.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { blindFor, client, randomBlinded, requestToken, spend, takeToken } from '../support/api-client';
import {
  ballotAnswers,
  catalog,
  ensureTokenKeys,
  expectCountersMatchRecount,
  issue,
  NOW,
  snapshot,
} from '../support/api-fixtures';

const api = client({ catalog, now: () => NOW });
const from = (i: number) => ({ 'cf-connecting-ip': `10.0.${i >> 8}.${i & 255}` });

beforeAll(ensureTokenKeys);

describe('double use under contention', () => {
  it('100 concurrent token requests with one code and different blinded messages: one token (one 201, 99 409)', async () => {
    const [code] = await issue('party_deputy');
    const before = await snapshot();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        requestToken(api, 'ballot-t', { code: code as string, blindedMsg: randomBlinded() }, from(i)),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    expect(await snapshot()).toEqual({ ...before, redemptions: before.redemptions + 1 });
  });

  it('100 concurrent token requests with one code and the same blinded message: one redemption, one signature', async () => {
    const [code] = await issue('party_deputy');
    const state = await blindFor(api, 'ballot-t', 'party_deputy');
    const before = await snapshot();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        requestToken(api, 'ballot-t', { code: code as string, blindedMsg: state.blindedMsg }, from(i)),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(99);
    const sigs = new Set(
      await Promise.all(results.map(async (r) => ((await r.json()) as { blindSig: string }).blindSig)),
    );
    expect(sigs.size).toBe(1);
    expect(await snapshot()).toEqual({ ...before, redemptions: before.redemptions + 1 });
  });

  it('100 concurrent spends of one token: exactly one 201 and ninety-nine 409s', async () => {
    const [code] = await issue('npc_deputy');
    const { token } = await takeToken(api, 'ballot-t', code as string);
    if (!token) throw new Error('no token');
    const before = await snapshot();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => spend(api, 'ballot-t', token, ballotAnswers(i % 2 ? 'good' : 'poor'))),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    expect(await snapshot()).toMatchObject({
      responses: before.responses + 1,
      spentTokens: before.spentTokens + 1,
      turnout: before.turnout + 1,
    });
    await expectCountersMatchRecount();
  });

  it('a failing statement rolls the whole spend back: the token stays unspent, nothing is counted', async () => {
    const [code] = await issue('npc_deputy');
    const { token } = await takeToken(api, 'ballot-t', code as string);
    if (!token) throw new Error('no token');
    // Force the response insert to fail: a receipt that already exists violates its unique index.
    await env.DB.prepare(
      "INSERT INTO responses VALUES ('x', 'ballot-t', 'npc_deputy', '2026-11-23', '{}', 'DUPE-DUPE-DUPE-DUPE')",
    ).run();
    const before = await snapshot();
    const { spendToken } = await import('../../src/server/db/submission');
    const { drizzle } = await import('drizzle-orm/d1');
    const schema = await import('../../src/server/db/schema');
    await expect(
      spendToken(drizzle(env.DB, { schema }), {
        tokenHash: 'rollback-test',
        instrument: 'ballot-t',
        raterCategory: 'npc_deputy',
        scope: '*',
        msg: token.msg,
        sig: token.sig,
        responseId: 'y',
        recordedOn: '2026-11-23',
        answers: '{}',
        receipt: 'DUPE-DUPE-DUPE-DUPE',
        pairs: [['unit-a.i1', 'good']],
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect(await snapshot()).toEqual(before);
    const spent = await env.DB.prepare("SELECT count(*) AS n FROM spent_tokens WHERE hash = 'rollback-test'").first<{
      n: number;
    }>();
    expect(spent?.n).toBe(0);
  });
});
