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
      'objections',
      'objection_credentials',
      'objection_events',
      'rectification_items',
      'message_events',
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

  it('gives messages stored before 0012 a reply deadline and the start of their history (0013, on rows)', async () => {
    // Rows as a database migrated up to 0011 held them: no deadline, no history (0012 added the columns, defaulted).
    const row = (id: string, status: string, receivedAt: string, repliedAt: string | null) =>
      env.DB.prepare(
        `INSERT INTO messages (id, tracking_hash, appraisal, body, status, reply, replied_at, received_at, updated_at)
         VALUES (?1, ?2, 'county-2025', '旧的意见内容', ?3, ?4, ?5, ?6, ?7)`,
      ).bind(id, `h-${id}`, status, repliedAt ? '旧答复' : null, repliedAt, receivedAt, repliedAt ?? receivedAt);
    await env.DB.batch([
      row('old-1', 'received', '2025-12-01T02:00:00.000Z', null),
      row('old-2', 'answered', '2025-12-02T17:00:00.000Z', '2025-12-05T02:00:00.000Z'),
      row('old-3', 'closed', '2025-12-03T02:00:00.000Z', '2025-12-04T02:00:00.000Z'),
    ]);
    const backfill = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0013_'));
    if (!backfill) throw new Error('migration 0013 missing');
    await env.DB.batch(backfill.queries.map((q) => env.DB.prepare(q)));
    const messages = await env.DB.prepare(
      "SELECT id, due_on, topic, published, publish_consent FROM messages WHERE id LIKE 'old-%' ORDER BY id",
    ).all();
    expect(messages.results).toEqual([
      { id: 'old-1', due_on: '2025-12-22', topic: 'other', published: 0, publish_consent: 0 },
      // Received at 01:00 on 12-03 in China: the day counts in China's calendar.
      { id: 'old-2', due_on: '2025-12-24', topic: 'other', published: 0, publish_consent: 0 },
      { id: 'old-3', due_on: '2025-12-24', topic: 'other', published: 0, publish_consent: 0 },
    ]);
    const events = await env.DB.prepare(
      "SELECT message, kind, status FROM message_events WHERE message LIKE 'old-%' ORDER BY message, id",
    ).all();
    expect(events.results).toEqual([
      { message: 'old-1', kind: 'received', status: 'received' },
      { message: 'old-2', kind: 'received', status: 'received' },
      { message: 'old-2', kind: 'replied', status: 'answered' },
      { message: 'old-3', kind: 'received', status: 'received' },
      { message: 'old-3', kind: 'replied', status: 'answered' },
      { message: 'old-3', kind: 'status', status: 'closed' },
    ]);
  });
});
