// Objections to a published result (申诉 / 质询): when they may be filed, their
// deadlines, and the credential the appraised file them with. The credential
// is per subject and deliberately unlike a participation code: 16 random
// characters and a check character (XXXX-XXXX-XXXX-XXXX-X), hashed under its
// own label, so neither can ever pass for the other.
import { ALPHABET, checkCharacter, hmacHex, normaliseCrockford, type RandomFill } from './code';
import { addDays } from './phase';
import type { DateRange, IsoDate } from './schemas/common';
import { dayInChina } from './schemas/common';
import type { ObjectionStatus } from './schemas/objection';
import { addWorkingDays, isOverdue, type WorkCalendar } from './workdays';

/**
 * When an appraisal's result was published: its results file's date, or,
 * before the final result, the day its tallies snapshot was taken (the
 * tallies page then goes out). Null: nothing published yet.
 */
export function resultsPublishedOn(
  result: { publishedOn: IsoDate } | undefined,
  snapshot: { takenAt: string } | undefined,
): IsoDate | null {
  if (result) return result.publishedOn;
  return snapshot ? dayInChina(new Date(snapshot.takenAt)) : null;
}

/** The objection window: from publication, `days` calendar days (seed 000: 结果反馈之日起10日内), both ends included. */
export function objectionWindowOf(a: { resultsOn: IsoDate | null; objection: { days: number } }): DateRange | null {
  return a.resultsOn ? { start: a.resultsOn, end: addDays(a.resultsOn, a.objection.days) } : null;
}

export interface ObjectionDeadlines {
  acceptDue: IsoDate;
  answerDue: IsoDate;
}

export function objectionDeadlines(
  filedOn: IsoDate,
  s: { acceptWorkingDays: number; answerWorkingDays: number },
  cal: WorkCalendar,
): ObjectionDeadlines {
  return {
    acceptDue: addWorkingDays(filedOn, s.acceptWorkingDays, cal),
    answerDue: addWorkingDays(filedOn, s.answerWorkingDays, cal),
  };
}

/** Statuses after which nothing is owed to the objector. */
export const FINISHED_OBJECTION: readonly ObjectionStatus[] = ['refused', 'answered'];

/** Late: not accepted (or refused) by its acceptance deadline, or not answered by its answer deadline. */
export function objectionOverdue(o: { status: ObjectionStatus } & ObjectionDeadlines, today: IsoDate): boolean {
  if (o.status === 'filed' && isOverdue(o.acceptDue, today)) return true;
  return isOverdue(o.answerDue, today, FINISHED_OBJECTION.includes(o.status));
}

// The credential.

export const CREDENTIAL_RANDOM = 16;
export const CREDENTIAL_LENGTH = CREDENTIAL_RANDOM + 1;

export const formatCredential = (normalised: string) => normalised.match(/.{1,4}/g)?.join('-') ?? '';

export function generateCredential(random: RandomFill = (a) => crypto.getRandomValues(a)): string {
  let body = '';
  for (const b of random(new Uint8Array(CREDENTIAL_RANDOM))) body += ALPHABET[b & 31];
  return formatCredential(body + checkCharacter(body));
}

/** Whether a typed credential has the right shape and check character (no request needed). */
export function credentialWellFormed(input: string): boolean {
  const n = normaliseCrockford(input);
  if (n.length !== CREDENTIAL_LENGTH || ![...n].every((ch) => ALPHABET.includes(ch))) return false;
  return checkCharacter(n.slice(0, -1)) === n.slice(-1);
}

/** HMAC-SHA256(pepper, "objection:" ‖ normalised credential): never the key a participation code is stored under. */
export const hashCredential = (pepper: string, credential: string) =>
  hmacHex(pepper, `objection:${normaliseCrockford(credential)}`);
