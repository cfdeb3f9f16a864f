// Every API failure in plain Chinese, and whether trying again can help.
// Work is never at stake: the answers stay on the page and in the draft.
import type { ApiErrorCode } from '../../domain/api-error-codes';
import { zhCNParticipate } from '../../i18n/zh-CN/participate';
import { type ApiFailure, failureText } from '../api/client';

const e = zhCNParticipate.participate.errors;

/** Failures that the same request can never overcome. */
const FINAL = new Set<ApiErrorCode | undefined>([
  'unauthorized',
  'category_not_allowed',
  'already_answered',
  'token_already_issued',
  'token_invalid',
  'not_open',
  'closed',
  'not_found',
  'validation_failed',
  // The daily cap of a public instrument: not before tomorrow (China's midnight).
  'daily_limit_reached',
]);

export interface Explained {
  text: string;
  /** Trying the same request again may succeed (network, busy, rate limit, expired check). */
  retry: boolean;
}

/** An answer that is not the API's, by its status. */
const byStatus = (status: number) =>
  status === 429 ? e.api.rate_limited : status >= 500 ? e.api.service_unavailable : e.other;

/** `withAnswers`: the failure happened while sending answers (say that they are kept). */
export function explain(f: ApiFailure, withAnswers: boolean): Explained {
  const final = FINAL.has(f.code);
  let text = failureText(f, e.api, e.network, byStatus(f.status));
  if (f.retryAfter && !final) text += ` ${e.retryIn(f.retryAfter)}`;
  if (withAnswers && !final) text += ` ${e.kept}`;
  return { text, retry: !final };
}
