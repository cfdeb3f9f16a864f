// The attack that blind tokens are meant to defeat, carried out: an attacker
// holds a copy of the live database file AND its write-ahead log (a disk
// image, a backup agent, an insider on the host; on Cloudflare, D1 Time Travel
// gives the same thing: a restore point after every commit). The WAL holds
// every recent commit as whole page images, so replaying it commit by commit
// shows exactly which rows each transaction wrote together. Before migration
// 0010 one transaction redeemed the code, stored the response and bumped the
// client's rate-limit row: the WAL said "this code hash gave these answers".
//
// This test runs interleaved, partly concurrent issuances and spends against
// the running dev server (real D1 in workerd), copies the D1 file and its WAL
// while that happens, parses the WAL itself (header, frames, salts,
// checksums), rebuilds the database after each commit, diffs the tables and
// checks that:
//  (b) no commit holds both a redemption and a response or spent token;
//  (c) no spend commit touches `redemptions`, `codes` or `rate_limits`;
//  (d) nothing an issuance commit wrote (code hash, blinded-message hash,
//      rate-limit key) appears in any spend commit, neither in its rows nor in
//      the raw bytes of its page images, and nothing a spend wrote (token hash,
//      message, signature, response id, receipt) appears in an issuance commit.
// (a) guards against a vacuous pass: enough issuance and spend commits of this
// run, paired through what only the client knows, must have been replayed. A
// synthetic database with deliberately linking commits shows that the same
// parser and checks do catch them.
//
// What it does NOT prove: an attacker with the WAL still sees the ORDER and
// the timing of commits. An issuance followed closely by a spend in the same
// rater category narrows down who it was when traffic is thin; that is the
// anonymity-set argument of docs/privacy.md (tokens can be spent later, the
// category is the only attribute shared), not something a storage layout can
// remove. It also does not cover what leaves the database (logs, tallies).
//
// workerd checkpoints the WAL at 1000 frames (then the next writer restarts it
// with new salts) and when it closes an idle database (the WAL is deleted), so
// a single copy at the end may miss commits. The test copies after every step
// of the traffic, keeps every consistent copy (no checkpoint during the copy),
// replays each WAL generation from its own copy and, if too few pairs were
// seen, runs another round with other (code, instrument) pairs.
import {
  closeSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { demoAnswers } from '../../scripts/lib/demo-responses';
import type { SpendToken } from '../../src/domain/schemas/token';
import { fromBase64Url, sha256Hex } from '../../src/domain/token';
import { blindToken, finalizeToken } from '../../src/lib/participate/token';
import { defaultCatalog } from '../../src/server/catalog';
import { DUMMY_TOKEN } from '../../src/server/guards/turnstile';
import { demoCodes } from '../support/participate';

// ---------------------------------------------------------------- the WAL format

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

interface Frame {
  pgno: number;
  page: Buffer;
}
interface WalCommit {
  frames: Frame[];
  /** Database size in pages after this commit (the commit frame's field). */
  dbSize: number;
  /** Index (1-based) of the commit frame in the log. */
  endFrame: number;
}
interface Wal {
  pageSize: number;
  /** salt-1 and salt-2, hex: they name one generation of the log (a restart changes them). */
  salts: string;
  commits: WalCommit[];
  /** Valid frames, trailing uncommitted ones included. */
  frames: number;
}

/** SQLite's WAL checksum: pairs of 32-bit words, little-endian if the magic is 0x377f0682. */
function walChecksum(b: Buffer, start: number, length: number, s: [number, number], bigEndian: boolean) {
  let [s0, s1] = s;
  for (let i = start; i < start + length; i += 8) {
    const x0 = bigEndian ? b.readUInt32BE(i) : b.readUInt32LE(i);
    const x1 = bigEndian ? b.readUInt32BE(i + 4) : b.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1] as [number, number];
}

/**
 * Parse a WAL: the 32-byte header (magic, version, page size, checkpoint
 * sequence, salts, checksum), then frames of a 24-byte header (page number,
 * database size after commit or 0, salts, cumulative checksum) and one page.
 * Stops at the first frame whose salts differ from the header's (left over
 * from an earlier generation) or whose checksum fails (torn or stale);
 * frames after the last commit frame belong to no transaction and are dropped.
 */
function parseWal(b: Buffer): Wal | null {
  if (b.length < WAL_HEADER) return null;
  const magic = b.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return null;
  const bigEndian = magic === 0x377f0683;
  const pageSize = b.readUInt32BE(8);
  const salt1 = b.readUInt32BE(16);
  const salt2 = b.readUInt32BE(20);
  let sum = walChecksum(b, 0, 24, [0, 0], bigEndian);
  if (sum[0] !== b.readUInt32BE(24) || sum[1] !== b.readUInt32BE(28)) return null;
  const commits: WalCommit[] = [];
  let pending: Frame[] = [];
  let frames = 0;
  for (let off = WAL_HEADER; off + FRAME_HEADER + pageSize <= b.length; off += FRAME_HEADER + pageSize) {
    if (b.readUInt32BE(off + 8) !== salt1 || b.readUInt32BE(off + 12) !== salt2) break;
    sum = walChecksum(b, off, 8, sum, bigEndian);
    sum = walChecksum(b, off + FRAME_HEADER, pageSize, sum, bigEndian);
    if (sum[0] !== b.readUInt32BE(off + 16) || sum[1] !== b.readUInt32BE(off + 20)) break;
    frames++;
    pending.push({ pgno: b.readUInt32BE(off), page: b.subarray(off + FRAME_HEADER, off + FRAME_HEADER + pageSize) });
    const dbSize = b.readUInt32BE(off + 4);
    if (dbSize !== 0) {
      commits.push({ frames: pending, dbSize, endFrame: frames });
      pending = [];
    }
  }
  return { pageSize, salts: b.subarray(16, 24).toString('hex'), commits, frames };
}

// ------------------------------------------------------- copying a live database

interface Snapshot {
  main: Buffer;
  wal: Wal;
  /** Frames of the log already copied into the main file by a checkpoint (the wal-index's nBackfill). */
  backfilled: number;
}

/**
 * Copy the database file and its WAL as a consistent pair, or null. The main
 * file changes only when a checkpoint copies frames into it, so the copy is
 * taken between two reads of the wal-index (`-shm`: its header's salts at
 * byte 32, nBackfill at byte 96) and kept only if neither moved and the main
 * file read the same twice. The wal-index is only read, never trusted for
 * content: the frames come from the WAL file itself.
 */
function snapshot(db: string): Snapshot | null {
  try {
    const shm1 = Buffer.from(readFileSync(`${db}-shm`).subarray(0, 136));
    const main = readFileSync(db);
    const walBytes = readFileSync(`${db}-wal`);
    const main2 = readFileSync(db);
    const shm2 = Buffer.from(readFileSync(`${db}-shm`).subarray(0, 136));
    const wal = parseWal(walBytes);
    if (!wal || shm1.length < 100 || shm2.length < 100) return null;
    const backfilled = shm1.readUInt32LE(96);
    const salts = shm1.subarray(32, 40).toString('hex');
    if (shm2.readUInt32LE(96) !== backfilled || shm2.subarray(32, 40).toString('hex') !== salts) return null;
    if (salts !== wal.salts || !main.equals(main2)) return null;
    // A checkpoint stops at a commit: if nBackfill is not one, the copy is of no use.
    if (backfilled !== 0 && !wal.commits.some((c) => c.endFrame === backfilled)) return null;
    return { main, wal, backfilled };
  } catch {
    return null; // no WAL right now (the database was closed and checkpointed), or a file vanished mid-copy
  }
}

// ---------------------------------------------------------------- replaying it

const TABLES = ['redemptions', 'spent_tokens', 'responses', 'tallies', 'turnout', 'rate_limits', 'codes'];
type Row = Record<string, unknown>;
type Dump = Map<string, Set<string>>;

function dump(path: string): Dump {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const have = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (r) => r.name,
      ),
    );
    return new Map(
      TABLES.map((t) => [
        t,
        new Set(
          have.has(t)
            ? db
                .prepare(`SELECT * FROM "${t}"`)
                .all()
                .map((r) => JSON.stringify(r))
            : [],
        ),
      ]),
    );
  } finally {
    db.close();
  }
}

