// Unit and API tests, run inside workerd (the production runtime) with a real
// local D1 to which every test file applies the real migrations.
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig(async () => {
  const migrations = await readD1Migrations('./migrations');
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          compatibilityFlags: ['nodejs_compat'],
          // A second, empty database for the tests that migrate a database holding rows step by step.
          d1Databases: { MIGRATION_DB: 'migration-test-db' },
          bindings: {
            TEST_MIGRATIONS: migrations,
            CODE_PEPPER: 'test-pepper-not-secret',
            TOKEN_KEY_SECRET: 'test-token-key-secret',
            RATE_LIMIT_SECRET: 'test-rate-limit-secret',
            // 32 bytes, base64: the AES-GCM key of opinion-box contact details (test only).
            CONTACT_KEY: 'dGVzdC1jb250YWN0LWtleS0zMi1ieXRlcy1sb25nISE=',
            FEED_KEY_SECRET: 'test-feed-master-secret',
            TURNSTILE_MODE: 'test',
            TURNSTILE_SECRET_KEY: '1x0000000000000000000000000000000AA',
          },
        },
      }),
    ],
    test: {
      include: ['tests/unit/**/*.test.ts', 'tests/api/**/*.test.ts'],
      setupFiles: ['./tests/support/workers-setup.ts'],
      // Sizes of the reliability checks (tests/support/reliability.ts): small in npm test, large under `npm run reliability`.
      provide: {
        reliabilitySizes: {
          fuzzRuns: process.env.FUZZ_RUNS,
          contention: process.env.CONTENTION_SIZE,
          guesses: process.env.GUESS_COUNT,
        },
      },
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results/workers.json' },
    },
  };
});
