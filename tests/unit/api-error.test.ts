// The islands' zod-free reading of an API error (src/domain/api-error.ts): it
// must accept exactly what the `apiError` schema accepts, so an island never
// shows "unknown error" for a real error, nor trusts a body that is not one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asApiError } from '../../src/domain/api-error';
import { API_ERROR_CODES } from '../../src/domain/api-error-codes';
import { apiError } from '../../src/domain/schemas/api';

const issue = fc.record({
  path: fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
  message: fc.string(),
});
const errorBody = fc.record(
  {
    error: fc.record(
      // The schema takes the API's own codes only; asApiError takes any string (tested below).
      {
        code: fc.constantFrom(...API_ERROR_CODES),
        message: fc.string(),
        issues: fc.array(issue, { maxLength: 3 }),
        extra: fc.jsonValue(),
      },
      { requiredKeys: ['code', 'message'] },
    ),
  },
  { requiredKeys: ['error'] },
);

describe('asApiError', () => {
  it('reads every body the schema accepts as the schema reads it', () => {
    fc.assert(
      fc.property(errorBody, (body) => {
        const parsed = apiError.safeParse(body);
        expect(parsed.success).toBe(true);
        expect(asApiError(body)).toEqual(parsed.data);
      }),
    );
  });

  it('gives null exactly when the body has no error with a string code and a string message', () => {
    const anything = fc.oneof(
      fc.jsonValue(),
      fc.record({ error: fc.jsonValue() }),
      fc.record({ error: fc.record({ code: fc.oneof(fc.string(), fc.integer()), message: fc.jsonValue() }) }),
      errorBody,
    );
    fc.assert(
      fc.property(anything, (body) => {
        const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
        const wellFormed = !!e && typeof e === 'object' && typeof e.code === 'string' && typeof e.message === 'string';
        expect(asApiError(body) !== null).toBe(wellFormed);
      }),
    );
  });

  // Was a bug: an issue's path was kept whatever its elements were.
  it('keeps only issues whose path holds strings and numbers, as the schema does', () => {
    const got = asApiError({
      error: { code: 'not_found', message: 'y', issues: [{ path: [true, {}], message: 'm' }] },
    });
    expect(apiError.safeParse(got).success).toBe(true);
  });

  it('keeps code, message and the well-formed issues', () => {
    expect(
      asApiError({
        error: {
          code: 'validation_failed',
          message: '请求有误',
          issues: [{ path: ['answers', 'q1'], message: '请回答本题' }, null, { path: 'x' }],
        },
      }),
    ).toEqual({
      error: {
        code: 'validation_failed',
        message: '请求有误',
        issues: [{ path: ['answers', 'q1'], message: '请回答本题' }],
      },
    });
    expect(asApiError({ error: { code: 'not_found', message: '未找到' } })).toEqual({
      error: { code: 'not_found', message: '未找到' },
    });
  });

  it('gives null for a body without a code or a message, or without an error at all', () => {
    for (const body of [
      null,
      undefined,
      'error',
      42,
      [],
      {},
      { error: null },
      { error: { code: 'x' } },
      { error: { message: 'x' } },
      { code: 'x', message: 'y' },
    ]) {
      expect([body, asApiError(body)]).toEqual([body, null]);
    }
  });
});
