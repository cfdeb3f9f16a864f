// The D1 schema, one file per concept. drizzle-kit reads this index
// (`npm run db:generate`); wrangler applies the generated migrations.

export * from './feed';
export * from './forum';
export * from './meetings';
export * from './messages';
export * from './objections';
export * from './observers';
export * from './participation';
export * from './rectification';
export * from './webhooks';
