// Opinion-box queries. The sender's side finds a message by the HMAC of its
// tracking number only; the observers' side never sees that hash. Observer
// changes are guarded by the state they were read in and audited in the same
// batch (see audit.ts).
import type { MessageStatus } from '../../domain/schemas/message';
import type { Bucket } from '../guards/rate-limit';
import { bumpStatement } from '../guards/rate-limit';
import { type AuditInput, auditStatement, named } from './audit';
import type { Viewer } from './observers';

export const MESSAGE_PAGE = 20;

export interface NewMessage {
  id: string;
  trackingHash: string;
  appraisal: string;
  subjectKind: 'unit' | 'official' | null;
  subjectId: string | null;
  unit: string | null;
  body: string;
  contact: string | null;
  receivedAt: string;
}

export async function insertMessage(db: D1Database, m: NewMessage, bucket: Bucket): Promise<'stored' | 'rate_limited'> {
  const [, insert] = await db.batch([
    bumpStatement(db, bucket),
    named(
      db,
      `INSERT INTO messages (id, tracking_hash, appraisal, subject_kind, subject_id, unit, body, contact, status, received_at, updated_at)
       SELECT ?id, ?th, ?a, ?sk, ?si, ?u, ?body, ?contact, 'received', ?at, ?at
       WHERE (SELECT hits FROM rate_limits WHERE key = ?k AND window = ?w) <= ?max`,
      {
        id: m.id,
        th: m.trackingHash,
        a: m.appraisal,
        sk: m.subjectKind,
        si: m.subjectId,
        u: m.unit,
        body: m.body,
        contact: m.contact,
        at: m.receivedAt,
        k: bucket.key,
        w: bucket.window,
        max: bucket.limit.max,
      },
    ),
  ]);
  // The only guard is the limit: nothing stored means the client is over it.
  return (insert?.meta.changes ?? 0) > 0 ? 'stored' : 'rate_limited';
}

export interface TrackedRow {
  appraisal: string;
  subjectKind: 'unit' | 'official' | null;
  subjectId: string | null;
  body: string;
  status: MessageStatus;
  receivedAt: string;
  updatedAt: string;
  reply: string | null;
  repliedAt: string | null;
}

/** The sender's view, counting the lookup against the client's limit in the same batch. */
export async function trackMessage(db: D1Database, trackingHash: string, bucket: Bucket) {
  const [bump, row] = await db.batch<Record<string, unknown>>([
    bumpStatement(db, bucket),
    db
      .prepare(
        `SELECT appraisal, subject_kind AS subjectKind, subject_id AS subjectId, body, status,
           received_at AS receivedAt, updated_at AS updatedAt, reply, replied_at AS repliedAt
         FROM messages WHERE tracking_hash = ?1`,
      )
      .bind(trackingHash),
  ]);
  return {
    hits: Number(bump?.results[0]?.hits ?? 0),
    message: (row?.results[0] as unknown as TrackedRow | undefined) ?? null,
  };
}

// The observers' side.

export interface MessageRow {
  id: string;
  appraisal: string;
  subjectKind: 'unit' | 'official' | null;
  subjectId: string | null;
  unit: string | null;
  body: string;
  contact: string | null;
  status: MessageStatus;
  receivedAt: string;
  updatedAt: string;
  assignee: string | null;
  assigneeName: string | null;
  reply: string | null;
  repliedAt: string | null;
  inScope: number;
}

/**
 * In scope: a lead; a message assigned to this observer; one about its units;
 * or one nobody has taken that concerns no unit (the appraisal as a whole).
 */
const IN_SCOPE = `(?lead = 1 OR m.assignee = ?me OR m.unit IN (SELECT value FROM json_each(?units))
  OR (m.unit IS NULL AND m.assignee IS NULL))`;

const SELECT = `SELECT m.id, m.appraisal, m.subject_kind AS subjectKind, m.subject_id AS subjectId, m.unit, m.body,
  m.contact, m.status, m.received_at AS receivedAt, m.updated_at AS updatedAt, m.assignee,
  o.display_name AS assigneeName, m.reply, m.replied_at AS repliedAt, ${IN_SCOPE} AS inScope
  FROM messages m LEFT JOIN observers o ON o.id = m.assignee`;

const viewerParams = (v: Viewer) => ({ lead: v.lead ? 1 : 0, me: v.id, units: JSON.stringify(v.units) });

