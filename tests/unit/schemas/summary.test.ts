// Work summaries and annual reports (src/domain/schemas/summary.ts): an
// annual report (述职报告) must say whose it is.
import { describe, expect, it } from 'vitest';
import { summary } from '../../../src/domain/schemas/summary';

const base = {
  appraisal: 'a',
  unit: 'u1',
  title: '工作总结',
  publicity: { start: '2026-11-25', end: '2026-12-10' },
};

describe('summary', () => {
  it('needs an official for an annual report, not for a work summary', () => {
    expect(summary.safeParse({ ...base, kind: 'work-summary' }).success).toBe(true);
    expect(summary.safeParse({ ...base, kind: 'annual-report', official: 'o1' }).success).toBe(true);
    const r = summary.safeParse({ ...base, kind: 'annual-report' });
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['official']);
  });

  it('has a publicity window that does not end before it starts', () => {
    const r = summary.safeParse({
      ...base,
      kind: 'work-summary',
      publicity: { start: '2026-12-10', end: '2026-11-25' },
    });
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['publicity.end']);
  });
});
