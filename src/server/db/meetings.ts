// Meetings and the keying of their paper sheets. Every write is one batch
// with its audit entries; what the route decided from a read (the pass, the
// agreement of two readings) is said again in SQL, so a keying that raced
// another one changes nothing. The database itself refuses a serial counted
// twice (primary key), a count over returned − spoilt and a correction below
// the counted ballots (triggers of migrations/0018): the batch then rolls back
// whole, keyings and audit entries with it.
import { and, asc, eq, exists, ne, not, sql } from 'drizzle-orm';
import type { Database } from '../env';
import { type AuditInput, auditStatement, chained, chainedAll } from './audit';
import { meetings, observers, paperBallots, paperKeyings } from './schema';
import { changedBefore, oneRow, rowOf } from './sql';

export type MeetingRow = typeof meetings.$inferSelect;
export type KeyingRow = typeof paperKeyings.$inferSelect;

const counted =
  sql<number>`(SELECT count(*) FROM ${paperBallots} WHERE ${paperBallots.meeting} = ${meetings.id})`.mapWith(Number);
const passes = (n: number) =>
  sql<number>`(SELECT count(*) FROM ${paperKeyings} WHERE ${paperKeyings.meeting} = ${meetings.id} AND ${paperKeyings.pass} = ${n})`.mapWith(
    Number,
  );

/** Meetings (of an instrument), newest first, with the ballots counted and the sheets keyed once or in dispute. */
export function meetingList(db: Database, instrument?: string) {
  return db
    .select({ meeting: meetings, counted, pass1: passes(1), pass2: passes(2) })
    .from(meetings)
    .where(instrument ? eq(meetings.instrument, instrument) : undefined)
    .orderBy(sql`${meetings.heldOn} DESC`, asc(meetings.recordedAt), asc(meetings.id));
}
export type MeetingListRow = Awaited<ReturnType<typeof meetingList>>[number];

export async function meetingById(db: Database, id: string) {
  const [row] = await db.select({ meeting: meetings, counted }).from(meetings).where(eq(meetings.id, id));
  return row ?? null;
}

export async function addMeeting(db: Database, row: MeetingRow, audit: AuditInput) {
  await chained(db, audit, (entry) =>
    db.batch([db.insert(meetings).values(row), auditStatement(db, entry, { guarded: true })]),
  );
}

/** A correction of returned/spoilt; the trigger refuses one below the ballots already counted. */
export async function changeMeeting(
  db: Database,
  id: string,
  set: Partial<Pick<MeetingRow, 'returned' | 'spoilt'>>,
  audit: AuditInput,
): Promise<boolean> {
  const [result] = await chained(db, audit, (entry) =>
    db.batch([db.update(meetings).set(set).where(eq(meetings.id, id)), auditStatement(db, entry, { guarded: true })]),
  );
  return result.meta.changes > 0;
}

/** The keyings of one sheet of a meeting. */
export const sheetKeyings = (db: Database, meeting: string, serial: string) =>
  db
    .select()
    .from(paperKeyings)
    .where(and(eq(paperKeyings.meeting, meeting), eq(paperKeyings.serial, serial)))
    .orderBy(asc(paperKeyings.pass));

/** Every pending keying of a meeting with its observer's name, by serial. */
export const meetingKeyings = (db: Database, meeting: string) =>
  db
    .select({ keying: paperKeyings, name: observers.displayName })
    .from(paperKeyings)
    .leftJoin(observers, eq(observers.id, paperKeyings.observer))
    .where(eq(paperKeyings.meeting, meeting))
    .orderBy(asc(paperKeyings.serial), asc(paperKeyings.pass));

export async function isCounted(db: Database, instrument: string, serial: string) {
  const [row] = await db
    .select({ one: sql`1` })
    .from(paperBallots)
    .where(and(eq(paperBallots.instrument, instrument), eq(paperBallots.serial, serial)));
  return row !== undefined;
}

export interface SheetWrite {
  meeting: Pick<MeetingRow, 'id' | 'instrument'>;
  serial: string;
  pass: 1 | 2 | 3;
  observer: string;
  raterCategory: string;
  /** Canonical answers JSON. */
  answers: string;
  /** Pass 2: whether it agrees with pass 1 (the route compared them; the statement checks again). */
  agrees?: boolean;
}

