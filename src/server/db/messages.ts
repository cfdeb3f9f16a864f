// Opinion-box queries. The sender's side finds a message by the HMAC of its
// tracking number only; the observers' side never sees that hash. Observer
// changes are guarded by the state they were read in and audited in the same
// batch (see audit.ts).
import { and, asc, count, desc, eq, exists, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { MessageStatus } from '../../domain/schemas/message';
import type { Database } from '../env';
import type { Bucket } from '../guards/rate-limit';
import { type AuditInput, auditStatement, chained } from './audit';
import type { Viewer } from './observers';
import { bump, underLimit } from './rate-limits';
import { messages, messageNotes as notes, observers } from './schema';
import { inList, oneRow, rowOf } from './sql';

export const MESSAGE_PAGE = 20;

export type NewMessage = Pick<
  typeof messages.$inferInsert,
  'id' | 'trackingHash' | 'appraisal' | 'subjectKind' | 'subjectId' | 'unit' | 'body' | 'contact' | 'receivedAt'
>;

export async function insertMessage(db: Database, m: NewMessage, bucket: Bucket): Promise<'stored' | 'rate_limited'> {
  const [, insert] = await db.batch([
    bump(db, bucket),
    db.insert(messages).select(
      db
        .select(
          rowOf(messages, {
            id: m.id,
            trackingHash: m.trackingHash,
            appraisal: m.appraisal,
            subjectKind: m.subjectKind ?? null,
            subjectId: m.subjectId ?? null,
            unit: m.unit ?? null,
            body: m.body,
            contact: m.contact ?? null,
            status: 'received',
            reply: null,
            repliedAt: null,
            assignee: null,
            receivedAt: m.receivedAt,
            updatedAt: m.receivedAt,
          }),
        )
        .from(oneRow())
        .where(underLimit(db, bucket)),
    ),
  ]);
  // The only guard is the limit: nothing stored means the client is over it.
  return insert.meta.changes > 0 ? 'stored' : 'rate_limited';
}

/** The sender's view, counting the lookup against the client's limit in the same batch. */
export async function trackMessage(db: Database, trackingHash: string, bucket: Bucket) {
  const [counted, [message]] = await db.batch([
    bump(db, bucket),
    db
      .select({
        appraisal: messages.appraisal,
        subjectKind: messages.subjectKind,
        subjectId: messages.subjectId,
        body: messages.body,
        status: messages.status,
        receivedAt: messages.receivedAt,
        updatedAt: messages.updatedAt,
        reply: messages.reply,
        repliedAt: messages.repliedAt,
      })
      .from(messages)
      .where(eq(messages.trackingHash, trackingHash)),
  ]);
  return { hits: counted[0]?.hits ?? 0, message: message ?? null };
}

// The observers' side.

/**
 * In scope: a lead; a message assigned to this observer; one about its units;
 * or one nobody has taken that concerns no unit (the appraisal as a whole).
 */
const inScope = (v: Viewer) =>
  v.lead
    ? sql<number>`1`
    : sql<number>`${or(
        eq(messages.assignee, v.id),
        inList(messages.unit, v.units),
        and(isNull(messages.unit), isNull(messages.assignee)),
      )}`;

/** Which message, and what it is about: the first columns of every observers' read. */
const which = {
  id: messages.id,
  appraisal: messages.appraisal,
  subjectKind: messages.subjectKind,
  subjectId: messages.subjectId,
  unit: messages.unit,
};

/** A message as observers see it (never its tracking hash), with whether it is in this viewer's scope. */
const observed = (db: Database, scope: SQL.Aliased<number>) =>
  db
    .select({
      ...which,
      body: messages.body,
      contact: messages.contact,
      status: messages.status,
      receivedAt: messages.receivedAt,
      updatedAt: messages.updatedAt,
      assignee: messages.assignee,
      assigneeName: observers.displayName,
      reply: messages.reply,
      repliedAt: messages.repliedAt,
      inScope: scope,
    })
    .from(messages)
    .leftJoin(observers, eq(observers.id, messages.assignee));

export type MessageRow = Awaited<ReturnType<typeof observed>>[number];

export async function messageQueue(
  db: Database,
  q: { viewer: Viewer; status?: MessageStatus; mine: boolean; appraisal?: string; unit?: string; page: number },
) {
  const scope = and(
    q.mine ? inScope(q.viewer) : undefined,
    q.appraisal ? eq(messages.appraisal, q.appraisal) : undefined,
    q.unit ? eq(messages.unit, q.unit) : undefined,
  );
  const filters = and(scope, q.status ? eq(messages.status, q.status) : undefined);
  const scoped = inScope(q.viewer).as('inScope');
  const [rows, [total], counts] = await db.batch([
    observed(db, scoped)
      .where(filters)
      .orderBy(
        desc(scoped),
        sql`CASE ${messages.status} WHEN 'closed' THEN 1 ELSE 0 END`,
        desc(messages.receivedAt),
        desc(sql`${messages}.rowid`),
      )
      .limit(MESSAGE_PAGE)
      .offset((q.page - 1) * MESSAGE_PAGE),
    db.select({ n: count() }).from(messages).where(filters),
    db.select({ status: messages.status, n: count() }).from(messages).where(scope).groupBy(messages.status),
  ]);
  return {
    rows,
    total: total?.n ?? 0,
    counts: Object.fromEntries(counts.map((r) => [r.status, r.n])) as Partial<Record<MessageStatus, number>>,
  };
}

export async function messageById(db: Database, id: string, viewer: Viewer) {
  return (await observed(db, inScope(viewer).as('inScope')).where(eq(messages.id, id)).get()) ?? null;
}

export function messageNotes(db: Database, id: string) {
  return db
    .select({ at: notes.at, observerId: notes.observer, observerName: observers.displayName, text: notes.text })
    .from(notes)
    .leftJoin(observers, eq(observers.id, notes.observer))
    .where(eq(notes.message, id))
    .orderBy(asc(notes.id));
}

/** One guarded UPDATE of a message as it was read (`updatedAt`), and its audit entry. */
async function updateMessage(
  db: Database,
  id: string,
  was: string,
  set: Partial<typeof messages.$inferInsert>,
  audit: AuditInput,
  guard?: SQL,
): Promise<boolean> {
  const [result] = await chained(db, audit, (entry) =>
    db.batch([
      db
        .update(messages)
        .set({ ...set, updatedAt: audit.at })
        .where(and(eq(messages.id, id), eq(messages.updatedAt, was), guard)),
      auditStatement(db, entry, { guarded: true }),
    ]),
  );
  return result.meta.changes > 0;
}

export const setMessageStatus = (db: Database, id: string, was: string, status: MessageStatus, audit: AuditInput) =>
  updateMessage(db, id, was, { status }, audit);

/** The public reply; giving one marks the message answered. */
export const replyToMessage = (db: Database, id: string, was: string, text: string, audit: AuditInput) =>
  updateMessage(db, id, was, { reply: text, repliedAt: audit.at, status: 'answered' }, audit);

/** Only to an active observer: the guard reads the observers table in the same statement. */
export const assignMessage = (db: Database, id: string, was: string, assignee: string, audit: AuditInput) =>
  updateMessage(
    db,
    id,
    was,
    { assignee },
    audit,
    exists(
      db
        .select({ one: sql`1` })
        .from(observers)
        .where(and(eq(observers.id, assignee), eq(observers.disabled, false))),
    ),
  );

export async function addMessageNote(
  db: Database,
  n: { message: string; observer: string; text: string; audit: AuditInput },
): Promise<boolean> {
  const [result] = await chained(db, n.audit, (entry) =>
    db.batch([
      db.insert(notes).select(
        db
          .select(
            rowOf(notes, { id: sql`NULL`, message: n.message, observer: n.observer, at: n.audit.at, text: n.text }),
          )
          .from(oneRow())
          .where(exists(db.select({ one: sql`1` }).from(messages).where(eq(messages.id, n.message)))),
      ),
      auditStatement(db, entry, { guarded: true }),
    ]),
  );
  return result.meta.changes > 0;
}

/** Every message, oldest first, for the department's report (contact details are not exported). */
export function allMessages(db: Database, appraisal?: string) {
  return db
    .select({
      ...which,
      status: messages.status,
      receivedAt: messages.receivedAt,
      updatedAt: messages.updatedAt,
      assigneeName: observers.displayName,
      body: messages.body,
      reply: messages.reply,
      repliedAt: messages.repliedAt,
      hasContact: sql<number>`(${messages.contact} IS NOT NULL)`.as('hasContact'),
      notes: sql<number>`${db.select({ n: count() }).from(notes).where(eq(notes.message, messages.id))}`.as('notes'),
    })
    .from(messages)
    .leftJoin(observers, eq(observers.id, messages.assignee))
    .where(appraisal === undefined ? undefined : eq(messages.appraisal, appraisal))
    .orderBy(asc(messages.receivedAt), asc(messages.id));
}
