// The API: one Hono app composed of route modules. functions/api/[[route]].ts
// hands every /api request to it; tests import it directly.
import { OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import type { MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import type { RuntimeCatalog } from '../domain/catalog';
import { defaultCatalog } from './catalog';
import { clock } from './clock';
import * as schema from './db/schema';
import type { AppEnv, Bindings, Database } from './env';
import { ApiError, notFound, onError, zodIssues } from './middleware/errors';
import { jsonOnly, requestSizeLimit } from './middleware/limits';
import { apiSecurityHeaders } from './middleware/security';
import { documentOperationIds, documentSecurity } from './routes/_helpers';
import { benchRoutes } from './routes/bench';
import { configRoutes } from './routes/config';
import { feedRoutes } from './routes/feed';
import { forumRoutes } from './routes/forum';
import { healthRoutes } from './routes/health';
import { instrumentRoutes } from './routes/instruments';
import { publicMeetingRoutes } from './routes/meetings';
import { messageRoutes } from './routes/messages';
import { objectionRoutes } from './routes/objections';
import { observeRoutes } from './routes/observe';
import { openDataRoutes } from './routes/open-data';
import { participationRoutes } from './routes/participation';
import { responseRoutes } from './routes/responses';
import { tokenRoutes } from './routes/tokens';

/**
 * The OpenAPI document's head. Paths start with /api/v1, so the server is the
 * site's root: PUBLIC_ORIGIN when set, else wherever the document was fetched.
 */
export function openApiConfig(publicOrigin?: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kaoping API',
      version: '1.0.0',
      description:
        '考评公开与民意征集平台 API: 参与评议、统计、对内部考核系统的数据接口。错误一律为 {"error":{"code","message","issues?"}}。',
    },
    servers: [{ url: publicOrigin || '/' }],
  };
}

/**
 * The document of an app: served at /api/v1/openapi.json, and written at build
 * time for the reference page (/developers/api/) by src/build/openapi.ts.
 */
export const openApiDocument = (app: OpenAPIHono<AppEnv>, publicOrigin?: string) =>
  app.getOpenAPI31Document(openApiConfig(publicOrigin));

export interface AppOptions {
  /** The content catalog; tests pass fixtures. */
  catalog?: RuntimeCatalog;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /** Mount the benchmark's yardstick route: only appFor asks for it, never in production. */
  benchRoutes?: boolean;
}

/**
 * Drizzle with the schema, built once per D1 binding: building it walks every
 * table's relations, which the submission path (raw batch SQL) never needs.
 */
const orms = new WeakMap<D1Database, Database>();
function orm(d1: D1Database): Database {
  if (typeof d1 !== 'object' || d1 === null) return drizzle(d1, { schema }); // no binding (documents, misconfiguration)
  let db = orms.get(d1);
  if (!db) {
    db = drizzle(d1, { schema });
    orms.set(d1, db);
  }
  return db;
}

/** The variables every handler reads: the database, the content catalog and the clock. */
export function appVariables(options: AppOptions = {}): MiddlewareHandler<AppEnv> {
  const catalog = options.catalog ?? defaultCatalog;
  return async function deps(c, next) {
    c.set('db', orm(c.env.DB));
    c.set('catalog', catalog);
    c.set('now', clock(c.env, options.now));
    await next();
  };
}

export function createApp(options: AppOptions = {}) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ApiError(400, 'validation_failed', zodIssues(result.error));
    },
  });

  app.use('*', requestId());
  app.use('*', apiSecurityHeaders());
  app.use('*', appVariables(options));
  app.use('*', requestSizeLimit());
  app.use('*', jsonOnly());

  app.route('/api/v1', healthRoutes);
  app.route('/api/v1', instrumentRoutes);
  app.route('/api/v1', publicMeetingRoutes);
  app.route('/api/v1', participationRoutes);
  app.route('/api/v1', tokenRoutes);
  app.route('/api/v1', responseRoutes);
  app.route('/api/v1', feedRoutes);
  if (options.benchRoutes) app.route('/api/v1', benchRoutes);
  app.route('/api/v1', configRoutes);
  app.route('/api/v1', forumRoutes);
  app.route('/api/v1', messageRoutes);
  app.route('/api/v1', objectionRoutes);
  app.route('/api/v1', openDataRoutes);
  app.route('/api/v1', observeRoutes);
  // The feed and the console name their schemes; every other operation is open to anyone.
  documentSecurity(app, []);
  documentOperationIds(app);

  app.doc31('/api/v1/openapi.json', (c) => openApiConfig(c.env.PUBLIC_ORIGIN));
  app.onError(onError);
  app.notFound(notFound(() => app.routes));
  return app;
}

/** The app production runs: no benchmark route. */
export const app = createApp();

let benchApp: typeof app | undefined;
let refusedBench = false;

/**
 * The app for these bindings. BENCH_ROUTES=true (set by `npm run bench` on its
 * own server) adds the yardstick route, outside production only: production
 * refuses it, as it refuses test-mode Turnstile, and answers as if it did not
 * exist.
 */
export function appFor(env: Bindings): typeof app {
  if (env.BENCH_ROUTES !== 'true') return app;
  if (env.ENVIRONMENT === 'production') {
    if (!refusedBench) console.error('BENCH_ROUTES is refused in production: the benchmark route is not mounted');
    refusedBench = true;
    return app;
  }
  benchApp ??= createApp({ benchRoutes: true });
  return benchApp;
}
