// Objections (申诉 / 质询): filing with a credential, the objector's view by
// tracking number, the observers' queue and each step of the review, and the
// decisions made public. Every step is one guarded UPDATE of the row as it
// was read, its history entry and its audit entry, in one batch.
import { and, asc, count, desc, eq, exists, inArray, isNull, ne, type SQL, sql } from 'drizzle-orm';
import type { ObjectionStatus } from '../../domain/schemas/objection';
import type { Database } from '../env';
import type { Bucket } from '../guards/rate-limit';
import { type AuditInput, auditStatement, chained } from './audit';
import { bump, underLimit } from './rate-limits';
import { objectionCredentials as credentials, objectionEvents as events, objections, observers } from './schema';
import { changedBefore, oneRow, rowOf } from './sql';

export const OBJECTION_PAGE = 20;

const liveCredential = (hash: string, appraisal: string) =>
  and(eq(credentials.hash, hash), eq(credentials.appraisal, appraisal), isNull(credentials.revokedOn));

export interface NewObjection {
  id: string;
  trackingHash: string;
  appraisal: string;
  credentialHash: string;
  kind: (typeof objections.$inferInsert)['kind'];
  matter: string;
  grounds: string;
  attachments: string | null;
  contact: string;
  filedAt: string;
  acceptDue: string;
  answerDue: string;
}

/**
 * One batch: count the request; store the objection, taking its subject from
 * the credential, only if the credential is live for this appraisal and the
 * client is within its limit; its first history step; read what was stored.
 * A wrong credential and a client over the limit store nothing; the count
 * says which.
 */
export async function fileObjection(db: Database, o: NewObjection, requests: Bucket) {
  const [counted, , , [stored]] = await db.batch([
    bump(db, requests),
    db.insert(objections).select(
      db
        .select(
          rowOf(objections, {
            id: o.id,
            trackingHash: o.trackingHash,
            appraisal: o.appraisal,
            subjectKind: credentials.subjectKind,
            subjectId: credentials.subjectId,
            unit: credentials.unit,
            kind: o.kind,
            matter: o.matter,
            grounds: o.grounds,
            attachments: o.attachments,
            contact: o.contact,
            status: 'filed',
            filedAt: o.filedAt,
            acceptDue: o.acceptDue,
            answerDue: o.answerDue,
            assignee: null,
            refusal: null,
            decision: null,
            reasons: null,
            reply: null,
            answeredAt: null,
            public: false,
            updatedAt: o.filedAt,
          }),
        )
        .from(credentials)
        .where(and(liveCredential(o.credentialHash, o.appraisal), underLimit(db, requests))),
    ),
    db.insert(events).select(
      db
        .select(
          rowOf(events, {
            id: sql`NULL`,
            objection: o.id,
            at: o.filedAt,
            status: 'filed',
            observer: null,
            text: null,
            internal: false,
          }),
        )
        .from(oneRow())
        .where(changedBefore()),
    ),
    db
      .select({ subjectKind: objections.subjectKind, subjectId: objections.subjectId })
      .from(objections)
      .where(eq(objections.id, o.id)),
  ]);
  return {
    requests: counted[0]?.hits ?? 0,
    subject: stored ? { kind: stored.subjectKind, id: stored.subjectId } : null,
  };
}

const byTracking = (db: Database, trackingHash: string) =>
  db.select({ id: objections.id }).from(objections).where(eq(objections.trackingHash, trackingHash));

/** The objector's view, counted against the client's limit in the same batch. Internal notes never leave here. */
export async function trackObjection(db: Database, trackingHash: string, bucket: Bucket) {
  const [counted, [row], steps] = await db.batch([
    bump(db, bucket),
    db
      .select({
        appraisal: objections.appraisal,
        subjectKind: objections.subjectKind,
        subjectId: objections.subjectId,
        kind: objections.kind,
        matter: objections.matter,
        grounds: objections.grounds,
        attachments: objections.attachments,
        status: objections.status,
        filedAt: objections.filedAt,
        acceptDue: objections.acceptDue,
        answerDue: objections.answerDue,
        refusal: objections.refusal,
        decision: objections.decision,
        reasons: objections.reasons,
        reply: objections.reply,
        answeredAt: objections.answeredAt,
        public: objections.public,
      })
      .from(objections)
      .where(eq(objections.trackingHash, trackingHash)),
    db
      .select({ at: events.at, status: events.status })
      .from(events)
      .where(and(inArray(events.objection, byTracking(db, trackingHash)), eq(events.internal, false)))
      .orderBy(asc(events.id)),
  ]);
  return { hits: counted[0]?.hits ?? 0, objection: row ?? null, steps };
}

// The observers' side.

const listed = {
  id: objections.id,
  appraisal: objections.appraisal,
  subjectKind: objections.subjectKind,
  subjectId: objections.subjectId,
  unit: objections.unit,
  kind: objections.kind,
  matter: objections.matter,
  status: objections.status,
  filedAt: objections.filedAt,
  acceptDue: objections.acceptDue,
  answerDue: objections.answerDue,
  assignee: objections.assignee,
  assigneeName: observers.displayName,
  decision: objections.decision,
  public: objections.public,
  updatedAt: objections.updatedAt,
};

/** Still owed something, by the day given: not accepted by its acceptance deadline, or not answered by its answer deadline. */
const overdueOn = (today: string) =>
  sql`((${objections.status} = 'filed' AND ${objections.acceptDue} < ${today}) OR (${objections.status} NOT IN ('refused', 'answered') AND ${objections.answerDue} < ${today}))`;

