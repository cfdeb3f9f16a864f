// Objection credentials as `npm run codes -- objection` and the demo seed
// store them (see batch.ts for why admin/): per subject, a new one retires the
// subject's earlier one in the same transaction, so a lost letter is replaced
// by issuing again.
import { and, count, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../env';
import { objectionCredentials as credentials } from '../schema';
import { runBatch } from './batch';

export type CredentialRow = Omit<typeof credentials.$inferInsert, 'revokedOn'>;

const ofSubject = (r: Pick<CredentialRow, 'appraisal' | 'subjectKind' | 'subjectId'>) =>
  and(
    eq(credentials.appraisal, r.appraisal),
    eq(credentials.subjectKind, r.subjectKind),
    eq(credentials.subjectId, r.subjectId),
  );

/** Retire each subject's live credential and store its new one: one batch, all or nothing. */
export function issueObjectionCredentials(db: Database, rows: CredentialRow[]) {
  return runBatch(
    db,
    rows.flatMap((r) => [
      db
        .update(credentials)
        .set({ revokedOn: r.issuedOn })
        .where(and(ofSubject(r), isNull(credentials.revokedOn))),
      db.insert(credentials).values(r),
    ]),
  );
}

/** The demo's fixed credentials: a row already there is kept. */
export function insertDemoCredentials(db: Database, rows: CredentialRow[]) {
  return runBatch(
    db,
    rows.map((r) => db.insert(credentials).values(r).onConflictDoNothing()),
  );
}

/** Live credentials of an appraisal (how many subjects can object). */
export async function liveCredentialCount(db: Database, appraisal: string) {
  const [row] = await db
    .select({ n: count() })
    .from(credentials)
    .where(and(eq(credentials.appraisal, appraisal), isNull(credentials.revokedOn)));
  return row?.n ?? 0;
}
