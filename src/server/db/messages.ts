// Opinion-box queries. The sender's side finds a message by the HMAC of its
// tracking number only; the observers' side never sees that hash. Observer
// changes are guarded by the state they were read in and audited in the same
// batch (see audit.ts).
import { and, asc, count, desc, eq, exists, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { MessageEventKind, MessageStatus } from '../../domain/schemas/message';
import type { Database } from '../env';
import type { Bucket } from '../guards/rate-limit';
import { type AuditInput, auditStatement, chained } from './audit';
import type { Viewer } from './observers';
import { bump, underLimit } from './rate-limits';
import { messageEvents, messages, messageNotes as notes, observers, observerUnits } from './schema';
import { changedBefore, inList, oneRow, rowOf } from './sql';

export const MESSAGE_PAGE = 20;

export type NewMessage = Pick<
  typeof messages.$inferInsert,
  | 'id'
  | 'trackingHash'
  | 'appraisal'
  | 'subjectKind'
  | 'subjectId'
  | 'unit'
  | 'topic'
  | 'body'
  | 'contact'
  | 'receivedAt'
  | 'dueOn'
  | 'publishConsent'
>;

/**
 * The observer responsible for a unit (分片负责), read in the statement that
 * stores the message: an active observer with the unit in scope, observers
 * before leads, then by name, so the same unit always goes to the same person.
 */
export const responsibleFor = (db: Database, unit: string | null | undefined) =>
  unit
    ? sql`(${db
        .select({ id: observerUnits.observer })
        .from(observerUnits)
        .innerJoin(observers, and(eq(observers.id, observerUnits.observer), eq(observers.disabled, false)))
        .where(eq(observerUnits.unit, unit))
        .orderBy(sql`${observers.role} = 'lead'`, asc(observers.displayName), asc(observers.id))
        .limit(1)})`
    : null;

/** A history entry of the message the statement before changed (the status as it now is). */
export const eventAfter = (db: Database, where: SQL, kind: MessageEventKind, at: string, text: string | null = null) =>
  db.insert(messageEvents).select(
    db
      .select(rowOf(messageEvents, { id: sql`NULL`, message: messages.id, at, kind, status: messages.status, text }))
      .from(messages)
      .where(and(where, changedBefore())),
  );

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
            topic: m.topic ?? 'other',
            body: m.body,
            contact: m.contact ?? null,
            status: 'received',
            reply: null,
            repliedAt: null,
            assignee: responsibleFor(db, m.unit) ?? null,
            receivedAt: m.receivedAt,
            updatedAt: m.receivedAt,
            dueOn: m.dueOn ?? null,
            publishConsent: m.publishConsent ?? false,
            published: false,
            rating: null,
            reopenedAt: null,
          }),
        )
        .from(oneRow())
        .where(underLimit(db, bucket)),
    ),
    eventAfter(db, eq(messages.id, m.id), 'received', m.receivedAt),
  ]);
  // The only guard is the limit: nothing stored means the client is over it.
  return insert.meta.changes > 0 ? 'stored' : 'rate_limited';
}

/** The steps of a message, oldest first. */
export const messageHistory = (db: Database, where: SQL) =>
  db
    .select({ at: messageEvents.at, kind: messageEvents.kind, status: messageEvents.status, text: messageEvents.text })
    .from(messageEvents)
    .innerJoin(messages, eq(messages.id, messageEvents.message))
    .where(where)
    .orderBy(asc(messageEvents.id));

/** The steps of one message, for the console. */
export const messageSteps = (db: Database, id: string) => messageHistory(db, eq(messages.id, id));

/** The sender's view, counting the lookup against the client's limit in the same batch. */
export async function trackMessage(db: Database, trackingHash: string, bucket: Bucket) {
  const mine = eq(messages.trackingHash, trackingHash);
  const [counted, [message], history] = await db.batch([
    bump(db, bucket),
    db
      .select({
        appraisal: messages.appraisal,
        subjectKind: messages.subjectKind,
        subjectId: messages.subjectId,
        topic: messages.topic,
        body: messages.body,
        status: messages.status,
        receivedAt: messages.receivedAt,
        updatedAt: messages.updatedAt,
        dueOn: messages.dueOn,
        reply: messages.reply,
        repliedAt: messages.repliedAt,
        rating: messages.rating,
        reopenedAt: messages.reopenedAt,
        publishConsent: messages.publishConsent,
        published: messages.published,
      })
      .from(messages)
      .where(mine),
    messageHistory(db, mine),
  ]);
  return { hits: counted[0]?.hits ?? 0, message: message ?? null, history };
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
  topic: messages.topic,
};

/** A message as observers see it (never its tracking hash), with whether it is in this viewer's scope. */
const observed = (db: Database, scope: SQL.Aliased<number>) =>
  db
    .select({
      ...which,
      body: messages.body,
      hasContact: sql<number>`(${messages.contact} IS NOT NULL)`,
      status: messages.status,
      receivedAt: messages.receivedAt,
      updatedAt: messages.updatedAt,
      dueOn: messages.dueOn,
      assignee: messages.assignee,
      assigneeName: observers.displayName,
      reply: messages.reply,
      repliedAt: messages.repliedAt,
      rating: messages.rating,
      publishConsent: messages.publishConsent,
      published: messages.published,
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
        sql`CASE ${messages.status} WHEN 'closed' THEN 2 WHEN 'answered' THEN 1 ELSE 0 END`,
        asc(messages.dueOn),
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

/**
 * One guarded UPDATE of a message as it was read (`updatedAt`), its audit
 * entry and, for a step its writer sees, its history entry.
 */
async function updateMessage(
  db: Database,
  id: string,
  was: string,
  set: Partial<typeof messages.$inferInsert>,
  audit: AuditInput,
  guard?: SQL,
  step?: MessageEventKind,
): Promise<boolean> {
  const [result] = await chained(db, audit, (entry) =>
    db.batch([
      db
        .update(messages)
        .set({ ...set, updatedAt: audit.at })
        .where(and(eq(messages.id, id), eq(messages.updatedAt, was), guard)),
      auditStatement(db, entry, { guarded: true }),
      ...(step ? [eventAfter(db, eq(messages.id, id), step, audit.at)] : []),
    ]),
  );
  return result.meta.changes > 0;
}

export const setMessageStatus = (db: Database, id: string, was: string, status: MessageStatus, audit: AuditInput) =>
  updateMessage(db, id, was, { status }, audit, undefined, 'status');

/** The public reply; giving one marks the message answered. */
export const replyToMessage = (db: Database, id: string, was: string, text: string, audit: AuditInput) =>
  updateMessage(db, id, was, { reply: text, repliedAt: audit.at, status: 'answered' }, audit, undefined, 'replied');

/** Publish (only with the writer's consent, only once answered) or withdraw. */
export const publishMessage = (db: Database, id: string, was: string, published: boolean, audit: AuditInput) =>
  updateMessage(
    db,
    id,
    was,
    { published },
    audit,
    published ? and(eq(messages.publishConsent, true), sql`${messages.status} IN ('answered', 'closed')`) : undefined,
  );

/** The sealed contact and who may reveal it (the assignee). */
export async function messageContact(db: Database, id: string) {
  const [row] = await db
    .select({ contact: messages.contact, assignee: messages.assignee })
    .from(messages)
    .where(eq(messages.id, id));
  return row ?? null;
}

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