export async function objectionQueue(
  db: Database,
  q: { appraisal?: string; status?: ObjectionStatus; overdue?: boolean; today: string; page: number },
) {
  const scope = q.appraisal ? eq(objections.appraisal, q.appraisal) : undefined;
  const filters = and(
    scope,
    q.status ? eq(objections.status, q.status) : undefined,
    q.overdue ? overdueOn(q.today) : undefined,
  );
  const [rows, [total], counts, [late]] = await db.batch([
    db
      .select(listed)
      .from(objections)
      .leftJoin(observers, eq(observers.id, objections.assignee))
      .where(filters)
      .orderBy(
        sql`CASE WHEN ${objections.status} IN ('refused', 'answered') THEN 1 ELSE 0 END`,
        asc(objections.answerDue),
        desc(objections.filedAt),
      )
      .limit(OBJECTION_PAGE)
      .offset((q.page - 1) * OBJECTION_PAGE),
    db.select({ n: count() }).from(objections).where(filters),
    db.select({ status: objections.status, n: count() }).from(objections).where(scope).groupBy(objections.status),
    db
      .select({ n: count() })
      .from(objections)
      .where(and(scope, overdueOn(q.today))),
  ]);
  return {
    rows,
    total: total?.n ?? 0,
    overdue: late?.n ?? 0,
    counts: Object.fromEntries(counts.map((r) => [r.status, r.n])) as Partial<Record<ObjectionStatus, number>>,
  };
}

export type ObjectionRow = NonNullable<Awaited<ReturnType<typeof objectionById>>>;

export async function objectionById(db: Database, id: string) {
  const [[row], steps] = await db.batch([
    db
      .select({
        ...listed,
        grounds: objections.grounds,
        attachments: objections.attachments,
        refusal: objections.refusal,
        reasons: objections.reasons,
        reply: objections.reply,
        answeredAt: objections.answeredAt,
      })
      .from(objections)
      .leftJoin(observers, eq(observers.id, objections.assignee))
      .where(eq(objections.id, id)),
    db
      .select({
        at: events.at,
        status: events.status,
        observerId: events.observer,
        observerName: observers.displayName,
        text: events.text,
        internal: events.internal,
      })
      .from(events)
      .leftJoin(observers, eq(observers.id, events.observer))
      .where(eq(events.objection, id))
      .orderBy(asc(events.id)),
  ]);
  return row ? { ...row, steps } : null;
}

/** The sealed contact, for the reveal route (which audits it). */
export async function objectionContact(db: Database, id: string) {
  const [row] = await db
    .select({ contact: objections.contact, assignee: objections.assignee })
    .from(objections)
    .where(eq(objections.id, id));
  return row ?? null;
}

export interface Step {
  id: string;
  /** `updatedAt` as read: a change made meanwhile makes the step change nothing (409). */
  was: string;
  set: Partial<typeof objections.$inferInsert>;
  /** The history entry: the status after the step, and its text. */
  event: { status: ObjectionStatus; text?: string | null; internal?: boolean; observer: string };
  audit: AuditInput;
  guard?: SQL;
}

/** One step of the review: the guarded UPDATE, its history entry and its audit entry, each only if the one before changed a row. */
export async function objectionStep(db: Database, s: Step): Promise<boolean> {
  const [result] = await chained(db, s.audit, (entry) =>
    db.batch([
      db
        .update(objections)
        .set({ ...s.set, updatedAt: s.audit.at })
        .where(and(eq(objections.id, s.id), eq(objections.updatedAt, s.was), s.guard)),
      db.insert(events).select(
        db
          .select(
            rowOf(events, {
              id: sql`NULL`,
              objection: s.id,
              at: s.audit.at,
              status: s.event.status,
              observer: s.event.observer,
              text: s.event.text ?? null,
              internal: s.event.internal ?? false,
            }),
          )
          .from(oneRow())
          .where(changedBefore()),
      ),
      auditStatement(db, entry, { guarded: true }),
    ]),
  );
  return result.meta.changes > 0;
}

/** Guards the steps share. */
export const objectionGuards = {
  status: (...s: ObjectionStatus[]) => inArray(objections.status, s),
  activeObserver: (db: Database, id: string) =>
    exists(
      db
        .select({ one: sql`1` })
        .from(observers)
        .where(and(eq(observers.id, id), eq(observers.disabled, false))),
    ),
  /** A decision about a person is never published. */
  notAPerson: () => ne(objections.subjectKind, 'official'),
};

/** Decisions made public, newest answer first. */
export function publicDecisions(db: Database, appraisal?: string) {
  return db
    .select({
      id: objections.id,
      appraisal: objections.appraisal,
      subjectKind: objections.subjectKind,
      subjectId: objections.subjectId,
      kind: objections.kind,
      matter: objections.matter,
      decision: objections.decision,
      reasons: objections.reasons,
      filedAt: objections.filedAt,
      answeredAt: objections.answeredAt,
    })
    .from(objections)
    .where(
      and(
        eq(objections.public, true),
        eq(objections.status, 'answered'),
        ne(objections.subjectKind, 'official'),
        appraisal ? eq(objections.appraisal, appraisal) : undefined,
      ),
    )
    .orderBy(desc(objections.answeredAt), asc(objections.id));
}

/** Open objections of an appraisal, for a ledger item to cite. */
export function objectionsOfUnit(db: Database, appraisal: string, unit: string) {
  return db
    .select({ id: objections.id, matter: objections.matter, decision: objections.decision, status: objections.status })
    .from(objections)
    .where(and(eq(objections.appraisal, appraisal), eq(objections.unit, unit)))
    .orderBy(desc(objections.filedAt));
}
