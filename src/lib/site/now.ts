// The build's "today": pages that say what is open now are only as fresh as
// the last build, so deployments rebuild daily (and tests pin the day).
import { localDate } from '../../domain/phase';
import type { IsoDate } from '../../domain/schemas';

export function buildToday(env: Record<string, string | undefined> = process.env): IsoDate {
  const raw = env.KAOPING_NOW;
  const now = raw ? new Date(raw) : new Date();
  if (Number.isNaN(now.getTime())) throw new Error(`KAOPING_NOW is not a date: "${raw}"`);
  return localDate(now);
}
