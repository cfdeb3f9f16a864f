// One code, many simultaneous submissions: the database, not a check in code,
// refuses every use after the first.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ballotAnswers, catalog, expectCountersMatchRecount, issue, NOW, snapshot } from './fixtures';
import { client, submit } from './helpers';

const api = client({ catalog, now: () => NOW });

describe('double use under contention', () => {
  it('100 concurrent submissions with one code give exactly one 201 and ninety-nine 409s', async () => {
    const [code] = await issue('party_deputy');
    // Spread over addresses so the per-address limit does not interfere.
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        submit(
          api,
          'ballot-t',
          { code, answers: ballotAnswers(i % 2 ? 'good' : 'poor') },
          { 'cf-connecting-ip': `10.0.0.${i}` },
        ),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    expect(await snapshot()).toMatchObject({ responses: 1, redemptions: 1, turnout: 1 });

    // Tallies equal a recount from the stored responses.
    const actual = await expectCountersMatchRecount();
    expect(actual.size).toBe(4);
  });

  it('a failing statement rolls the whole batch back (no redemption without its response)', async () => {
    const [code] = await issue('npc_deputy');
    // Force the response insert to fail: a receipt that already exists violates its unique index.
    await env.DB.prepare(
      "INSERT INTO responses VALUES ('x', 'ballot-t', 'npc_deputy', '2026-11-23', '{}', 'DUPE-DUPE-DUPE-DUPE')",
    ).run();
    const before = await snapshot();
    const { submitResponse } = await import('../../src/server/db/responses');
    const bucket = { key: 'p:test', window: 0, limit: { name: 'p', max: 100, windowSeconds: 60 }, retryAfter: 60 };
    const { hashCode } = await import('../../src/domain/code');
    await expect(
      submitResponse(env.DB, {
        instrument: 'ballot-t',
        appraisal: 'test-2026',
        categories: ['npc_deputy'],
        codeHash: await hashCode(env.CODE_PEPPER as string, code as string),
        responseId: 'y',
        recordedOn: '2026-11-23',
        answers: '{}',
        receipt: 'DUPE-DUPE-DUPE-DUPE',
        pairs: [['unit-a.i1', 'good']],
        bucket,
        failures: { ...bucket, key: 'f:test' },
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect(await snapshot()).toEqual(before);
    const rl = await env.DB.prepare("SELECT count(*) AS n FROM rate_limits WHERE key = 'p:test'").first<{
      n: number;
    }>();
    expect(rl?.n).toBe(0);
  });
});
