// What the forum and the opinion box check before storing anything from the
// public: the appraisal and subject exist, its opinion phase is open, the
// client is under its limits, and (forum, where required) the code is valid.
import type { Context } from 'hono';
import type { RuntimeCatalog } from '../../domain/catalog';
import { codeProblem, hashCode } from '../../domain/code';
import { localDate, rangeStatus } from '../../domain/phase';
import { checkPostingCode as countedCheck, countFailure, refundFailure } from '../db/codes';
import type { AppEnv } from '../env';
import { type Bucket, clientBucket, LIMITS } from '../guards/rate-limit';
import { ApiError } from '../middleware/errors';

export const json = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
export const body = <T>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });

export const tooMany = (b: Bucket) =>
  new ApiError(429, 'rate_limited', undefined, { 'Retry-After': String(b.retryAfter) });

export const invalid = (path: (string | number)[], message: string) =>
  new ApiError(400, 'validation_failed', [{ path, message }]);

export type CatalogAppraisal = RuntimeCatalog['appraisals'][number];

export function appraisalOr(c: Context<AppEnv>, id: string, error: () => ApiError): CatalogAppraisal {
  const a = c.get('catalog').appraisals.find((x) => x.id === id);
  if (!a) throw error();
  return a;
}

/** Whether the public may write now: the appraisal's opinion phase (民意征集), in China's calendar. */
export function opinionOpen(c: Context<AppEnv>, a: CatalogAppraisal): boolean {
  return rangeStatus(a.phases.opinion, localDate(c.get('now')())) === 'open';
}

export function assertOpinionOpen(c: Context<AppEnv>, a: CatalogAppraisal) {
  if (!opinionOpen(c, a)) throw new ApiError(423, 'collection_closed');
}

/** The unit a subject concerns (an official's unit), or 400 for an unknown one. */
export function subjectUnit(c: Context<AppEnv>, kind: 'unit' | 'official', id: string, path: string[]): string {
  const catalog = c.get('catalog');
  if (kind === 'unit') {
    if (!catalog.units.some((u) => u.id === id)) throw invalid(path, '未知的单位');
    return id;
  }
  const o = catalog.officials.find((x) => x.id === id);
  if (!o) throw invalid(path, '未知的领导干部');
  return o.unit;
}

function pepper(c: Context<AppEnv>): string {
  if (!c.env.CODE_PEPPER) {
    console.error('CODE_PEPPER is not set');
    throw new ApiError(503, 'service_unavailable');
  }
  return c.env.CODE_PEPPER;
}

/**
 * A code required for posting: checked against the codes table (valid, this
 * appraisal, not revoked), never redeemed and never stored with the post.
 * Every check counts against the client's failure limit until the code
 * proves right (see db/forum.ts). Call after Turnstile.
 */
export async function checkPostingCode(c: Context<AppEnv>, appraisal: string, code: string | undefined) {
  if (!code) throw invalid(['code'], '本论坛须凭参与码发帖, 请输入参与码');
  const failures = await clientBucket(c, LIMITS.codeFailures);
  const refuse = async (): Promise<never> => {
    throw (await countFailure(c.get('db'), failures)) ? tooMany(failures) : new ApiError(401, 'unauthorized');
  };
  if (codeProblem(code) !== null) await refuse();
  const found = await countedCheck(c.get('db'), await hashCode(pepper(c), code), appraisal, failures);
  if (found.failures > failures.limit.max) throw tooMany(failures);
  if (!found.valid) throw new ApiError(401, 'unauthorized');
  await refundFailure(c.get('db'), failures);
}

/** The secret the tracking numbers are hashed with (the code pepper, with its own label). */
export const trackingSecret = (c: Context<AppEnv>) => `tracking:${pepper(c)}`;
