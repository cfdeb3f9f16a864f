// Writes the API's OpenAPI document to src/generated/openapi.json at build
// time (the Astro integration in src/lib/site/integrations.ts runs it before
// the pages are built). The reference page (/developers/api/) reads that file,
// so the site never imports the API app. /api/v1/openapi.json is still made
// by the app at run time, from the same routes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { app, openApiDocument } from '../server/app';

export const OPENAPI_JSON = 'src/generated/openapi.json';

/** The document as the deployed site serves it (PUBLIC_ORIGIN as in astro.config.mjs); returns its path count. */
export function writeOpenApiDocument(out = OPENAPI_JSON, publicOrigin = process.env.PUBLIC_ORIGIN): number {
  const doc = openApiDocument(app, publicOrigin);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
  return Object.keys(doc.paths ?? {}).length;
}
