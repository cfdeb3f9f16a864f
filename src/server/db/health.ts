// The health check's one question to D1: does it answer.
import { sql } from 'drizzle-orm';
import type { Database } from '../env';

export const ping = (db: Database) => db.get(sql`SELECT 1`);
