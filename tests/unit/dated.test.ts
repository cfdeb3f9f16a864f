// Dated page parts at build time (src/lib/site/dated.ts) and their markup
// contract (src/domain/dated.ts): where a page may change, one rendering per
// span that reads differently, hidden variants that keep ids unique.
import { describe, expect, it } from 'vitest';
import { variantHolds } from '../../src/domain/dated';
import { changePoints, datedVariants, dayStart, hideVariant } from '../../src/lib/site/dated';

const iso = (t: number) => new Date(t).toISOString();

describe('changePoints', () => {
  it('takes each day of the content at China midnight, and the next midnight, each instant, and New Year', () => {
    const points = changePoints({
      phases: { opinion: { start: '2026-11-20', end: '2026-12-20' } },
      closesAt: '2026-12-20T10:00:00.000Z',
      note: 'x',
    });
    expect(points.map(iso)).toEqual([
      '2025-12-31T16:00:00.000Z', // 2026-01-01 in China
      '2026-11-19T16:00:00.000Z', // 11-20 begins
      '2026-11-20T16:00:00.000Z', // 11-20 ends
      '2026-12-19T16:00:00.000Z',
      '2026-12-20T10:00:00.000Z', // the instant
      '2026-12-20T16:00:00.000Z',
      '2026-12-31T16:00:00.000Z', // 2027-01-01
    ]);
    expect(dayStart('2026-12-01')).toBe(Date.parse('2026-11-30T16:00:00Z'));
  });
});

describe('datedVariants', () => {
  const points = [
    Date.parse('2026-12-01T00:00:00Z'),
    Date.parse('2026-12-02T00:00:00Z'),
    Date.parse('2026-12-03T00:00:00Z'),
  ];
  const built = new Date('2026-11-30T00:00:00Z');

  it('renders at the build and at every later point, merging runs that read the same', async () => {
    const seen: string[] = [];
    const v = await datedVariants(
      async (now) => {
        seen.push(now.toISOString());
        return now < new Date('2026-12-02T00:00:00Z') ? '<p>before</p>' : '<p>after</p>';
      },
      [Date.parse('2026-11-01T00:00:00Z'), ...points],
      built,
    );
    // Points before the build are never rendered: time only moves on.
    expect(seen).toEqual([built.toISOString(), ...points.map(iso)]);
    expect(v).toEqual([
      { from: undefined, until: '2026-12-02T00:00:00.000Z', html: '<p>before</p>' },
      { from: '2026-12-02T00:00:00.000Z', until: undefined, html: '<p>after</p>' },
    ]);
  });

  it("does not split a span over today's date alone: the server writes it", async () => {
    const v = await datedVariants(
      async (now) =>
        `<p>今天: <time data-today datetime="${now.toISOString().slice(0, 10)}">${now.getTime()}</time></p>`,
      points,
      built,
    );
    expect(v).toHaveLength(1);
  });

  it('gives spans that hold exactly one at any instant', async () => {
    let n = 0;
    const v = await datedVariants(async () => `<p>${n++}</p>`, points, built);
    expect(v).toHaveLength(4);
    for (const t of [
      Date.parse('2020-01-01T00:00:00Z'),
      ...points,
      ...points.map((p) => p - 1),
      Date.parse('2030-01-01T00:00:00Z'),
    ])
      expect(v.filter((x) => variantHolds(x.from, x.until, t))).toHaveLength(1);
  });
});

describe('hideVariant', () => {
  it('renames the attributes that name or point at ids, in tags only', () => {
    expect(
      hideVariant('<h2 id="a">id="a" for="b"</h2><label for="b" aria-describedby="c">x</label><td headers="h">'),
    ).toBe(
      '<h2 data-kp-id="a">id="a" for="b"</h2><label data-kp-for="b" data-kp-aria-describedby="c">x</label><td data-kp-headers="h">',
    );
    expect(hideVariant('<a data-id="x" href="#a">')).toBe('<a data-id="x" href="#a">');
  });
});