export async function messageQueue(
  db: D1Database,
  q: { viewer: Viewer; status?: MessageStatus; mine: boolean; appraisal?: string; unit?: string; page: number },
) {
  const scope = [q.mine ? IN_SCOPE : '1', q.appraisal ? 'm.appraisal = ?a' : '1', q.unit ? 'm.unit = ?unit' : '1'].join(
    ' AND ',
  );
  const filters = `${scope} AND ${q.status ? 'm.status = ?status' : '1'}`;
  const params = {
    ...viewerParams(q.viewer),
    ...(q.appraisal ? { a: q.appraisal } : {}),
    ...(q.unit ? { unit: q.unit } : {}),
    ...(q.status ? { status: q.status } : {}),
  };
  const listSql = `${SELECT} WHERE ${filters}
    ORDER BY inScope DESC, CASE m.status WHEN 'closed' THEN 1 ELSE 0 END, m.received_at DESC, m.rowid DESC
    LIMIT ${MESSAGE_PAGE} OFFSET ${(q.page - 1) * MESSAGE_PAGE}`;
  const totalSql = `SELECT count(*) AS n FROM messages m WHERE ${filters}`;
  const countsSql = `SELECT m.status, count(*) AS n FROM messages m WHERE ${scope} GROUP BY m.status`;
  const [rows, total, counts] = await db.batch<Record<string, unknown>>([
    named(db, listSql, params),
    named(db, totalSql, params),
    named(db, countsSql, params),
  ]);
  return {
    rows: (rows?.results ?? []) as unknown as MessageRow[],
    total: Number(total?.results[0]?.n ?? 0),
    counts: Object.fromEntries((counts?.results ?? []).map((r) => [String(r.status), Number(r.n)])),
  };
}

export function messageById(db: D1Database, id: string, viewer: Viewer) {
  const sql = `${SELECT} WHERE m.id = ?id`;
  return named(db, sql, { ...viewerParams(viewer), id }).first<MessageRow>();
}

export async function messageNotes(db: D1Database, id: string) {
  const { results } = await db
    .prepare(
      `SELECT n.at, n.observer AS observerId, o.display_name AS observerName, n.text
       FROM message_notes n LEFT JOIN observers o ON o.id = n.observer WHERE n.message = ?1 ORDER BY n.id`,
    )
    .bind(id)
    .all<{ at: string; observerId: string | null; observerName: string | null; text: string }>();
  return results;
}

/** One guarded UPDATE of a message as it was read (`updatedAt`), and its audit entry. */
async function updateMessage(
  db: D1Database,
  id: string,
  was: string,
  set: string,
  params: Record<string, string | number | null>,
  audit: AuditInput,
  guard = '1',
): Promise<boolean> {
  const [result] = await db.batch([
    named(db, `UPDATE messages SET ${set}, updated_at = ?now WHERE id = ?id AND updated_at = ?was AND ${guard}`, {
      ...params,
      id,
      was,
      now: audit.at,
    }),
    auditStatement(db, audit, { guarded: true }),
  ]);
  return (result?.meta.changes ?? 0) > 0;
}

export const setMessageStatus = (db: D1Database, id: string, was: string, status: MessageStatus, audit: AuditInput) =>
  updateMessage(db, id, was, 'status = ?status', { status }, audit);

/** The public reply; giving one marks the message answered. */
export const replyToMessage = (db: D1Database, id: string, was: string, text: string, audit: AuditInput) =>
  updateMessage(db, id, was, "reply = ?reply, replied_at = ?now, status = 'answered'", { reply: text }, audit);

/** Only to an active observer: the guard reads the observers table in the same statement. */
export const assignMessage = (db: D1Database, id: string, was: string, assignee: string, audit: AuditInput) =>
  updateMessage(
    db,
    id,
    was,
    'assignee = ?to',
    { to: assignee },
    audit,
    'EXISTS (SELECT 1 FROM observers WHERE id = ?to AND disabled = 0)',
  );

export async function addMessageNote(
  db: D1Database,
  n: { message: string; observer: string; text: string; audit: AuditInput },
): Promise<boolean> {
  const [result] = await db.batch([
    named(
      db,
      'INSERT INTO message_notes (message, observer, at, text) SELECT ?m, ?o, ?at, ?text WHERE EXISTS (SELECT 1 FROM messages WHERE id = ?m)',
      { m: n.message, o: n.observer, at: n.audit.at, text: n.text },
    ),
    auditStatement(db, n.audit, { guarded: true }),
  ]);
  return (result?.meta.changes ?? 0) > 0;
}

/** Every message, oldest first, for the department's report (contact details are not exported). */
export async function allMessages(db: D1Database, appraisal?: string) {
  const { results } = await db
    .prepare(
      `SELECT m.id, m.appraisal, m.subject_kind AS subjectKind, m.subject_id AS subjectId, m.unit, m.status,
         m.received_at AS receivedAt, m.updated_at AS updatedAt, o.display_name AS assigneeName,
         m.body, m.reply, m.replied_at AS repliedAt, (m.contact IS NOT NULL) AS hasContact,
         (SELECT count(*) FROM message_notes n WHERE n.message = m.id) AS notes
       FROM messages m LEFT JOIN observers o ON o.id = m.assignee
       WHERE ?1 IS NULL OR m.appraisal = ?1 ORDER BY m.received_at, m.id`,
    )
    .bind(appraisal ?? null)
    .all<Record<string, string | number | null>>();
  return results;
}
