// npm run results:snapshot -- --appraisal ID [--remote] [--out FILE]
// Pulls the final tallies of the appraisal's closed instruments from D1 into
// src/content/snapshots/<appraisal>.json (the public record, to be committed):
// the same figures and digest the feed gives, plus the sorted receipt lists.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { buildCatalog, GENERATED, runtimeCatalog } from '../src/build/content';
import { categoryLabel } from '../src/domain/catalog';
import { buildFeed } from '../src/domain/feed';
import { instrumentStatus } from '../src/domain/instrument';
import type { TallyCount } from '../src/domain/schemas/participation';
import { type Snapshot, snapshot } from '../src/domain/schemas/snapshot';
import { codesIssued } from '../src/domain/tally';
import { readFinalFigures } from '../src/server/db/admin/tallies';
import { paperOf } from '../src/server/db/paper';
import { readOverrides } from '../src/server/db/tallies';
import { withDb } from './lib/d1';
import type { Target } from './lib/wrangler';

export async function takeSnapshot(appraisal: string, target: Target, now = new Date()): Promise<Snapshot> {
  const catalog = runtimeCatalog(buildCatalog(undefined, GENERATED));
  if (!catalog.appraisals.some((a) => a.id === appraisal)) throw new Error(`未知的考核 ${appraisal}`);
  const { closed, counts, turnout, issued, receipts, paper } = await withDb(target, async (db) => {
    const overrides = await readOverrides(db);
    const closed = catalog.instruments.filter(
      (i) => i.appraisal === appraisal && instrumentStatus(i, now, overrides.get(i.id)) === 'closed',
    );
    return {
      closed,
      ...(await readFinalFigures(
        db,
        appraisal,
        closed.map((i) => i.id),
      )),
    };
  });
  const feed = await buildFeed(
    appraisal,
    now.toISOString(),
    closed.map((instrument) => ({
      instrument,
      status: 'closed' as const,
      counts: counts
        .filter((c) => c.instrument === instrument.id)
        .map(
          ({ question, option, raterCategory, count }) => ({ question, option, raterCategory, count }) as TallyCount,
        ),
      turnout: turnout
        .filter((t) => t.instrument === instrument.id)
        .map(({ raterCategory, responses }) => ({ raterCategory, responses })),
      // Paper ballots counted at the instrument's meetings: the second source of the same tally (issue 19).
      paper: paperOf(paper, instrument.id),
      // Codes that may answer this instrument: targeted batches (定点定向) count for their own subjects.
      issued: codesIssued(instrument, issued).byCategory,
      issuedBySubject: codesIssued(instrument, issued).bySubject,
      label: categoryLabel(catalog, appraisal),
    })),
  );
  return snapshot.parse({
    appraisal,
    takenAt: feed.asOf,
    digest: feed.digest,
    instruments: feed.instruments.map((i) => ({
      ...i,
      receipts: receipts.filter((r) => r.instrument === i.id).map((r) => r.receipt),
    })),
  });
}

const sum = (t: { responses: number }[] | undefined) => (t ?? []).reduce((s, x) => s + x.responses, 0);

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      appraisal: { type: 'string' },
      remote: { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.appraisal) {
    console.log(
      '用法: npm run results:snapshot -- --appraisal ID [--remote] [--out 文件]\n把已截止测评的最终统计写入 src/content/snapshots/<ID>.json (提交后作为公开记录)。',
    );
    process.exit(values.help ? 0 : 2);
  }
  const now = process.env.KAOPING_NOW ? new Date(process.env.KAOPING_NOW) : new Date();
  const snap = await takeSnapshot(
    values.appraisal,
    { remote: values.remote ?? false, persistTo: process.env.KAOPING_PERSIST },
    now,
  );
  const out = values.out ?? `src/content/snapshots/${values.appraisal}.json`;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(snap, null, 2)}\n`);
  for (const i of snap.instruments) {
    console.log(
      `  ${i.id}: ${i.turnout.reduce((s, t) => s + t.responses, 0)} 份意见 (网上 ${sum(i.sources?.online.turnout)}, 纸质 ${sum(i.sources?.paper.turnout)}), ${i.counts.length} 个计数, ${i.receipts.length} 个回执`,
    );
  }
  console.log(
    `已写出 ${out} (${snap.instruments.length} 项已截止测评, 摘要 ${snap.digest})。提交此文件后重新构建, 结果公示页即显示这些数字。`,
  );
}
