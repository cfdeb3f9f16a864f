// Every API failure in plain Chinese, and whether trying again can help.
// Work is never at stake: the answers stay on the page and in the draft.
import { zhCNParticipate } from '../../i18n/zh-CN/participate';
import type { ApiFailure } from './api';

const e = zhCNParticipate.participate.errors;

const MESSAGES: Record<string, string> = {
  rate_limited: e.rate_limited,
  service_unavailable: e.service_unavailable,
  internal_error: e.service_unavailable,
  unauthorized: e.unauthorized,
  turnstile_failed: e.turnstile_failed,
  category_not_allowed: e.category_not_allowed,
  already_answered: e.already_answered,
  token_already_issued: e.token_already_issued,
  token_invalid: e.token_invalid,
  not_open: e.not_open,
  closed: e.closed,
  validation_failed: e.validation_failed,
  not_found: e.not_found,
};

/** Failures that the same request can never overcome. */
const FINAL = new Set([
  'unauthorized',
  'category_not_allowed',
  'already_answered',
  'token_already_issued',
  'token_invalid',
  'not_open',
  'closed',
  'not_found',
]);

export interface Explained {
  text: string;
  /** Trying the same request again may succeed (network, busy, rate limit, expired check). */
  retry: boolean;
}

/** `withAnswers`: the failure happened while sending answers (say that they are kept). */
export function explain(f: ApiFailure, withAnswers: boolean): Explained {
  const final = FINAL.has(f.code) || f.code === 'validation_failed';
  let text =
    f.status === 0
      ? e.network
      : (MESSAGES[f.code] ?? (f.status === 429 ? e.rate_limited : f.status >= 500 ? e.service_unavailable : e.other));
  if (f.retryAfter && !final) text += ` ${e.retryIn(f.retryAfter)}`;
  if (withAnswers && !final) text += ` ${e.kept}`;
  return { text, retry: !final };
}
