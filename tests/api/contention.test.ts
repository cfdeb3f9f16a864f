// Double use under contention, at the size of a deputies' session: hundreds
// of simultaneous submissions of one code, and many codes each sent many
// times at once. The database refuses every use after the first (the
// redemptions primary key inside the one submission batch), and the counters
// still equal a recount of the stored responses. CONTENTION_SIZE sets the
// size (500 by default, the same in npm test and `npm run reliability`).
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { apiError } from '../../src/domain/schemas/api';
import { submitResponse } from '../../src/domain/schemas/participation';
import { ballotAnswers, catalog, expectCountersMatchRecount, issue, NOW, snapshot } from './fixtures';
import { client, submit } from './helpers';
import { CONTENTION_SIZE } from './reliability';

const api = client({ catalog, now: () => NOW });
/** A distinct address per request, so the per-address limit (120 a minute) never answers first. */
const from = (i: number) => ({ 'cf-connecting-ip': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });

async function statuses(responses: Response[]) {
  const seen: Record<number, number> = {};
  for (const r of responses) {
    seen[r.status] = (seen[r.status] ?? 0) + 1;
    if (r.status === 201) submitResponse.parse(await r.json());
    else expect(apiError.parse(await r.json()).error.code).toBe('already_answered');
  }
  return seen;
}

describe(`double use under contention (${CONTENTION_SIZE} at once)`, () => {
  it(`${CONTENTION_SIZE} concurrent submissions of one code: exactly one 201, the rest 409, counters equal a recount`, async ({
    task,
  }) => {
    const [code] = await issue('party_deputy');
    const before = await snapshot();
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: CONTENTION_SIZE }, (_, i) =>
        // Different answers, so a second stored response would show in the tallies.
        submit(api, 'ballot-t', { code, answers: ballotAnswers(['good', 'fair', 'poor'][i % 3]) }, from(i)),
      ),
    );
    const ms = Math.round(performance.now() - started);
    expect(await statuses(results)).toEqual({ 201: 1, 409: CONTENTION_SIZE - 1 });
    const after = await snapshot();
    expect(after.responses - before.responses).toBe(1);
    expect(after.redemptions - before.redemptions).toBe(1);
    expect(after.turnout - before.turnout).toBe(1);
    await expectCountersMatchRecount();
    task.meta.contention = { requests: CONTENTION_SIZE, codes: 1, accepted: 1, refused: CONTENTION_SIZE - 1, ms };
  }, 60_000);

  it(`${CONTENTION_SIZE} concurrent submissions of ${CONTENTION_SIZE / 10} codes, ten each, interleaved: one 201 per code`, async ({
    task,
  }) => {
    const codes = await issue('npc_deputy', CONTENTION_SIZE / 10);
    const before = await snapshot();
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: CONTENTION_SIZE }, (_, i) =>
        submit(
          api,
          'ballot-t',
          { code: codes[i % codes.length], answers: ballotAnswers(i % 2 ? 'good' : 'poor') },
          from(i),
        ),
      ),
    );
    const ms = Math.round(performance.now() - started);
    expect(await statuses(results)).toEqual({ 201: codes.length, 409: CONTENTION_SIZE - codes.length });
    const after = await snapshot();
    expect(after.responses - before.responses).toBe(codes.length);
    expect(after.redemptions - before.redemptions).toBe(codes.length);
    // No redemption without its response, no response without its redemption.
    const pairs = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM redemptions WHERE instrument = 'ballot-t') AS r, (SELECT count(*) FROM responses WHERE instrument = 'ballot-t') AS s",
    ).first<{ r: number; s: number }>();
    expect(pairs?.r).toBe(pairs?.s);
    await expectCountersMatchRecount();
    task.meta.contention = {
      requests: CONTENTION_SIZE,
      codes: codes.length,
      accepted: codes.length,
      refused: CONTENTION_SIZE - codes.length,
      ms,
    };
  }, 60_000);
});

declare module 'vitest' {
  interface TaskMeta {
    contention?: { requests: number; codes: number; accepted: number; refused: number; ms: number };
  }
}
