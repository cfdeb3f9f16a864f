// A zod-free check of the API's error shape, for islands: the shape itself is
// the `apiError` schema in schemas/api.ts (which the API and OpenAPI use);
// classic zod would add ~19 KB to every participation page for this one check.
import type { ApiErrorCode } from './api-error-codes';
import type { ApiErrorBody } from './schemas/api';

/**
 * The body as our error shape, or null when it is not one (a proxy's page).
 * The code is taken as one of ours without looking it up (the list would
 * ship to every participation page): a code from a newer API finds no
 * sentence, and the island falls back to its general one.
 */
export function asApiError(body: unknown): ApiErrorBody | null {
  const e = (body as { error?: { code?: unknown; message?: unknown; issues?: unknown } } | null)?.error;
  if (!e || typeof e.code !== 'string' || typeof e.message !== 'string') return null;
  const issues = Array.isArray(e.issues)
    ? e.issues.filter(
        (i): i is { path: (string | number)[]; message: string } =>
          !!i &&
          Array.isArray(i.path) &&
          i.path.every((p: unknown) => typeof p === 'string' || typeof p === 'number') &&
          typeof i.message === 'string',
      )
    : undefined;
  return { error: { code: e.code as ApiErrorCode, message: e.message, ...(issues ? { issues } : {}) } };
}
