// The confidentiality pledge, checked against the real schema: a stored
// response cannot be linked to a code, a person, or the order of redemptions.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { hashCode } from '../../src/domain/code';
import { client, submit } from '../support/api-client';
import { ballotAnswers, catalog, issue, NOW } from '../support/api-fixtures';

const api = client({ catalog, now: () => NOW });

describe('secrecy of stored responses', () => {
  it('keeps no code, address, agent or time of day with a response', async () => {
    const [code] = await issue('npc_deputy');
    const r = await submit(
      api,
      'ballot-t',
      { code, answers: ballotAnswers() },
      {
        'cf-connecting-ip': '192.0.2.44',
        'user-agent': 'Mozilla/5.0 test-agent',
      },
    );
    expect(r.status).toBe(201);
    const hash = await hashCode(env.CODE_PEPPER as string, code as string);
    const dump = JSON.stringify(
      (await env.DB.prepare('SELECT * FROM responses').all()).results.concat(
        (await env.DB.prepare('SELECT * FROM tallies').all()).results,
        (await env.DB.prepare('SELECT * FROM turnout').all()).results,
      ),
    );
    for (const secret of [code as string, hash, '192.0.2.44', 'test-agent', 'T02:', 'T10:']) {
      expect(dump).not.toContain(secret);
    }
    const cols = (await env.DB.prepare("SELECT name FROM pragma_table_info('responses')").all<{ name: string }>())
      .results;
    expect(cols.map((c) => c.name).sort()).toEqual([
      'answers',
      'id',
      'instrument',
      'rater_category',
      'receipt',
      'recorded_on',
    ]);
    const redemption = (await env.DB.prepare('SELECT * FROM redemptions').all()).results;
    expect(Object.keys(redemption[0] ?? {}).sort()).toEqual(['blinded_hash', 'code_hash', 'instrument']);
  });

  it('keeps nothing in common between what issuance stored and what the spend stored', async () => {
    const [code] = await issue('npc_deputy');
    const r = await submit(api, 'ballot-t', { code, answers: ballotAnswers() });
    expect(r.status).toBe(201);
    const hash = await hashCode(env.CODE_PEPPER as string, code as string);
    const issued = (
      await env.DB.prepare('SELECT blinded_hash FROM redemptions WHERE code_hash = ?1').bind(hash).first<{
        blinded_hash: string;
      }>()
    )?.blinded_hash;
    expect(issued).toMatch(/^[0-9a-f]{64}$/);
    // What the spend wrote: the token and its hash, the response, its receipt.
    const spent = JSON.stringify(
      (await env.DB.prepare('SELECT * FROM spent_tokens').all()).results.concat(
        (await env.DB.prepare('SELECT * FROM responses').all()).results,
      ),
    );
    for (const secret of [code as string, hash, issued as string]) expect(spent).not.toContain(secret);
    const spentCols = (
      await env.DB.prepare("SELECT name FROM pragma_table_info('spent_tokens')").all<{ name: string }>()
    ).results.map((c) => c.name);
    expect(spentCols.sort()).toEqual(['hash', 'instrument', 'msg', 'rater_category', 'scope', 'sig']);
  });

  it('stores responses in random-key order, not in the order codes were redeemed', async () => {
    const codes = await issue('party_deputy', 30);
    const receiptsInOrder: string[] = [];
    for (const code of codes) {
      const r = await submit(api, 'ballot-t', { code, answers: ballotAnswers() });
      receiptsInOrder.push(((await r.json()) as { receipt: string }).receipt);
    }
    // The table's natural scan order and its index orders.
    const scans = [
      'SELECT receipt FROM responses',
      "SELECT receipt FROM responses WHERE instrument = 'ballot-t'",
      'SELECT receipt FROM responses INDEXED BY responses_receipt',
    ];
    for (const sql of scans) {
      const order = (await env.DB.prepare(sql).all<{ receipt: string }>()).results.map((r) => r.receipt);
      expect(order.filter((x) => receiptsInOrder.includes(x))).not.toEqual(receiptsInOrder);
    }
  });
});
