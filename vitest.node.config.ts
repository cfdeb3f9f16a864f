// Tests that run in Node: the content build check, the CLIs, and end-to-end
// tests in Debian's Chromium against a `wrangler pages dev` that the global
// setup starts (built site, migrated local D1, demo data) and stops.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/node/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
    globalSetup: ['./tests/support/e2e-server.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One browser and one dev server: files run one after another.
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/node.json' },
  },
});
