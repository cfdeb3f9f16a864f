// The audit log of observer actions. An entry is written in the same D1 batch
// as the change it records, right after it, and only if that change happened
// (`changes()` of the statement before): a refused or stale action leaves no
// entry, and an entry never exists without its change. The table is
// append-only (triggers in migrations/0004_audit_append_only.sql) and a hash
// chain (src/domain/audit-chain.ts): an entry is sealed onto the head read
// just before its batch, and the database accepts it only as the head's next
// link (migrations/0015_audit_chain_trigger.sql). When another action got
// there first, the whole batch is refused and rolls back, and `chained` seals
// the entry again on the new head and runs the batch again.
import { and, asc, count, desc, eq, getTableColumns } from 'drizzle-orm';
import { AUDIT_GENESIS, auditEntryHash } from '../../domain/audit-chain';
import type { Database } from '../env';
import { auditLog, forumPosts, forumThreads, messages, objections, observers, rectificationItems } from './schema';
import { changedBefore, inList, oneRow, rowOf } from './sql';

type AuditRow = typeof auditLog.$inferInsert;

export type AuditInput = Pick<AuditRow, 'at' | 'action' | 'targetKind' | 'targetId' | 'requestId'> & {
  /** null: the CLI. */
  observer: string | null;
  /** The changed fields before and after (stored as JSON). */
  before?: unknown;
  after?: unknown;
};

/** An entry with its place in the chain: what is inserted. */
export type SealedAudit = Required<Omit<AuditRow, 'prevHash' | 'hash'>> & { prevHash: string; hash: string };

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/** The chain's last entry (null for an empty log). */
export const auditHead = (db: Database) =>
  db
    .select({ id: auditLog.id, at: auditLog.at, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.id))
    .limit(1);

/** The entry as the next link after `head`. */
async function seal(a: AuditInput, head: { id: number; hash: string | null } | undefined): Promise<SealedAudit> {
  const row = {
    id: (head?.id ?? 0) + 1,
    prevHash: head?.hash ?? AUDIT_GENESIS,
    at: a.at,
    observer: a.observer,
    action: a.action,
    targetKind: a.targetKind,
    targetId: a.targetId,
    before: json(a.before),
    after: json(a.after),
    requestId: a.requestId ?? null,
  };
  return { ...row, hash: await auditEntryHash(row) };
}

const CHAIN_ATTEMPTS = 30;
/** The trigger's refusal, however drizzle and D1 wrap it. */
const chainMoved = (e: unknown): boolean =>
  e instanceof Error && (/audit_chain_moved/.test(e.message) || chainMoved(e.cause));

/**
 * Run `write` (a batch holding `auditStatement(db, entry)`) with the entry
 * sealed onto the current head; again on the new head while another action
 * takes the place first. D1 runs batches one at a time, so each round at
 * least one of the contenders succeeds.
 */
export function chained<T>(db: Database, a: AuditInput, write: (entry: SealedAudit) => Promise<T>): Promise<T> {
  return chainedAll(db, [a], ([entry]) => write(entry as SealedAudit));
}

/**
 * `chained` for a batch that writes several entries, each the next link after
 * the one before (a keyed sheet that is also counted). Each entry's statement
 * must be guarded on the one before it, so that either all are written or a
 * refused step leaves out every later one.
 */
export async function chainedAll<T>(
  db: Database,
  as: AuditInput[],
  write: (entries: SealedAudit[]) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const [head] = await auditHead(db);
    try {
      const entries: SealedAudit[] = [];
      let link: { id: number; hash: string | null } | undefined = head;
      for (const a of as) {
        const entry = await seal(a, link);
        entries.push(entry);
        link = entry;
      }
      return await write(entries);
    } catch (e) {
      if (!chainMoved(e) || attempt >= CHAIN_ATTEMPTS) throw e;
      // A little jitter, so contenders that lost together do not meet again.
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }
}

