// Every error code the API sends, as a plain tuple: schemas/api.ts builds the
// `z.enum` of the error shape (and so the OpenAPI document's list) from it, and
// islands type their sentences by it without loading classic zod (see
// api-error.ts). A new code is added here first; TypeScript then asks for its
// sentence in every Record<ApiErrorCode, string> of src/i18n.
export const API_ERROR_CODES = [
  // Any route (middleware, the error handler, unknown paths).
  'validation_failed',
  'not_found',
  'method_not_allowed',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal_error',
  'service_unavailable',
  'unauthorized',
  'forbidden',
  'turnstile_failed',
  // Participation: codes, tokens, responses, tallies.
  'category_not_allowed',
  'not_targeted',
  'already_answered',
  'token_invalid',
  'token_already_issued',
  'not_open',
  'closed',
  'tally_not_public',
  'daily_limit_reached',
  // The observers' console.
  'session_required',
  'login_failed',
  'login_locked',
  'csrf_failed',
  'conflict',
  // Forum and opinion box.
  'collection_closed',
  'duplicate_post',
  // The signed feed for the internal system: what was wrong with the signature.
  'feed_unsigned',
  'feed_clock_skew',
  'feed_signature_invalid',
  'feed_key_refused',
  'feed_nonce_reused',
  // Objections to a result.
  'objection_closed',
  'credential_invalid',
  // Meetings and their paper ballots.
  'serial_already_counted',
  'ballots_over_returned',
  'keyer_not_independent',
  'meeting_below_counted',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];