interface CommitChange {
  /** WAL generation and commit frame: unique across copies. */
  id: string;
  /** Rows per table that this commit added (inserted, or the new version of an update) and removed. */
  tables: Record<string, { added: Row[]; removed: Row[] }>;
  /** The page images the commit wrote, as an attacker reads them. */
  pages: Buffer[];
}

function diffDumps(before: Dump, after: Dump): CommitChange['tables'] {
  const out: CommitChange['tables'] = {};
  for (const t of TABLES) {
    const a = before.get(t) ?? new Set<string>();
    const b = after.get(t) ?? new Set<string>();
    const added = [...b].filter((r) => !a.has(r)).map((r) => JSON.parse(r) as Row);
    const removed = [...a].filter((r) => !b.has(r)).map((r) => JSON.parse(r) as Row);
    if (added.length + removed.length > 0) out[t] = { added, removed };
  }
  return out;
}

/**
 * Rebuild the database after each commit of the copy's WAL: start from the
 * main file (which holds the log up to nBackfill), write each commit's page
 * images at (pgno - 1) * pageSize, truncate to the commit's size, and open
 * the result as a rollback-journal database (header bytes 18-19 set from 2,
 * WAL, to 1) read-only, so SQLite never looks for the log.
 */
function replay(s: Snapshot, dir: string): CommitChange[] {
  const path = join(dir, `replay-${s.wal.salts}-${s.backfilled}.sqlite`);
  const legacy = Buffer.from([1, 1]);
  writeFileSync(path, s.main);
  const fd = openSync(path, 'r+');
  const changes: CommitChange[] = [];
  try {
    writeSync(fd, legacy, 0, 2, 18);
    let before = dump(path);
    const ps = s.wal.pageSize;
    for (const c of s.wal.commits) {
      if (c.endFrame <= s.backfilled) continue;
      for (const f of c.frames) writeSync(fd, f.page, 0, ps, (f.pgno - 1) * ps);
      ftruncateSync(fd, c.dbSize * ps);
      writeSync(fd, legacy, 0, 2, 18);
      const after = dump(path);
      changes.push({
        id: `${s.wal.salts}#${c.endFrame}`,
        tables: diffDumps(before, after),
        pages: c.frames.map((f) => f.page),
      });
      before = after;
    }
    const check = new DatabaseSync(path, { readOnly: true });
    try {
      const ok = check.prepare('PRAGMA quick_check').get() as { quick_check: string };
      if (ok.quick_check !== 'ok') throw new Error(`replayed database is damaged: ${ok.quick_check}`);
    } finally {
      check.close();
    }
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  return changes;
}

// ------------------------------------------------------------------ the checks

const touched = (c: CommitChange, t: string) => c.tables[t] !== undefined;
const added = (c: CommitChange, t: string) => c.tables[t]?.added ?? [];
const isIssuance = (c: CommitChange) => added(c, 'redemptions').length > 0;
/** A token spend: a spent token, or a response of a code category. */
const isSpend = (c: CommitChange) =>
  added(c, 'spent_tokens').length > 0 || added(c, 'responses').some((r) => r.rater_category !== 'public');
/** A response to a public instrument: no code, no token, counted against its client's rate limit. */
const isPublicResponse = (c: CommitChange) => !isSpend(c) && added(c, 'responses').length > 0;

/** Values that must stay on their own side, with the commit that wrote them. */
function valuesOf(commits: CommitChange[], pick: (c: CommitChange) => unknown[]) {
  const out = new Map<string, string>();
  for (const c of commits) {
    for (const v of pick(c)) if (typeof v === 'string' && v.length >= 16) out.set(v, c.id);
  }
  return out;
}

/**
 * What issuance commits wrote that names the code or the client: the code
 * hash, the blinded-message hash, each rate-limit key, and the key's client
 * part (the HMAC after `name:`, the same for every limit of one client on one day).
 */
const issuedValues = (commits: CommitChange[]) =>
  valuesOf(commits.filter(isIssuance), (c) => [
    ...added(c, 'redemptions').flatMap((r) => [r.code_hash, r.blinded_hash]),
    ...added(c, 'rate_limits').flatMap((r) => [r.key, String(r.key).slice(String(r.key).indexOf(':') + 1)]),
  ]);

/** What spend commits wrote: the token (hash, message, signature), the response id and receipt. */
const spentValues = (commits: CommitChange[]) =>
  valuesOf(commits.filter(isSpend), (c) => [
    ...added(c, 'spent_tokens').flatMap((r) => [r.hash, r.msg, r.sig]),
    ...added(c, 'responses').flatMap((r) => [r.id, r.receipt]),
  ]);

/**
 * Where a commit's rows carry a value another commit wrote, or else (`pages`)
 * the raw bytes of its page images do. A page image also holds the rows that
 * were already on that page, so the byte check only makes sense between
 * commits that write different tables (issuance and spend).
 */
function carried(c: CommitChange, values: Map<string, string>, what: string, pages = true): string[] {
  const problems: string[] = [];
  const rows = JSON.stringify(c.tables);
  for (const [v, from] of values) {
    if (from === c.id) continue;
    if (rows.includes(v)) problems.push(`${c.id}: its rows carry ${v.slice(0, 16)}… written by ${what} ${from}`);
    else if (pages && c.pages.some((p) => p.includes(v))) {
      problems.push(`${c.id}: its page images carry ${v.slice(0, 16)}… written by ${what} ${from}`);
    }
  }
  return problems;
}

/** (b), (c), (d): every way a commit of the replay links a code's issuance to a token's spend; empty if none. */
function tokenLinks(commits: CommitChange[]): string[] {
  const problems: string[] = [];
  const issued = issuedValues(commits);
  const spent = spentValues(commits);
  for (const c of commits) {
    if (isIssuance(c) && (isSpend(c) || isPublicResponse(c))) {
      problems.push(`${c.id}: a redemption and a response/spent token in one commit`);
    }
    if (isSpend(c)) {
      for (const t of ['redemptions', 'codes', 'rate_limits']) {
        if (touched(c, t)) problems.push(`${c.id}: a spend commit also writes ${t}`);
      }
      problems.push(...carried(c, issued, 'issuance'));
    }
    if (isIssuance(c)) problems.push(...carried(c, spent, 'spend'));
  }
  return problems;
}

/**
 * A public response carries no code and no token, but its commit counts the
 * client's rate limit: the rows it writes must not carry anything an issuance
 * commit wrote (its rate-limit rows live on the same pages as the issuance's,
 * so only rows are compared), or a code holder's public answers become theirs.
 */
function publicLinks(commits: CommitChange[]): string[] {
  const issued = issuedValues(commits);
  return commits.filter(isPublicResponse).flatMap((c) => carried(c, issued, 'issuance', false));
}

// --------------------------------------------------------------- the live run

const base = inject('baseUrl');
const persistTo = inject('persistTo');
const work = mkdtempSync(join(tmpdir(), 'kaoping-wal-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function d1File(): string {
  const dir = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const files = readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  if (files.length !== 1) throw new Error(`expected one D1 file in ${dir}, found ${files.join(', ')}`);
  return join(dir, files[0] as string);
}

/** Every consistent copy taken, per WAL generation and checkpoint position: the one with the most frames. */
class Copies {
  kept = new Map<string, Snapshot>();
  taken = 0;
  refused = 0;
  constructor(readonly file: string) {}
  take() {
    this.taken++;
    const s = snapshot(this.file);
    if (!s) {
      this.refused++;
      return;
    }
    const key = `${s.wal.salts}/${s.backfilled}`;
    const had = this.kept.get(key);
    if (!had || had.wal.frames < s.wal.frames) this.kept.set(key, s);
  }
  /** Every commit seen in any copy, once (the same commit replays the same from any copy of its generation). */
  replayAll(): CommitChange[] {
    const seen = new Map<string, CommitChange>();
    for (const s of this.kept.values()) for (const c of replay(s, work)) if (!seen.has(c.id)) seen.set(c.id, c);
    return [...seen.values()];
  }
}

const post = (path: string, body: unknown) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

interface Pair {
  instrument: string;
  /** sha256 of the blinded message: what the redemption row stores. */
  blindedHash: string;
  /** sha256 of the token message: what the spent-token row is keyed by. */
  tokenHash: string;
}

/**
 * One round: issue and spend a token for each code, two issuances and up to
 * two spends of earlier tokens in flight at once, a copy of the files after
 * every step. Returns what only the participants know: which blinded
 * message became which token.
 */
async function round(instrument: string, codes: { code: string; category: string }[], copies: Copies) {
  const inst = defaultCatalog.instruments.find((i) => i.id === instrument);
  if (!inst) throw new Error(`no instrument ${instrument} in the catalog`);
  const keys = (
    (await (await fetch(`${base}/api/v1/instruments/${instrument}/token-key`)).json()) as {
      keys: { raterCategory: string; spki: string }[];
    }
  ).keys;
  const pairs: Pair[] = [];
  const issue = async ({ code, category }: { code: string; category: string }) => {
    const spki = keys.find((k) => k.raterCategory === category)?.spki;
    if (!spki) throw new Error(`no token key for ${instrument} / ${category}`);
    const state = await blindToken(instrument, category, spki);
    const r = await post(`/api/v1/instruments/${instrument}/tokens`, {
      code,
      turnstileToken: DUMMY_TOKEN,
      blindedMsg: state.blindedMsg,
    });
    if (r.status !== 201) throw new Error(`issuance refused: ${r.status} ${await r.text()}`);
    const token = await finalizeToken(state, ((await r.json()) as { blindSig: string }).blindSig);
    pairs.push({
      instrument,
      blindedHash: await sha256Hex(fromBase64Url(state.blindedMsg) as Uint8Array<ArrayBuffer>),
      tokenHash: await sha256Hex(fromBase64Url(token.msg) as Uint8Array<ArrayBuffer>),
    });
    return token;
  };
  const spend = async (token: SpendToken, n: number) => {
    const r = await post(`/api/v1/instruments/${instrument}/responses`, {
      token,
      answers: demoAnswers(inst, `wal-replay/${instrument}/${n}`),
    });
    if (r.status !== 201) throw new Error(`spend refused: ${r.status} ${await r.text()}`);
  };
  const ready: SpendToken[] = [];
  let spends = 0;
  const spendSome = (k: number) => ready.splice(0, k).map((t) => spend(t, spends++));
  copies.take();
  for (let i = 0; i < codes.length; i += 2) {
    // Spend one or two of the earlier tokens while the next two codes are being redeemed.
    const tokens = await Promise.all([
      ...codes.slice(i, i + 2).map(issue),
      ...spendSome(i % 4 === 0 ? 1 : 2).map((p) => p.then(() => null)),
    ]);
    for (const t of tokens) if (t) ready.push(t);
    copies.take();
  }
  while (ready.length > 0) {
    await Promise.all(spendSome(2));
    copies.take();
  }
  return pairs;
}

describe('an attacker replaying the D1 write-ahead log', () => {
  it('finds the linking commits of a synthetic database (the checks are not blind)', () => {
    const dir = mkdtempSync(join(work, 'synthetic-'));
    const file = join(dir, 'db.sqlite');
    const db = new DatabaseSync(file);
    try {
      db.exec('PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;');
      for (const m of readdirSync('migrations')
        .filter((f) => f.endsWith('.sql'))
        .sort()) {
        db.exec(readFileSync(join('migrations', m), 'utf8'));
      }
      const hash = (c: string) => c.repeat(64);
      db.exec(`INSERT INTO codes (hash, appraisal, rater_category, batch, issued_on) VALUES
        ('${hash('a')}', 'x', 'masses_rep', 'b', '2026-01-01'), ('${hash('b')}', 'x', 'masses_rep', 'b', '2026-01-01');
        PRAGMA wal_checkpoint(TRUNCATE);`);
      const spendSql = (token: string, id: string, answers: string) =>
        `INSERT INTO spend_intake VALUES ('${token}', 'i', 'masses_rep', '*', 'msg-${token}', 'sig-${token}', '${id}',
          '2026-11-23', '${answers}', 'receipt-${id}', '[["q","o"]]');`;
      const rateLimit = (key: string) =>
        `INSERT INTO rate_limits (key, window, hits, expires) VALUES ('${key}', 100, 1, 160)
          ON CONFLICT (key, window) DO UPDATE SET hits = hits + 1;`;
      // 1. A clean issuance, 2. a clean spend.
      db.exec(`BEGIN; ${rateLimit('p:client-one-0123456789')}
        INSERT INTO redemptions VALUES ('${hash('a')}', 'i', '${hash('1')}'); COMMIT;`);
      db.exec(`BEGIN; ${spendSql(hash('7'), 'response-0000000001', '{"q":"o"}')} COMMIT;`);
      // 3. The old single transaction: redemption, rate limit and response together.
      db.exec(`BEGIN; ${rateLimit('p:client-two-0123456789')}
        INSERT INTO redemptions VALUES ('${hash('b')}', 'i', '${hash('2')}');
        ${spendSql(hash('8'), 'response-0000000002', '{"q":"o"}')} COMMIT;`);
      // 4. A spend that counts its client, 5. a spend whose row carries the blinded hash of issuance 1.
      db.exec(`BEGIN; ${rateLimit('p:client-one-0123456789')}
        ${spendSql(hash('9'), 'response-0000000003', '{"q":"o"}')} COMMIT;`);
      db.exec(`BEGIN; ${spendSql(hash('6'), 'response-0000000004', `{"q":"o","n":"${hash('1')}"}`)} COMMIT;`);
      // 6. A public response counted under another limit of the client of issuance 1.
      db.exec(`INSERT INTO public_intake VALUES ('v', 'response-0000000005', '2026-11-23', '{"q":"o"}',
        'receipt-5', '[["q","o"]]', 'q:client-one-0123456789', 100, 120, 160);`);
      const s = snapshot(file);
      expect(s).not.toBeNull();
      const commits = replay(s as Snapshot, dir);
      expect(commits).toHaveLength(6);
      const [clean1, clean2, joint, counted, carrying, counter] = commits.map((c) => c.id);
      const problems = tokenLinks(commits);
      expect(problems.filter((p) => p.startsWith(`${clean1}:`) || p.startsWith(`${clean2}:`))).toEqual([]);
      expect(problems).toContain(`${joint}: a redemption and a response/spent token in one commit`);
      expect(problems).toContain(`${joint}: a spend commit also writes redemptions`);
      expect(problems).toContain(`${counted}: a spend commit also writes rate_limits`);
      expect(problems.some((p) => p.startsWith(`${counted}: its rows carry p:client-one-012`))).toBe(true);
      expect(problems.some((p) => p.startsWith(`${carrying}: its rows carry ${hash('1').slice(0, 16)}`))).toBe(true);
      expect(publicLinks(commits)).toEqual([
        `${counter}: its rows carry client-one-01234… written by issuance ${clean1}`,
      ]);
      // The issuance wrote its redemption and its rate-limit row in one commit, and the replay sees both.
      expect(Object.keys(commits[0]?.tables ?? {}).sort()).toEqual(['rate_limits', 'redemptions']);
    } finally {
      db.close();
    }
  });

  it('sees issuances and spends of a live run in separate commits that share nothing', async () => {
    const t0 = Date.now();
    const copies = new Copies(d1File());
    const masses = demoCodes('masses_rep').slice(-6);
    const cppcc = demoCodes('cppcc_member').slice(-12);
    expect([masses.length, cppcc.length]).toEqual([6, 12]);
    // The two categories alternate, as codes arrive from a mixed hall.
    const interleaved = masses.flatMap((code, i) => [
      { code, category: 'masses_rep' },
      { code: cppcc[6 + i] as string, category: 'cppcc_member' },
    ]);
    const rounds: [string, { code: string; category: string }[]][] = [
      ['ballot-groups-2026', interleaved],
      ['ballot-officials-2026', interleaved],
      ['rating-units-2026', cppcc.map((code) => ({ code, category: 'cppcc_member' }))],
    ];
    const N = 10;
    const pairs: Pair[] = [];
    let commits: CommitChange[] = [];
    let ran = 0;
    let complete: { issuance: CommitChange; spend: CommitChange }[] = [];
    for (const [instrument, codes] of rounds) {
      pairs.push(...(await round(instrument, codes, copies)));
      ran++;
      commits = copies.replayAll();
      const byBlinded = new Map<string, CommitChange>();
      const byToken = new Map<string, CommitChange>();
      for (const c of commits) {
        for (const r of added(c, 'redemptions')) byBlinded.set(String(r.blinded_hash), c);
        for (const r of added(c, 'spent_tokens')) byToken.set(String(r.hash), c);
      }
      complete = pairs.flatMap((p) => {
        const issuance = byBlinded.get(p.blindedHash);
        const spend = byToken.get(p.tokenHash);
        return issuance && spend ? [{ issuance, spend }] : [];
      });
      if (complete.length >= N) break;
    }
    const generations = new Set([...copies.kept.values()].map((s) => s.wal.salts)).size;
    console.log(
      `wal-replay: ${ran} round(s), ${pairs.length} participations, ${copies.taken} copies (${copies.refused} refused ` +
        `mid-checkpoint or without a WAL), ${generations} WAL generation(s), ${commits.length} commits replayed ` +
        `(${commits.filter(isIssuance).length} issuances, ${commits.filter(isSpend).length} spends), ` +
        `${complete.length} pairs seen whole, ${Date.now() - t0} ms`,
    );

    // (a) Not vacuous: this run's issuances and spends were found, by what only the participants know.
    expect(complete.length).toBeGreaterThanOrEqual(N);
    expect(new Set(complete.map((p) => p.issuance.id)).size).toBeGreaterThanOrEqual(N);
    expect(new Set(complete.map((p) => p.spend.id)).size).toBeGreaterThanOrEqual(N);
    // The replay does see what one commit writes together: each redemption with its client's rate-limit row.
    for (const { issuance } of complete) expect(touched(issuance, 'rate_limits')).toBe(true);
    // (b), (c), (d) over every commit the copies hold, this run's and any earlier ones.
    expect(tokenLinks(commits)).toEqual([]);
    // And for this run's pairs, spelled out: separate commits, and the spend holds no value of its issuance.
    for (const { issuance, spend } of complete) {
      expect(spend.id).not.toBe(issuance.id);
      const secret = [
        ...added(issuance, 'redemptions').flatMap((r) => [String(r.code_hash), String(r.blinded_hash)]),
        ...added(issuance, 'rate_limits').map((r) => String(r.key)),
      ];
      const rows = JSON.stringify(spend.tables);
      for (const v of secret) {
        expect(rows).not.toContain(v);
        expect(spend.pages.some((p) => p.includes(v))).toBe(false);
      }
    }
  });

  // Not the token path, but the same attack: a public response's commit counts its client's rate limit, as the
  // issuance's commit does. Were both counted under one per-address key, the two could be put together; each
  // limit has a key of its own (an HMAC of the limit's name and the address), so they share nothing.
  it('does not link a code holder to the public answers they give from the same address', async () => {
    const copies = new Copies(d1File());
    const [code] = demoCodes('masses_rep');
    if (!code) throw new Error('no unused masses_rep demo code');
    const [pair] = await round('ballot-groups-2026', [{ code, category: 'masses_rep' }], copies);
    const vote = defaultCatalog.instruments.find((i) => i.id === 'vote-service-2026');
    if (!vote) throw new Error('no vote-service-2026 in the catalog');
    const r = await post(`/api/v1/instruments/${vote.id}/responses`, {
      turnstileToken: DUMMY_TOKEN,
      answers: demoAnswers(vote, 'wal-replay/public'),
    });
    expect(r.status).toBe(201);
    const { receipt } = (await r.json()) as { receipt: string };
    copies.take();
    const commits = copies.replayAll();
    const issuance = commits.find((c) => added(c, 'redemptions').some((x) => x.blinded_hash === pair?.blindedHash));
    const answer = commits.find((c) => added(c, 'responses').some((x) => x.receipt === receipt));
    expect(issuance && answer && isPublicResponse(answer)).toBe(true);
    expect(publicLinks([issuance as CommitChange, answer as CommitChange])).toEqual([]);
  });
});
