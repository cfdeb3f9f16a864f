import { applyD1Migrations, env } from 'cloudflare:test';
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
    for (const t of [
      'codes',
      'redemptions',
      'responses',
      'tallies',
      'turnout',
      'instrument_states',
      'rate_limits',
      'token_keys',
      'spent_tokens',
    ]) {
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
    for (const table of ['tallies', 'redemptions', 'rate_limits', 'spent_tokens']) {
      const r = await env.DB.prepare('SELECT sql FROM sqlite_master WHERE name = ?1')
        .bind(table)
        .first<{ sql: string }>();
      expect(r?.sql, table).toMatch(/WITHOUT ROWID/i);
    }
    // The rebuilt table keeps its key: a second bump of a window updates, it does not add a row.
    const bump =
      "INSERT INTO rate_limits (key, window, hits, expires) VALUES ('k', 60, 1, 120) ON CONFLICT (key, window) DO UPDATE SET hits = hits + 1";
    await env.DB.batch([env.DB.prepare(bump), env.DB.prepare(bump)]);
    expect(
      await env.DB.prepare("SELECT count(*) AS n, max(hits) AS hits FROM rate_limits WHERE key = 'k'").first(),
    ).toEqual({
      n: 1,
      hits: 2,
    });
  });

  it('keeps codes WITHOUT ROWID, so no hidden rowid records the order slips were printed in', async () => {
    const r = await env.DB.prepare("SELECT sql FROM sqlite_master WHERE name = 'codes'").first<{ sql: string }>();
    expect(r?.sql).toMatch(/WITHOUT ROWID/i);
    await expect(env.DB.prepare('SELECT rowid FROM codes').all()).rejects.toThrow(/rowid/);
  });

  it('drops ended rate-limit windows as new ones open, a few at a time, and keeps live ones', async () => {
    const insert = (key: string, window: number, expires: number) =>
      env.DB.prepare('INSERT INTO rate_limits (key, window, hits, expires) VALUES (?1, ?2, 1, ?3)').bind(
        key,
        window,
        expires,
      );
    // Ten windows that ended long ago, one still running.
    await env.DB.batch([
      ...Array.from({ length: 10 }, (_, i) => insert(`old${i}`, 1000 + i, 1060 + i)),
      insert('live', 5_000_000, 5_086_400),
    ]);
    const left = async () =>
      (await env.DB.prepare("SELECT count(*) AS n FROM rate_limits WHERE key LIKE 'old%'").first<{ n: number }>())?.n;
    const before = (await left()) ?? 0;
    await insert('new1', 5_000_060, 5_090_000).run();
    expect(await left()).toBe(before - 4);
    await insert('new2', 5_000_120, 5_090_000).run();
    await insert('new3', 5_000_180, 5_090_000).run();
    expect(await left()).toBe(0);
    const live = await env.DB.prepare(
      "SELECT count(*) AS n FROM rate_limits WHERE key IN ('live', 'new1', 'new2', 'new3')",
    ).first();
    expect(live).toEqual({ n: 4 });
  });

  it('keeps the rows of a database made before targeted codes: keys, codes and spent tokens become untargeted', async () => {
    const db = env.MIGRATION_DB;
    const before = env.TEST_MIGRATIONS.filter((m) => m.name < '0012');
    expect(before.length).toBeLessThan(env.TEST_MIGRATIONS.length);
    await applyD1Migrations(db, before);
    await db.batch([
      db.prepare(
        "INSERT INTO codes (hash, appraisal, rater_category, batch, issued_on) VALUES ('h', 'a', 'npc_deputy', 'b', '2026-11-15')",
      ),
      db.prepare("INSERT INTO token_keys VALUES ('i', 'npc_deputy', 'spki', 'modulus', 'sealed', '2026-11-15')"),
      db.prepare(
        "INSERT INTO spend_intake VALUES ('t', 'i', 'npc_deputy', 'm', 's', 'r1', '2026-11-23', '{}', 'R1', '[[\"q\",\"o\"]]')",
      ),
    ]);
    await applyD1Migrations(db, env.TEST_MIGRATIONS);
    expect(await db.prepare('SELECT hash, scope FROM codes').all()).toMatchObject({
      results: [{ hash: 'h', scope: '*' }],
    });
    expect(
      await db.prepare('SELECT instrument, rater_category, scope, spki, sealed FROM token_keys').all(),
    ).toMatchObject({
      results: [{ instrument: 'i', rater_category: 'npc_deputy', scope: '*', spki: 'spki', sealed: 'sealed' }],
    });
    expect(await db.prepare('SELECT hash, scope FROM spent_tokens').all()).toMatchObject({
      results: [{ hash: 't', scope: '*' }],
    });
    expect(await db.prepare('SELECT count FROM tallies').first()).toEqual({ count: 1 });
    // The rebuilt spend still stores and counts, now with the token's scope.
    await db
      .prepare(
        "INSERT INTO spend_intake VALUES ('t2', 'i', 'npc_deputy', 'swj', 'm2', 's2', 'r2', '2026-11-23', '{}', 'R2', '[[\"q\",\"o\"]]')",
      )
      .run();
    expect(await db.prepare("SELECT scope FROM spent_tokens WHERE hash = 't2'").first()).toEqual({ scope: 'swj' });
    expect(await db.prepare('SELECT count FROM tallies').first()).toEqual({ count: 2 });
    // A second key for the same instrument and category, for a targeted scope: the new primary key allows it.
    await db.prepare("INSERT INTO token_keys VALUES ('i', 'npc_deputy', 'swj', 'spki2', 'm', 's', '2026-11-16')").run();
    expect(await db.prepare('SELECT count(*) AS n FROM token_keys').first()).toEqual({ n: 2 });
  });
});
