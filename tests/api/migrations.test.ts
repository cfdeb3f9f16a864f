import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { describe, expect, it } from 'vitest';
import { codes } from '../../src/server/db/schema';

describe('migrations on a real local D1', () => {
  it('creates every table of the drizzle schema', async () => {
    const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{
      name: string;
    }>();
    const names = results.map((r) => r.name);
    for (const t of ['codes', 'redemptions', 'responses', 'tallies', 'turnout', 'instrument_states', 'rate_limits']) {
      expect(names).toContain(t);
    }
  });

  it('round-trips a row through drizzle', async () => {
    const db = drizzle(env.DB);
    await db
      .insert(codes)
      .values({ hash: 'h1', appraisal: 'a', raterCategory: 'npc_deputy', batch: 'b', issuedOn: '2026-11-23' });
    const [row] = await db.select().from(codes).where(eq(codes.hash, 'h1'));
    expect(row).toMatchObject({ appraisal: 'a', raterCategory: 'npc_deputy', revokedOn: null });
  });

  it('stores responses WITHOUT ROWID, so no hidden insertion order exists', async () => {
    const r = await env.DB.prepare("SELECT sql FROM sqlite_master WHERE name = 'responses'").first<{ sql: string }>();
    expect(r?.sql).toMatch(/WITHOUT ROWID/i);
    await expect(env.DB.prepare('SELECT rowid FROM responses').all()).rejects.toThrow(/rowid/);
  });

  it('keeps the counters every submission bumps WITHOUT ROWID, each still found by its key', async () => {
    for (const table of ['tallies', 'redemptions', 'rate_limits']) {
      const r = await env.DB.prepare('SELECT sql FROM sqlite_master WHERE name = ?1')
        .bind(table)
        .first<{ sql: string }>();
      expect(r?.sql, table).toMatch(/WITHOUT ROWID/i);
    }
    // The rebuilt table keeps its key: a second bump of a window updates, it does not add a row.
    const bump =
      "INSERT INTO rate_limits (key, window, hits) VALUES ('k', 60, 1) ON CONFLICT (key, window) DO UPDATE SET hits = hits + 1";
    await env.DB.batch([env.DB.prepare(bump), env.DB.prepare(bump)]);
    expect(
      await env.DB.prepare("SELECT count(*) AS n, max(hits) AS hits FROM rate_limits WHERE key = 'k'").first(),
    ).toEqual({
      n: 1,
      hits: 2,
    });
  });
});
