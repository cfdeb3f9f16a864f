// npm run seed: the demo data of the local D1 (codes, and responses through
// the real submission path). Idempotent: demo codes are derived from a fixed
// seed and stored with INSERT OR IGNORE, so a second run changes nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { demoRandom, issueCodes } from './lib/codes';
import { ensureDevVars } from './lib/dev-vars';
import { d1ExecuteSql, type Target } from './lib/wrangler';

export const DEMO_APPRAISAL = 'county-2026';
export const DEMO_CODES: Record<string, number> = {
  party_deputy: 30,
  npc_deputy: 30,
  cppcc_member: 30,
  masses_rep: 30,
  service_recipient: 60,
};

export async function seed(target: Target = { remote: false, persistTo: process.env.KAOPING_PERSIST }) {
  const vars = ensureDevVars();
  const pepper = vars.get('CODE_PEPPER') as string;
  const rows: string[][] = [];
  const sql: string[] = [];
  for (const [category, count] of Object.entries(DEMO_CODES)) {
    const { codes, statements } = await issueCodes({
      appraisal: DEMO_APPRAISAL,
      category,
      count,
      batch: `demo-${category}`,
      pepper,
      issuedOn: '2026-11-15',
      random: await demoRandom(`kaoping-demo/${DEMO_APPRAISAL}/${category}`),
      orIgnore: true,
    });
    sql.push(...statements);
    for (const c of codes) rows.push([c, category, DEMO_APPRAISAL]);
  }
  d1ExecuteSql(sql.join('\n'), target);
  mkdirSync('.demo', { recursive: true });
  writeFileSync('.demo/codes.csv', stringify(rows, { header: true, columns: ['code', 'raterCategory', 'appraisal'] }));
  console.log(`演示参与码 ${rows.length} 个已就绪: .demo/codes.csv`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await seed();
}
