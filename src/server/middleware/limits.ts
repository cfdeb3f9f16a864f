import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from './errors';

export const MAX_BODY_BYTES = 64 * 1024;

/** 413 past 64 KB, counted on the stream (a missing or false Content-Length does not help). */
export const requestSizeLimit = () =>
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, 'payload_too_large');
    },
  });

/** Every request with a body must be JSON: 415 otherwise (so form posts can never reach a route). */
export function jsonOnly(): MiddlewareHandler {
  return async function jsonOnly(c, next) {
    const hasBody = c.req.header('content-length') !== undefined && c.req.header('content-length') !== '0';
    const chunked = c.req.header('transfer-encoding') !== undefined;
    if (
      ['POST', 'PUT', 'PATCH', 'DELETE'].includes(c.req.method) &&
      (hasBody || chunked || c.req.method !== 'DELETE')
    ) {
      const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/json') throw new ApiError(415, 'unsupported_media_type');
    }
    await next();
  };
}
