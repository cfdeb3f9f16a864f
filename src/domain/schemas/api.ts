import { z } from 'zod';
import { API_ERROR_CODES } from '../api-error-codes';

/** Every code the API can send: listed in the OpenAPI document. */
export const apiErrorCode = z.enum(API_ERROR_CODES).meta({ id: 'ErrorCode' });

/** The one error shape every API error uses; islands check it with asApiError (api-error.ts). */
export const apiError = z
  .object({
    error: z.object({
      code: apiErrorCode,
      message: z.string(),
      issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ApiErrorBody = z.infer<typeof apiError>;
