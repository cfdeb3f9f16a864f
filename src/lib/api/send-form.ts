// Sending a form that needs the human check (the opinion box, objections): the
// request is checked as typed against its schema (no token is spent on a form
// that cannot pass), then a fresh Turnstile token, the POST, and a new
// challenge when the API refused the token. Not in client.ts, like fieldErrors.
import type { z } from 'zod';
import { t } from '../../i18n';
import { type ApiFailure, failureText, post } from './client';
import { fieldErrors } from './field-errors';

/** What came of it: the created item, the errors to summarise, or null (no token: the widget says why). */
export type Sent<T> = { ok: true; data: T } | { ok: false; errors: Record<string, string>; problem: string } | null;

export async function sendForm<T>({
  path,
  schema,
  request,
  turnstile,
  busy,
  problem = (r) => failureText(r, t.api, t.forum.network, t.api.internal_error),
}: {
  path: string;
  schema: z.ZodType;
  request: Record<string, unknown>;
  turnstile: { token(): Promise<string | null>; reset(): void } | undefined;
  /** Set while the token and the request are awaited. */
  busy: (on: boolean) => void;
  /** The sentence over the summary when the API refuses. */
  problem?: (r: ApiFailure) => string;
}): Promise<Sent<T>> {
  const checked = schema.safeParse({ ...request, turnstileToken: 'checked-below' });
  if (!checked.success) {
    return {
      ok: false,
      errors: fieldErrors(
        checked.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message })),
      ),
      problem: '',
    };
  }
  busy(true);
  const token = await turnstile?.token();
  if (!token) {
    busy(false);
    return null;
  }
  const r = await post<T>(path, { ...request, turnstileToken: token });
  busy(false);
  if (r.ok) return r;
  if (r.code === 'turnstile_failed') turnstile?.reset();
  return { ok: false, errors: fieldErrors(r.issues), problem: problem(r) };
}
