// The D1 schema, one file per concept. drizzle-kit reads this index
// (`npm run db:generate`); wrangler applies the generated migrations.
export * from './participation';
export * from './feed';
