// The committed snapshot of the demo appraisal, the results page built from it
// and the live feed of a freshly seeded D1 tell the same numbers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/build/content';
import { signFeedRequest } from '../../src/domain/feed';
import { feedBody } from '../../src/domain/schemas/feed';
import { snapshot } from '../../src/domain/schemas/snapshot';
import { expectAccessible, useBrowser } from '../support/browser';

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

  it('links the spent-token list, and every token in it verifies with the published key of its category and scope', async () => {
    const p = await b.page('/results/county-2025/');
    const link = p
      .locator('#tally-rating-units-2025')
      .getByRole('link', { name: '已使用的匿名令牌清单 (JSON, 含公钥)' });
    const href = await link.getAttribute('href');
    expect(href).toBe('/api/v1/instruments/rating-units-2025/tokens/spent');
    expect(await p.locator('#tally-rating-units-2025').getByRole('link', { name: '如何用常见工具核验' }).count()).toBe(
      1,
    );
    await p.close();
    const list = (await (await fetch(`${b.base}${href}`)).json()) as {
      spent: number;
      issued: number;
      keys: { raterCategory: string; scope: string; spki: string; issued: number; spent: number }[];
      tokens: { msg: string; sig: string }[];
    };
    const live = (await feed('county-2025')).instruments.find((i) => i.id === 'rating-units-2025');
    // Checked with plain WebCrypto, not with the portal's code: RSA-PSS, SHA-384, salt 48 over the message.
    const b64 = (s: string) => Buffer.from(s, 'base64url');
    const keys = new Map<string, CryptoKey>();
    for (const k of list.keys) {
      keys.set(
        `${k.raterCategory}/${k.scope}`,
        await crypto.subtle.importKey('spki', b64(k.spki), { name: 'RSA-PSS', hash: 'SHA-384' }, false, ['verify']),
      );
    }
    const perCategory = new Map<string, number>();
    for (const t of list.tokens) {
      const msg = b64(t.msg);
      // Untargeted tokens have three lines; a targeted code's (定点定向) a fourth: its subjects.
      const [label, instrument, category, scope = '*'] = msg.subarray(32).toString('utf8').split('\n');
      expect([label, instrument]).toEqual(['kaoping-token/v1', 'rating-units-2025']);
      const key = keys.get(`${category}/${scope}`);
      if (!key) throw new Error(`no key for ${category}/${scope}`);
      expect(await crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 48 }, key, b64(t.sig), msg)).toBe(true);
      perCategory.set(category as string, (perCategory.get(category as string) ?? 0) + 1);
    }
    expect(list.tokens.map((t) => t.msg)).toEqual([...list.tokens.map((t) => t.msg)].sort());
    expect(list.spent).toBe(list.tokens.length);
    expect(list.spent).toBeLessThanOrEqual(list.issued);
    for (const t of live?.turnout ?? []) expect(perCategory.get(t.raterCategory) ?? 0).toBe(t.responses);
    expect(list.spent).toBe(live?.turnout.reduce((n, t) => n + t.responses, 0));
  });
});
