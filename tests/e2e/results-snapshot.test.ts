// The committed snapshot of the demo appraisal, the results page built from it
// and the live feed of a freshly seeded D1 tell the same numbers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../scripts/lib/content';
import { signFeedRequest } from '../../src/domain/feed';
import { feedBody } from '../../src/domain/schemas/feed';
import { snapshot } from '../../src/domain/schemas/snapshot';
import { expectAccessible, useBrowser } from './browser';

const b = useBrowser();

async function feed(appraisal: string) {
  const [, line] = readFileSync('.demo/feed-keys.csv', 'utf8').trim().split('\n');
  const [keyId, secret] = (line ?? '').split(',') as [string, string];
  const url = `${b.base}/api/v1/feed/appraisals/${appraisal}/tallies`;
  const r = await fetch(url, { headers: await signFeedRequest({ keyId, secret, method: 'GET', url }) });
  expect(r.status).toBe(200);
  return feedBody.parse(await r.json());
}

describe('results snapshot', () => {
  it('has the digests of the live feed for every closed instrument', async () => {
    for (const appraisal of ['county-2025', 'county-2026']) {
      const snap = snapshot.parse(JSON.parse(readFileSync(`src/content/snapshots/${appraisal}.json`, 'utf8')));
      const live = await feed(appraisal);
      for (const i of snap.instruments) {
        const l = live.instruments.find((x) => x.id === i.id);
        expect(l?.status).toBe('closed');
        expect(l?.digest).toBe(i.digest);
        expect(l?.subjects).toEqual(i.subjects);
        expect(l?.turnout).toEqual(i.turnout);
      }
      if (appraisal === 'county-2025') expect(live.digest).toBe(snap.digest);
    }
  });

  it('builds into a results page whose scores and turnout equal the feed', async () => {
    const live = await feed('county-2025');
    const inst = live.instruments.find((i) => i.id === 'rating-units-2025');
    if (!inst) throw new Error('rating-units-2025 missing from the feed');
    const units = new Map(loadContent().catalog.units.map((u) => [u.id, u.data.shortName ?? u.data.name]));
    const p = await b.page('/results/county-2025/');
    expect(await p.content()).toContain(inst.digest);
    const table = p.locator('table', { has: p.locator('caption', { hasText: '各对象加权得分' }) });
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.querySelector('th')?.textContent?.trim() ?? '',
          tr.querySelector('td')?.textContent?.trim() ?? '',
        ]),
      );
    const shown = new Map(rows.map(([k, v]) => [k, v] as [string, string]));
    expect(shown.size).toBe(inst.subjects.length);
    for (const s of inst.subjects) {
      expect(shown.get(units.get(s.subject.id) as string)).toBe(s.score?.toFixed(1));
    }
    const total = inst.turnout.reduce((n, t) => n + t.responses, 0);
    expect(await p.locator('main').textContent()).toContain(String(total));
    await expectAccessible(p);
    await p.close();
  });
});
