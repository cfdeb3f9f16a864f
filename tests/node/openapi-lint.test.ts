// The API document passes Redocly's lint, recommended rules (redocly.yaml),
// with no error and no warning. The build (the global setup's) writes the
// document from the app: src/generated/openapi.json, the one the reference
// page renders and the same the API serves at /api/v1/openapi.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { OPENAPI_JSON } from '../../src/build/openapi';

const require = createRequire(import.meta.url);
const REDOCLY = join(require.resolve('@redocly/cli/package.json'), '..', 'bin/cli.js');

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
}

function lint(file: string): LintReport {
  const r = spawnSync(process.execPath, [REDOCLY, 'lint', file, '--format', 'json'], {
    encoding: 'utf8',
    // No telemetry or update check: CI has no network but the registry.
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return JSON.parse(r.stdout) as LintReport;
}

describe('redocly lint', () => {
  it('finds no error and no warning in the API document', { timeout: 180_000 }, async () => {
    const r = lint(OPENAPI_JSON);
    const problems = r.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(r.totals).toMatchObject({ errors: 0, warnings: 0 });
    // The file linted is what the API serves (its server aside, which is the origin it was fetched from).
    const served = (await (await fetch(`${inject('baseUrl')}/api/v1/openapi.json`)).json()) as { paths: unknown };
    const written = JSON.parse(readFileSync(OPENAPI_JSON, 'utf8')) as { paths: unknown };
    expect(served.paths).toEqual(written.paths);
  });

  it('still reports what it should: an operation without operationId or 4XX answer', { timeout: 180_000 }, () => {
    const doc = JSON.parse(readFileSync(OPENAPI_JSON, 'utf8')) as {
      paths: Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>>;
    };
    const op = doc.paths['/api/v1/instruments/{id}']!.get!;
    delete op.operationId;
    for (const status of Object.keys(op.responses)) if (status.startsWith('4')) delete op.responses[status];
    const file = join(mkdtempSync(join(tmpdir(), 'kaoping-openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const found = lint(file).problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}`);
    const at = '#/paths/~1api~1v1~1instruments~1{id}/get';
    expect(found).toContain(`operation-operationId ${at}/operationId`);
    expect(found).toContain(`operation-4xx-response ${at}/responses`);
  });
});