/**
 * Store a keying, and count the sheet when this keying settles it (pass 2
 * agreeing with pass 1, or pass 3): the `paper_ballots` row (its trigger bumps
 * `paper_tallies`), then the sheet's keyings deleted, all in one batch with
 * the audit entries (`audits`: the keying's, then the outcome's). Resolves to
 * false when the keying's premise no longer held (another observer got there
 * first, or this one keyed the sheet meanwhile): then nothing was stored.
 * Throws the database's refusal (serial counted, over returned) with the batch rolled back.
 */
export async function keySheet(db: Database, w: SheetWrite, audits: AuditInput[]): Promise<boolean> {
  const k = paperKeyings;
  const ofSheet = and(eq(k.meeting, w.meeting.id), eq(k.serial, w.serial));
  const keyingOf = (pass: number) =>
    db
      .select({ one: sql`1` })
      .from(k)
      .where(and(ofSheet, eq(k.pass, pass)));
  const mine = db
    .select({ one: sql`1` })
    .from(k)
    .where(and(ofSheet, eq(k.observer, w.observer)));
  const ballot = db
    .select({ one: sql`1` })
    .from(paperBallots)
    .where(and(eq(paperBallots.instrument, w.meeting.instrument), eq(paperBallots.serial, w.serial)));
  const same = sql`(${k.raterCategory} = ${w.raterCategory} AND ${k.answers} = ${w.answers})`;
  const premise =
    w.pass === 1
      ? and(not(exists(db.select({ one: sql`1` }).from(k).where(ofSheet))), not(exists(ballot)))
      : w.pass === 2
        ? and(
            exists(
              db
                .select({ one: sql`1` })
                .from(k)
                .where(and(ofSheet, eq(k.pass, 1), ne(k.observer, w.observer), w.agrees ? same : sql`NOT ${same}`)),
            ),
            not(exists(keyingOf(2))),
          )
        : and(exists(keyingOf(2)), not(exists(keyingOf(3))), not(exists(mine)));
  const keying = db.insert(k).select(
    db
      .select(
        rowOf(k, {
          meeting: w.meeting.id,
          serial: w.serial,
          pass: w.pass,
          observer: w.observer,
          raterCategory: w.raterCategory,
          answers: w.answers,
        }),
      )
      .from(oneRow())
      .where(premise),
  );
  const counts = w.pass === 3 || (w.pass === 2 && w.agrees);
  const results: D1Result[] = await chainedAll(db, audits, async ([keyed, outcome]): Promise<D1Result[]> => {
    if (!keyed) throw new Error('a keying needs its audit entry');
    const steps = [keying, auditStatement(db, keyed, { guarded: true })] as const;
    if (!outcome) return [...(await db.batch(steps))];
    if (!counts) return [...(await db.batch([...steps, auditStatement(db, outcome, { guarded: true })]))];
    return db.batch([
      ...steps,
      db.insert(paperBallots).select(
        db
          .select(
            rowOf(paperBallots, {
              instrument: w.meeting.instrument,
              serial: w.serial,
              meeting: w.meeting.id,
              raterCategory: w.raterCategory,
              answers: w.answers,
            }),
          )
          .from(oneRow())
          .where(changedBefore()),
      ),
      auditStatement(db, outcome, { guarded: true }),
      // Counted: the readings (which name observers) go; the ballot row names none.
      db.delete(k).where(and(ofSheet, exists(ballot))),
    ]);
  });
  return (results[0]?.meta.changes ?? 0) > 0;
}

/** The database's refusal in a failed write, however drizzle and D1 wrap it. */
export function refusalOf(e: unknown): 'over_returned' | 'serial_counted' | 'below_counted' | 'keying_taken' | null {
  if (!(e instanceof Error)) return null;
  const m = e.message;
  if (/paper_ballots_over_returned/.test(m)) return 'over_returned';
  if (/meetings_below_counted/.test(m)) return 'below_counted';
  if (/UNIQUE constraint failed: paper_ballots\./.test(m)) return 'serial_counted';
  if (/UNIQUE constraint failed: paper_keyings\./.test(m)) return 'keying_taken';
  return refusalOf(e.cause);
}

/** The meetings of an instrument held before `today` (China's calendar), oldest first: what the public sees. */
export function heldMeetings(db: Database, instrument: string, today: string) {
  return db
    .select({ meeting: meetings, counted })
    .from(meetings)
    .where(and(eq(meetings.instrument, instrument), sql`${meetings.heldOn} < ${today}`))
    .orderBy(asc(meetings.heldOn), asc(meetings.recordedAt), asc(meetings.id));
}
