import { applyD1Migrations, env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS, verifyAuditChain } from '../../src/domain/audit-chain';
import { auditChain } from '../../src/server/db/audit';
import { recordAudit } from '../../src/server/db/observers';
import * as schema from '../../src/server/db/schema';
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

  // Data-carrying migrations: undo one to the schema before it, store rows the old way, apply it again.
  const migration = (name: string) => {
    const m = env.TEST_MIGRATIONS.find((x) => x.name.startsWith(name));
    if (!m) throw new Error(`no migration ${name}`);
    return m.queries;
  };
  const run = async (queries: string[]) => {
    for (const q of queries) await env.DB.prepare(q).run();
  };

  it('0014/0015 keep the entries of an existing audit log; the chain starts after them, from the genesis link', async () => {
    await run([
      'DROP TRIGGER audit_log_chain',
      'DROP INDEX audit_log_prev_hash',
      'ALTER TABLE audit_log DROP COLUMN hash',
      'ALTER TABLE audit_log DROP COLUMN prev_hash',
    ]);
    const legacy = (i: number) =>
      env.DB.prepare(
        "INSERT INTO audit_log (at, observer, action, target_kind, target_id, after, request_id) VALUES (?1, NULL, 'account.create', 'observer', ?2, '{}', 'cli')",
      ).bind(`2026-11-0${i}T00:00:00.000Z`, `legacy-${i}`);
    await env.DB.batch([legacy(1), legacy(2), legacy(3)]);
    await run([...migration('0014'), ...migration('0015')]);
    const db = drizzle(env.DB, { schema });
    await recordAudit(db, {
      at: '2026-11-23T02:00:00.000Z',
      observer: null,
      action: 'export.audit',
      targetKind: 'audit',
      targetId: 'all',
    });
    const rows = await auditChain(db);
    expect(rows.map((r) => [r.targetId, r.prevHash === null])).toEqual([
      ['legacy-1', true],
      ['legacy-2', true],
      ['legacy-3', true],
      ['all', false],
    ]);
    const report = await verifyAuditChain(rows);
    expect(report).toMatchObject({ entries: 4, unchained: 3, problems: [] });
    expect(rows[3]?.prevHash).toBe(AUDIT_GENESIS);
    // Still append-only.
    await expect(env.DB.prepare('DELETE FROM audit_log').run()).rejects.toThrow(/append-only/);
  });

  it('0013 keeps the posts of an existing forum, without a tracking number', async () => {
    await run(['DROP INDEX forum_posts_tracking', 'ALTER TABLE forum_posts DROP COLUMN tracking_hash']);
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO forum_threads (id, appraisal, unit, title, created_at, last_post_at) VALUES ('t-old', 'a', NULL, '旧主题', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z')",
      ),
      env.DB.prepare(
        "INSERT INTO forum_posts (id, thread, appraisal, unit, opening, display_name, body, status, created_at) VALUES ('p-old', 't-old', 'a', NULL, 1, '居民', '旧帖子的内容。', 'visible', '2026-11-20T00:00:00Z')",
      ),
    ]);
    await run(migration('0013'));
    const row = await env.DB.prepare("SELECT body, tracking_hash FROM forum_posts WHERE id = 'p-old'").first();
    expect(row).toEqual({ body: '旧帖子的内容。', tracking_hash: null });
  });

  it('gives messages stored before 0016 a reply deadline and the start of their history (0017, on rows)', async () => {
    // Rows as a database migrated up to 0015 held them: no deadline, no history (0016 added the columns, defaulted).
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
    const backfill = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0017_'));
    if (!backfill) throw new Error('migration 0017 missing');
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
