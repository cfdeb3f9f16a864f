// 指标体系 (src/domain/schemas/indicators.ts): area weights sum to 100 and
// each area's indicator points sum to its weight, up to rounding of decimals.
import { describe, expect, it } from 'vitest';
import { indicatorSystem } from '../../../src/domain/schemas/indicators';

const indicator = (id: string, points: number) => ({ id, name: `指标${id}`, points, standard: '' });
const area = (id: string, weight: number, points: number[]) => ({
  id,
  name: `领域${id}`,
  weight,
  indicators: points.map((p, i) => indicator(`${id}-${i}`, p)),
});
const system = (areas: object[]) => ({ id: 's', appraisal: 'a', title: '指标体系', areas });
const issues = (areas: object[]) => {
  const r = indicatorSystem.safeParse(system(areas));
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('indicator system', () => {
  it('accepts weights that sum to 100 and points that sum to each weight, decimals included', () => {
    expect(issues([area('a', 60, [30, 30]), area('b', 40, [40])])).toEqual([]);
    expect(issues([area('a', 33.3, [11.1, 11.1, 11.1]), area('b', 33.3, [33.3]), area('c', 33.4, [33.4])])).toEqual([]);
  });

  it('names the areas when their weights do not sum to 100', () => {
    expect(issues([area('a', 60, [60]), area('b', 30, [30])])).toEqual(['areas: 各领域权重之和应为 100, 实为 90']);
  });

  it('names the area whose points do not sum to its weight', () => {
    expect(issues([area('a', 60, [30, 20]), area('b', 40, [40])])).toEqual([
      'areas.0.indicators: “领域a”的指标分值之和应为 60, 实为 50',
    ]);
  });

  it('refuses an empty system, an empty area and non-positive points', () => {
    expect(issues([])).not.toEqual([]);
    expect(issues([area('a', 100, [])])).not.toEqual([]);
    expect(issues([area('a', 100, [100, 0])])).not.toEqual([]);
  });
});
