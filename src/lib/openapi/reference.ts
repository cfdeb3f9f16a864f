// Build-time helpers for the API reference page: flatten the OpenAPI document
// into operations with readable parameter and field lists. The document is the
// file the build writes from the API app (src/build/openapi.ts): the site
// imports no part of the API.
import type { OpenAPIHono } from '@hono/zod-openapi';
import written from '../../generated/openapi.json';

type Document = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  description?: string;
  anyOf?: Schema[];
  oneOf?: Schema[];
};

export interface Field {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

export interface Operation {
  id: string;
  method: string;
  path: string;
  summary: string;
  tag: string;
  parameters: Field[];
  body: Field[];
  responses: { status: string; description: string; fields: Field[] }[];
}

export const apiDocument = () => written as unknown as Document;

/** Every error code the document lists (the ErrorCode enum of the error shape). */
export function errorCodes(): string[] {
  const schemas = (apiDocument().components?.schemas ?? {}) as Record<string, Schema>;
  return (schemas.ErrorCode?.enum ?? []).map(String);
}

export function operations(): Operation[] {
  const doc = apiDocument();
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Schema>;
  const resolve = (s: Schema | undefined): Schema | undefined =>
    s?.$ref ? schemas[s.$ref.split('/').pop() as string] : s;
  const typeOf = (s: Schema | undefined): string => {
    const r = resolve(s);
    if (!r) return '';
    if (s?.$ref) return s.$ref.split('/').pop() as string;
    if (r.enum) return r.enum.map((e) => JSON.stringify(e)).join(' | ');
    if (r.anyOf || r.oneOf) return (r.anyOf ?? r.oneOf ?? []).map(typeOf).join(' | ');
    if (r.type === 'array') return `${typeOf(r.items)}[]`;
    return Array.isArray(r.type) ? r.type.join(' | ') : (r.type ?? 'object');
  };
  const fields = (s: Schema | undefined): Field[] => {
    const r = resolve(s);
    return Object.entries(r?.properties ?? {}).map(([name, p]) => ({
      name,
      type: typeOf(p),
      required: r?.required?.includes(name) ?? false,
      description: resolve(p)?.description ?? '',
    }));
  };
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const op = item?.[method];
      if (!op) continue;
      const content = (op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content;
      out.push({
        id: `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, '-'),
        method: method.toUpperCase(),
        path,
        summary: op.summary ?? '',
        tag: op.tags?.[0] ?? 'other',
        parameters: (
          (op.parameters ?? []) as {
            name: string;
            in: string;
            required?: boolean;
            schema?: Schema;
            description?: string;
          }[]
        ).map((p) => ({
          name: `${p.name} (${p.in})`,
          type: typeOf(p.schema),
          required: p.required ?? false,
          description: p.description ?? resolve(p.schema)?.description ?? '',
        })),
        body: fields(content?.['application/json']?.schema),
        responses: Object.entries(op.responses ?? {}).map(([status, r]) => {
          const resp = r as { description?: string; content?: Record<string, { schema?: Schema }> };
          return {
            status,
            description: resp.description ?? '',
            fields: fields(resp.content?.['application/json']?.schema),
          };
        }),
      });
    }
  }
  return out;
}
