import { describe, expect, it } from 'vitest';
import { barChart, CHART_BACKGROUNDS, contrast, TONES, toneColour } from '../../src/lib/site/chart';

describe('barChart (the one chart code of the site)', () => {
  const scores = [
    { label: '甲', value: 92.4 },
    { label: '乙', value: 90.1 },
    { label: '丙', value: 88 },
  ];

  it('starts every axis at zero, even when the values cluster near 90', () => {
    const c = barChart(scores, { max: 100 });
    expect(c.min).toBe(0);
    expect(c.ticks[0]).toEqual({ x: c.x0, label: '0' });
    // Bar lengths are proportional to the values: 88 is 88/92.4 of the longest bar.
    const [a, , cc] = c.bars;
    expect(cc!.width / a!.width).toBeCloseTo(88 / 92.4, 2);
    expect(a!.width).toBeCloseTo((92.4 / 100) * c.span, 0);
  });

  it('has no option to cut the axis', () => {
    // A caller passing a start (as the old pages did) gets a zero baseline anyway.
    const c = barChart(scores, { max: 100, ...({ min: 75 } as object) });
    expect(c.min).toBe(0);
    expect(c.bars[2]!.width).toBeGreaterThan(c.span * 0.8);
  });

  it('gives a zero value no bar and scales counts from zero', () => {
    const c = barChart([
      { label: '满意', value: 0 },
      { label: '基本满意', value: 10 },
    ]);
    expect(c.bars[0]!.width).toBe(0);
    expect(c.max).toBeGreaterThanOrEqual(10);
    expect(c.ticks.map((t) => t.label)[0]).toBe('0');
  });

  it('colours each bar by its tone', () => {
    const c = barChart([
      { label: '好', value: 3, tone: 1 },
      { label: '差', value: 1, tone: 4 },
    ]);
    expect(c.bars.map((b) => b.colour)).toEqual([TONES[1], TONES[4]]);
  });
});

describe('chart colours', () => {
  it('computes WCAG contrast as the standard does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 1);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 1);
  });

  it.each(TONES.map((c, i) => [i, c]))('tone %i (%s) keeps 3:1 against every chart background', (_, colour) => {
    for (const bg of CHART_BACKGROUNDS) expect(contrast(colour as string, bg)).toBeGreaterThanOrEqual(3);
  });

  it('clamps tones outside the palette to a real colour', () => {
    expect(toneColour(-1)).toBe(TONES[0]);
    expect(toneColour(99)).toBe(TONES[TONES.length - 1]);
  });
});
