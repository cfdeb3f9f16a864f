// Anyone can recompute every published score from the published counts and the
// published rule (issue 18): this test does exactly that for every subject of
// every committed results snapshot (what the results pages and the open data
// show), with arithmetic of its own, not src/domain/tally.ts. It fails when a
// weight, a grade's points, the treatment of 不了解 or the minimum of known
// answers is applied differently from what the rule says.
import { describe, expect, it } from 'vitest';
import s2025 from '../../src/content/snapshots/county-2025.json';
import s2026 from '../../src/content/snapshots/county-2026.json';
import { snapshot } from '../../src/domain/schemas/snapshot';

const snapshots = [s2025, s2026].map((s) => snapshot.parse(s));

/** A question's subject: the part of its id before the first dot (the rule says so). */
const subjectOf = (question: string) => question.split('.')[0] as string;

describe('every published score, recomputed from the published counts and rule', () => {
  const cases = snapshots.flatMap((snap) =>
    snap.instruments.flatMap((inst) => inst.subjects.map((s) => ({ snap: snap.appraisal, inst, s }))),
  );

  it('has subjects to check in the demo (scored, 样本不足 and with 不了解 among them)', () => {
    expect(cases.length).toBeGreaterThan(20);
    expect(cases.some((c) => c.s.status === 'scored')).toBe(true);
    expect(cases.some((c) => c.s.unknown > 0)).toBe(true);
  });

  it.each(cases.map((c) => [`${c.snap} ${c.inst.id} ${c.s.subject.kind}:${c.s.subject.id}`, c]))('%s', (_, c) => {
    const { inst, s } = c;
    const rule = inst.rule;
    const mine = inst.counts.filter((x) => subjectOf(x.question) === s.subject.id);
    const unknown = mine.filter((x) => x.question === `${s.subject.id}.unknown`).reduce((n, x) => n + x.count, 0);
    const graded = mine.filter((x) => rule.gradeScores[x.option] !== undefined && !x.question.endsWith('.unknown'));
    // Known answers: every response that graded the subject answered each of its graded questions once.
    const perQuestion = new Map<string, number>();
    for (const x of graded) perQuestion.set(x.question, (perQuestion.get(x.question) ?? 0) + x.count);
    const known = Math.max(0, ...perQuestion.values());
    const categories = new Map<string, { points: number; answers: number }>();
    for (const x of graded) {
      const acc = categories.get(x.raterCategory) ?? { points: 0, answers: 0 };
      acc.points += (rule.gradeScores[x.option] as number) * x.count;
      acc.answers += x.count;
      categories.set(x.raterCategory, acc);
    }
    const weighted = Object.keys(rule.weights).length > 0;
    let sum = 0;
    let weights = 0;
    for (const [cat, v] of categories) {
      const w = weighted ? (rule.weights[cat] ?? 0) : 1;
      sum += w * (v.points / v.answers);
      weights += w;
    }
    const expected = known >= rule.minKnown && weights > 0 ? Math.round((sum / weights) * 100) / 100 : null;
    expect([s.known, s.unknown]).toEqual([known, unknown]);
    expect(s.status).toBe(known >= rule.minKnown ? 'scored' : 'insufficient');
    expect(s.score).toBe(expected);
    expect(s.contribution).toBe(expected === null ? null : Math.round(expected * rule.share) / 100);
  });
});
