// An instrument of a committed snapshot as the site publishes it (the public
// view, k of its appraisal), so e2e tests compute the figures they expect on a
// page instead of pinning numbers that move whenever the demo data does.
import { readFileSync } from 'node:fs';
import { loadContent, runtimeCatalog } from '../../src/build/content';
import { minCellOf } from '../../src/domain/disclosure';
import { publicSnapshot } from '../../src/domain/public-tally';
import { snapshot } from '../../src/domain/schemas/snapshot';

export function publishedInstrument(appraisal: string, instrument: string) {
  const catalog = runtimeCatalog(loadContent().catalog);
  const snap = snapshot.parse(JSON.parse(readFileSync(`src/content/snapshots/${appraisal}.json`, 'utf8')));
  const k = minCellOf(catalog.appraisals.find((a) => a.id === appraisal));
  const pub = publicSnapshot(snap, (id) => catalog.instruments.find((i) => i.id === id), k);
  const inst = pub.instruments.find((i) => i.id === instrument);
  if (!inst) throw new Error(`${instrument} missing from the ${appraisal} snapshot`);
  return inst;
}
