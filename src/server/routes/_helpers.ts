// What the route modules share: the pieces of their OpenAPI definitions, the
// errors several of them throw, and the checks before anything from the public
// is stored (forum, opinion box). Not a route module: the leading underscore
// says so, as src/pages/forum/_units.ts does for pages; it stays in routes/
// because only route modules use it. The console's own pieces are in
// observe/shared.ts.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { RuntimeCatalog } from '../../domain/catalog';
import { codeProblem, hashCode } from '../../domain/code';
import { localDate, rangeStatus } from '../../domain/phase';
import { apiError } from '../../domain/schemas/api';
import { type WorkCalendar, workCalendar } from '../../domain/workdays';
import { checkPostingCode as countedCheck, countFailure, overFailures } from '../db/codes';
import type { AppEnv } from '../env';
import { type Bucket, clientBucket, LIMITS, prefixBucket } from '../guards/rate-limit';
import { ApiError } from '../middleware/errors';

// --- OpenAPI pieces -----------------------------------------------------------

export const json = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
export const body = <T>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });

const descriptions: Record<number, string> = {
  400: '请求内容不符合要求 (issues 指出具体字段)',
  401: '未通过验证 (参与码、登录会话或签名无效; code 指出是哪一项)',
  403: '人机验证失败或无权限',
  404: '不存在',
  409: '此参与码已提交过',
  413: '请求过大',
  415: '须为 application/json',
  423: '未开始或已截止',
  429: '过于频繁 (见 Retry-After)',
  503: '暂不可用 (见 Retry-After)',
};

/** The error responses a route can give, all in the one error shape. */
export function errorResponses<S extends number>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: descriptions[s] ?? 'Error', content: { 'application/json': { schema: apiError } } },
    ]),
  ) as Record<S, { description: string; content: { 'application/json': { schema: typeof apiError } } }>;
}

/** Who may call an operation, in OpenAPI's words: [] for anyone, else the schemes it needs. */
export type Security = Record<string, string[]>[];

/**
 * Writes `security` into the operations registered so far on this router that
 * name none themselves, unless `except` (a path) says otherwise. Sub-routers'
 * operations are copied into their parent when mounted, so call it on the
 * router that mounts them, beside the middleware that guards them.
 */
export function documentSecurity(
  router: Pick<OpenAPIHono, 'openAPIRegistry'>,
  security: Security,
  except: (path: string) => boolean = () => false,
) {
  for (const d of router.openAPIRegistry.definitions)
    if (d.type === 'route' && d.route.security === undefined && !except(d.route.path)) d.route.security = security;
}

/**
 * Gives every operation that names none an operationId made from its method
 * and path: GET /api/v1/instruments/{id}/turnout → getInstrumentsByIdTurnout.
 * Client generators name their functions after it; derived, it cannot drift
 * from the path or repeat (method and path are unique).
 */
export function documentOperationIds(router: Pick<OpenAPIHono, 'openAPIRegistry'>, prefix = '/api/v1') {
  for (const d of router.openAPIRegistry.definitions)
    if (d.type === 'route' && d.route.operationId === undefined)
      d.route.operationId = operationIdOf(d.route.method, d.route.path, prefix);
}

export function operationIdOf(method: string, path: string, prefix = '/api/v1'): string {
  const words = (path.startsWith(prefix) ? path.slice(prefix.length) : path)
    .split('/')
    .filter(Boolean)
    .flatMap((seg) => {
      const param = /^\{(.+)\}$/.exec(seg);
      const parts = (param?.[1] ?? seg).split(/[^A-Za-z0-9]+/).filter(Boolean);
      return param ? ['By', ...parts] : parts;
    });
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

// --- Errors -------------------------------------------------------------------

export const tooMany = (b: Bucket) =>
  new ApiError(429, 'rate_limited', undefined, { 'Retry-After': String(b.retryAfter) });

export const invalid = (path: (string | number)[], message: string) =>
  new ApiError(400, 'validation_failed', [{ path, message }]);

// --- Input from the public (forum, opinion box) -------------------------------

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
 * A wrong code counts against the client's and the code prefix's failure
 * limits in the lookup's own statement (db/codes.ts). Call after Turnstile.
 */
export async function checkPostingCode(c: Context<AppEnv>, appraisal: string, code: string | undefined) {
  if (!code) throw invalid(['code'], '本论坛须凭参与码发帖, 请输入参与码');
  const failures = await clientBucket(c, LIMITS.codeFailures);
  if (codeProblem(code) !== null) {
    throw (await countFailure(c.get('db'), failures)) ? tooMany(failures) : new ApiError(401, 'unauthorized');
  }
  const buckets = { client: failures, prefix: await prefixBucket(c, code) };
  const found = await countedCheck(c.get('db'), await hashCode(pepper(c), code), appraisal, buckets);
  const over = overFailures(buckets, found.failures, !found.valid);
  if (over) throw tooMany(over);
  if (!found.valid) throw new ApiError(401, 'unauthorized');
}

/** The secret the tracking numbers are hashed with (the code pepper, with its own label). */
export const trackingSecret = (c: Context<AppEnv>) => `tracking:${pepper(c)}`;

/** Objections' tracking numbers: a label of their own, so a message's number finds no objection. */
export const objectionTrackingSecret = (c: Context<AppEnv>) => `objection-tracking:${pepper(c)}`;

export const codePepper = pepper;

const calendars = new WeakMap<RuntimeCatalog, WorkCalendar>();
/** The working-day calendar of the content's holiday arrangements (built once per catalog). */
export function calendarOf(c: Context<AppEnv>): WorkCalendar {
  const catalog = c.get('catalog');
  let cal = calendars.get(catalog);
  if (!cal) {
    cal = workCalendar(catalog.calendar);
    calendars.set(catalog, cal);
  }
  return cal;
}

/** A context of the app or of the console: both carry the app's variables. */
export type WithVariables = { get: Context<AppEnv>['get'] };

/** Today in China's calendar, by the app's clock. */
export const todayOf = (c: WithVariables) => localDate(c.get('now')());