/** The INSERT of one sealed entry; `guarded`: only if the statement just before it changed a row. */
export function auditStatement(db: Database, entry: SealedAudit, opts: { guarded?: boolean } = {}) {
  if (!opts.guarded) return db.insert(auditLog).values(entry);
  return db.insert(auditLog).select(db.select(rowOf(auditLog, entry)).from(oneRow()).where(changedBefore()));
}

export const AUDIT_PAGE = 50;

/** Every stored column but the observer, which `entries` names and `auditChain` keeps as its id. */
const { observer: _observer, ...stored } = getTableColumns(auditLog);

const entries = (db: Database) =>
  db
    .select({ ...stored, observerId: auditLog.observer, observerName: observers.displayName })
    .from(auditLog)
    .leftJoin(observers, eq(observers.id, auditLog.observer));

/** An entry as stored, with its observer's name: src/server/audit-text.ts puts it in words. */
export type RawAuditEntry = Awaited<ReturnType<typeof entries>>[number];

/** Newest first; optionally the entries of one target (a post, a message); and the chain's head. */
export async function listAudit(db: Database, opts: { page: number; target?: { kind: string; id: string } }) {
  const where = opts.target
    ? and(eq(auditLog.targetKind, opts.target.kind), eq(auditLog.targetId, opts.target.id))
    : undefined;
  const [rows, [total], [head]] = await db.batch([
    entries(db)
      .where(where)
      .orderBy(desc(auditLog.id))
      .limit(AUDIT_PAGE)
      .offset((opts.page - 1) * AUDIT_PAGE),
    db.select({ n: count() }).from(auditLog).where(where),
    auditHead(db),
  ]);
  return {
    entries: rows,
    total: total?.n ?? 0,
    head: head?.hash ? { id: head.id, at: head.at, hash: head.hash } : null,
  };
}

/** Every entry, oldest first (the export). */
export function allAudit(db: Database): Promise<RawAuditEntry[]> {
  return entries(db).orderBy(asc(auditLog.id));
}

/** Every entry with its links, oldest first (`npm run audit:verify`). */
export function auditChain(db: Database) {
  return db
    .select({ ...stored, observer: auditLog.observer })
    .from(auditLog)
    .orderBy(asc(auditLog.id));
}

/** What the entries name by id, for putting them in words: observers, posts (their thread), messages (their subject). */
export async function auditNames(
  db: Database,
  ids: { observers: string[]; posts: string[]; messages: string[]; objections: string[]; ledger: string[] },
) {
  const [people, posts, about, objected, items] = await db.batch([
    db
      .select({ id: observers.id, name: observers.displayName })
      .from(observers)
      .where(inList(observers.id, ids.observers)),
    db
      .select({ id: forumPosts.id, title: forumThreads.title, opening: forumPosts.opening })
      .from(forumPosts)
      .innerJoin(forumThreads, eq(forumThreads.id, forumPosts.thread))
      .where(inList(forumPosts.id, ids.posts)),
    db
      .select({ id: messages.id, subjectKind: messages.subjectKind, subjectId: messages.subjectId })
      .from(messages)
      .where(inList(messages.id, ids.messages)),
    db
      .select({ id: objections.id, subjectKind: objections.subjectKind, subjectId: objections.subjectId })
      .from(objections)
      .where(inList(objections.id, ids.objections)),
    db
      .select({ id: rectificationItems.id, unit: rectificationItems.unit })
      .from(rectificationItems)
      .where(inList(rectificationItems.id, ids.ledger)),
  ]);
  return {
    observers: new Map(people.map((r) => [r.id, r.name])),
    posts: new Map(posts.map((r) => [r.id, r])),
    messages: new Map(about.map((r) => [r.id, r])),
    objections: new Map(objected.map((r) => [r.id, r])),
    ledger: new Map(items.map((r) => [r.id, r.unit])),
  };
}
export type AuditNames = Awaited<ReturnType<typeof auditNames>>;
