// npm run seed: the demo data of the local D1 — codes, and responses submitted
// through the real API. Idempotent: demo codes are derived from a fixed seed
// and a code already stored is skipped; a code that already answered is
// refused with 409 and skipped; public demo answers are added only once.
import { mkdirSync, writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { buildCatalog, GENERATED, runtimeCatalog } from '../src/build/content';
import { scopeOf } from '../src/domain/token';
import { type CodeRows, insertCodes } from '../src/server/db/admin/codes';
import { insertFeedKey } from '../src/server/db/admin/feed-keys';
import { demoRandom, issueCodes } from './lib/codes';
import { withDb } from './lib/d1';
import { type DemoPlan, submitDemoResponses } from './lib/demo-responses';
import { ensureDevVars } from './lib/dev-vars';
import { newFeedKey } from './lib/feed-keys';
import { seedFollowUp } from './lib/follow-up-demo';
import { seedMeeting } from './lib/meeting-demo';
import { seedObservers } from './lib/observers';
import type { Target } from './lib/wrangler';

interface DemoBatch {
  appraisal: string;
  category: string;
  /** 定点定向: the subjects the batch may rate (none: every subject). */
  subjects?: string[];
  count: number;
  /** How many of them answer (the rest stay unused for people trying the demo). */
  used: number;
  /** Instruments the used codes answer, and when. */
  answers: { instrument: string; at: string }[];
}

const OPEN_2026 = '2026-11-22T10:00:00+08:00';
const SESSIONS_2026 = '2026-02-25T10:00:00+08:00';
const RATING_2025 = '2025-12-10T10:00:00+08:00';
const ballots = [
  { instrument: 'ballot-groups-2026', at: OPEN_2026 },
  { instrument: 'ballot-officials-2026', at: OPEN_2026 },
];
const rating = { instrument: 'rating-units-2026', at: OPEN_2026 };
const sessions = { instrument: 'rating-sessions-2026', at: SESSIONS_2026 };
const internal = { instrument: 'ballot-internal-2026', at: OPEN_2026 };

/** Service recipients of one unit (定点定向): they rate that unit only. */
const recipientsOf = (unit: string): DemoBatch => ({
  appraisal: 'county-2026',
  category: 'service_recipient',
  subjects: [unit],
  count: 20,
  used: 12,
  answers: [rating],
});
/**
 * A unit's own staff for its internal evaluation (weights 40/30/20/10, valid at
 * 80% per category): [issued, answered] per category. 发改局 reaches 80%
 * everywhere; 财政局's middle managers do not. Validity is per instrument, over
 * all its units (issue 18), so the ballot's round shows as invalid: 中层干部
 * 17 of 22 (77.3%). A per-meeting verdict is the evaluation meeting's (#19).
 */
const staffOf = (unit: string, turnout: Record<string, [number, number]>): DemoBatch[] =>
  Object.entries(turnout).map(([category, [count, used]]) => ({
    appraisal: 'county-2026',
    category,
    subjects: [unit],
    count,
    used,
    answers: [internal],
  }));

export const DEMO_BATCHES: DemoBatch[] = [
  { appraisal: 'county-2026', category: 'party_deputy', count: 30, used: 18, answers: ballots },
  { appraisal: 'county-2026', category: 'npc_deputy', count: 30, used: 18, answers: [...ballots, rating, sessions] },
  { appraisal: 'county-2026', category: 'cppcc_member', count: 30, used: 18, answers: [...ballots, rating, sessions] },
  { appraisal: 'county-2026', category: 'masses_rep', count: 30, used: 18, answers: ballots },
  { appraisal: 'county-2026', category: 'service_recipient', count: 60, used: 36, answers: [rating] },
  recipientsOf('swj'),
  recipientsOf('xzspj'),
  recipientsOf('scjgj'),
  ...staffOf('fgj', { leader_member: [5, 5], middle_manager: [10, 9], staff: [20, 17], non_staff: [5, 4] }),
  ...staffOf('czj', { leader_member: [5, 4], middle_manager: [12, 8], staff: [24, 20], non_staff: [6, 5] }),
  {
    appraisal: 'county-2025',
    category: 'npc_deputy',
    count: 20,
    used: 20,
    answers: [{ instrument: 'rating-units-2025', at: RATING_2025 }],
  },
  {
    appraisal: 'county-2025',
    category: 'cppcc_member',
    count: 20,
    used: 20,
    answers: [{ instrument: 'rating-units-2025', at: RATING_2025 }],
  },
  {
    appraisal: 'county-2025',
    category: 'service_recipient',
    count: 40,
    used: 40,
    answers: [{ instrument: 'rating-units-2025', at: RATING_2025 }],
  },
];
const PUBLIC_ANSWERS: DemoPlan[] = [
  { instrument: 'questionnaire-public-2026', category: 'public', at: OPEN_2026, count: 40 },
  { instrument: 'vote-service-2026', category: 'public', at: OPEN_2026, count: 60 },
];

export async function seed(target: Target = { remote: false, persistTo: process.env.KAOPING_PERSIST }) {
  const vars = ensureDevVars();
  const pepper = vars.get('CODE_PEPPER') as string;
  const rows: string[][] = [];
  const runs: CodeRows[] = [];
  const plans: DemoPlan[] = [];
  for (const b of DEMO_BATCHES) {
    const scope = scopeOf(b.subjects);
    const suffix = scope === '*' ? '' : `-${scope.replace(/,/g, '-')}`;
    const { codes, rows: run } = await issueCodes({
      appraisal: b.appraisal,
      category: b.category,
      count: b.count,
      batch: `demo-${b.appraisal}-${b.category}${suffix}`,
      pepper,
      issuedOn: b.appraisal === 'county-2025' ? '2025-11-20' : '2026-02-15',
      scope,
      random: await demoRandom(`kaoping-demo/${b.appraisal}/${b.category}${suffix}`),
    });
    runs.push(run);
    const used = codes.slice(0, b.used);
    for (const a of b.answers) plans.push({ ...a, category: b.category, scope, codes: used });
    for (const [i, c] of codes.entries()) {
      rows.push([c, b.category, b.appraisal, i < b.used ? b.answers.map((a) => a.instrument).join(' ') : '', scope]);
    }
  }
  // The demo integrator key (its secret derives from FEED_KEY_SECRET, so it is the same on every run).
  const feedKey = await newFeedKey(vars.get('FEED_KEY_SECRET') as string, '演示: 内部考核系统', 'demo-internal');
  const content = buildCatalog(undefined, GENERATED);
  const catalog = runtimeCatalog(content);
  const { stored, followUp } = await withDb(target, async (db, env) => {
    for (const run of runs) await insertCodes(db, run, { orIgnore: true });
    await insertFeedKey(db, feedKey.row, { orIgnore: true });
    await seedObservers(db, vars, content);
    const followUp = await seedFollowUp(db, content, vars);
    // The evaluation meeting's paper ballots: the second source of rating-sessions-2026 (issue 19).
    await seedMeeting(db, catalog);
    return { stored: await submitDemoResponses(catalog, [...plans, ...PUBLIC_ANSWERS], db, env), followUp };
  });
  mkdirSync('.demo', { recursive: true });
  writeFileSync(
    '.demo/feed-keys.csv',
    stringify([[feedKey.id, feedKey.secret]], { header: true, columns: ['keyId', 'secret'] }),
  );
  writeFileSync(
    '.demo/codes.csv',
    stringify(rows, { header: true, columns: ['code', 'raterCategory', 'appraisal', 'answered', 'subjects'] }),
  );
  // The appraised units' objection credentials (public knowledge: demo only), and the demo's tracking numbers.
  writeFileSync(
    '.demo/objection-credentials.csv',
    stringify(
      followUp.credentials.map((c) => [c.appraisal, c.subjectKind, c.subjectId, c.credential]),
      { header: true, columns: ['appraisal', 'subjectKind', 'subjectId', 'credential'] },
    ),
  );
  writeFileSync(
    '.demo/follow-up.csv',
    stringify(
      [
        ['objection', followUp.openObjectionTracking, 'county-2026 scjgj (待受理)'],
        ['objection', followUp.decidedObjectionTracking, 'county-2025 xzspj (已答复, 结论已公开)'],
        ...followUp.messages.map((m) => ['message', m.tracking, `${m.unit ?? ''}${m.published ? ' (已公开)' : ''}`]),
      ],
      { header: true, columns: ['kind', 'tracking', 'note'] },
    ),
  );
  console.log(
    `演示数据已就绪: 参与码 ${rows.length} 个 (.demo/codes.csv, 其中 answered 为空的未使用), 本次新增演示意见 ${stored} 份`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await seed();
}
