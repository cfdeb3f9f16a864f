// Pieces shared by the observer route modules.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AuditAction } from '../../../domain/schemas/audit';
import { csvText } from '../../csv';
import type { AuditInput } from '../../db/audit';
import type { Viewer } from '../../db/observers';
import type { AppEnv } from '../../env';
import { ApiError, zodIssues } from '../../middleware/errors';
import type { ObserverEnv } from '../../middleware/session';

export type ObserverContext = Context<ObserverEnv>;

/** A route module of the console; invalid requests answer in the one error shape. */
export const observerApp = () =>
  new OpenAPIHono<ObserverEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ApiError(400, 'validation_failed', zodIssues(result.error));
    },
  });

export function viewer(c: ObserverContext): Viewer {
  const o = c.get('observer');
  return { id: o.id, lead: o.role === 'lead', units: o.units };
}

export function auditOf(
  c: ObserverContext,
  action: AuditAction,
  target: { kind: string; id: string },
  before?: unknown,
  after?: unknown,
): AuditInput {
  return {
    at: c.get('now')().toISOString(),
    observer: c.get('observer').id,
    action,
    targetKind: target.kind,
    targetId: target.id,
    before,
    after,
    requestId: c.get('requestId') ?? null,
  };
}

export const conflict = () => new ApiError(409, 'conflict');
export const forbidden = () => new ApiError(403, 'forbidden');

/** CSV (src/server/csv.ts) as a download. */
export function csvResponse(c: ObserverContext, filename: string, columns: string[], rows: unknown[][]) {
  const text = csvText(columns, rows);
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${filename}"`);
  return c.body(text, 200);
}

/** The same context seen as the app's (helpers such as clientBucket take that; it only has fewer variables). */
export const asAppContext = (c: ObserverContext) => c as unknown as Context<AppEnv>;
