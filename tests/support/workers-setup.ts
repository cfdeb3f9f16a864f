import { applyD1Migrations, env } from 'cloudflare:test';

// A fresh local D1 per test file, with the real migrations from migrations/.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
