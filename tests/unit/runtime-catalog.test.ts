// The runtime catalog the Functions bundle loads: the file the content build
// emits must pass its schema unchanged, and a stale or corrupt one must be
// refused once, on load, naming the file and the field.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { parseRuntimeCatalog } from '../../src/domain/catalog';
import { runtimeCatalog } from '../../src/domain/schemas/runtime-catalog';
import generated from '../../src/generated/catalog.json';

const SOURCE = 'src/generated/catalog.json';
type Loose = Record<string, unknown>;
const copy = () => structuredClone(generated) as unknown as { instruments: Loose[]; units: Loose[] };

/** Milliseconds `work` takes in workerd, whose clock moves only across I/O: a D1 round trip on each side. */
async function timed(work: () => void): Promise<number> {
  await env.DB.prepare('SELECT 1').first();
  const started = Date.now();
  work();
  await env.DB.prepare('SELECT 1').first();
  return Date.now() - started;
}

describe('runtime catalog', () => {
  // First, before anything else in this isolate has parsed it: the cost an isolate pays once, on load.
  it('costs little to parse once per isolate', async () => {
    const first = await timed(() => runtimeCatalog.parse(generated));
    const runs = 20;
    const warm =
      (await timed(() => {
        for (let i = 0; i < runs; i++) runtimeCatalog.parse(generated);
      })) / runs;
    console.log(`runtime catalog parse in workerd: first ${first} ms, then ${warm.toFixed(1)} ms`);
    // Wall time, so a busy machine inflates it (seen: 22-50 ms alone, 136 ms beside other test files). The bound
    // is a Worker's startup limit (1 s for its whole global scope), which this parse must stay far below.
    expect(first).toBeLessThan(1000);
  });

  it('is what the API loads: the generated file, parsed without change', async () => {
    const { defaultCatalog } = await import('../../src/server/catalog');
    expect(defaultCatalog).toEqual(generated);
    expect(defaultCatalog.instruments.length).toBeGreaterThan(0);
  });

  it('refuses a file missing a field, naming it', () => {
    const stale = copy();
    delete stale.instruments[0]?.questions;
    expect(() => parseRuntimeCatalog(stale, SOURCE)).toThrow(
      /src\/generated\/catalog\.json: instruments\.0\.questions: /,
    );
  });

  it('refuses a value of the wrong shape, naming the field and the fix', () => {
    const corrupt = copy();
    corrupt.units[1] = { ...corrupt.units[1], category: 'no-such-category' };
    expect(() => parseRuntimeCatalog(corrupt, SOURCE)).toThrow(/npm run content[\s\S]*: units\.1\.category: /);
  });

  it('refuses what is not a catalog at all', () => {
    expect(() => parseRuntimeCatalog([], SOURCE)).toThrow(/src\/generated\/catalog\.json: \(root\): /);
  });
});
