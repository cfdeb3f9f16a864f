// The content checks that span entries (src/domain/catalog.ts): every
// reference resolves, ids are unique and match their files, dates agree with
// the appraisal (publicity at least 5 days before the unit is appraised), and
// each problem names the file and the field. Each test breaks one thing in a
// valid catalog and expects exactly that one problem. The build's use of it
// is tested in tests/node/content-check.test.ts.
import { describe, expect, it } from 'vitest';
import { type Catalog, checkCatalog, type Entry, formatIssue, MIN_PUBLICITY_DAYS } from '../../src/domain/catalog';
import { appraisal } from '../../src/domain/schemas/appraisal';
import { instrumentSource } from '../../src/domain/schemas/instrument';
import { observer } from '../../src/domain/schemas/observer';
import { official } from '../../src/domain/schemas/official';
import { result } from '../../src/domain/schemas/result';
import { summary } from '../../src/domain/schemas/summary';
import { team } from '../../src/domain/schemas/team';
import { unit } from '../../src/domain/schemas/unit';
import { openWindow, phases } from '../support/unit-fixtures';

const entry = <T>(dir: string, id: string, data: T): Entry<T> => ({ file: `${dir}/${id}.yaml`, id, data });

const appraisalData = appraisal.parse({
  id: 'a-2026',
  year: 2026,
  title: '2026年度考核',
  authority: '组织部',
  region: '某县',
  summary: '',
  phases,
  procedure: [{ title: '考核预告', description: '' }],
  objection: { howTo: '书面申诉' },
  raterCategories: [
    { id: 'npc_deputy', label: '人大代表', group: 'external' },
    { id: 'party_deputy', label: '党代表', group: 'external' },
    { id: 'staff', label: '一般干部', group: 'internal' },
    { id: 'public', label: '社会公众', group: 'public' },
  ],
});
const unitData = (id: string) => unit.parse({ id, name: `单位${id}`, category: 'economic', profile: '' });
const person = { name: '张三', post: '组长' };
const contact = { phone: '0799-8611700', email: 'kp@example.org' };
const rating = {
  id: 'r-2026',
  appraisal: 'a-2026',
  kind: 'rating',
  title: '满意度评议',
  access: 'code',
  raterCategories: ['npc_deputy', 'party_deputy'],
  categoryWeights: { npc_deputy: 50, party_deputy: 50 },
  ...openWindow,
  subjects: ['u1', 'u2'],
};

/** A valid catalog; `change` edits a copy of the raw entries before they are parsed. */
function catalog(change: (raw: Record<string, Record<string, unknown>[]>) => void = () => {}): Catalog {
  const raw: Record<string, Record<string, unknown>[]> = {
    units: [unitData('u1'), unitData('u2')],
    officials: [{ id: 'o1', name: '李四', post: '局长', unit: 'u1' }],
    teams: [
      {
        id: 't1',
        appraisal: 'a-2026',
        name: '第一考核组',
        leader: person,
        members: [person],
        ...contact,
        units: [
          { unit: 'u1', date: '2026-12-07' },
          { unit: 'u2', date: '2026-12-18' },
        ],
      },
    ],
    observers: [{ id: 'obs1', appraisal: 'a-2026', name: '王五', role: 'fixed-point', ...contact, units: ['u1'] }],
    summaries: [
      {
        appraisal: 'a-2026',
        unit: 'u1',
        kind: 'annual-report',
        official: 'o1',
        title: '述职报告',
        publicity: { start: '2026-12-02', end: '2026-12-10' },
      },
    ],
    instruments: [structuredClone(rating)],
    results: [
      {
        appraisal: 'a-2026',
        title: '考核结果',
        publishedOn: '2027-01-15',
        bands: ['先进', '达标'],
        entries: [{ subject: { kind: 'official', id: 'o1' }, band: '先进' }],
      },
    ],
  };
  change(raw);
  const id = (x: Record<string, unknown>, i: number) => (x.id as string | undefined) ?? `${x.appraisal}-${i}`;
  return {
    appraisals: [entry('appraisals', 'a-2026', appraisalData)],
    units: raw.units!.map((x) => entry('units', x.id as string, unit.parse(x))),
    officials: raw.officials!.map((x) => entry('officials', x.id as string, official.parse(x))),
    teams: raw.teams!.map((x) => entry('teams', x.id as string, team.parse(x))),
    observers: raw.observers!.map((x) => entry('observers', x.id as string, observer.parse(x))),
    indicators: [],
    summaries: raw.summaries!.map((x, i) => entry('summaries', id(x, i), summary.parse(x))),
    instruments: raw.instruments!.map((x) => entry('instruments', x.id as string, instrumentSource.parse(x))),
    results: raw.results!.map((x, i) => entry('results', id(x, i), result.parse(x))),
    snapshots: [],
    holidays: [],
  };
}
const problems = (c: Catalog) => checkCatalog(c).map(formatIssue);

describe('checkCatalog', () => {
  it('finds nothing wrong in a consistent catalog', () => {
    expect(checkCatalog(catalog())).toEqual([]);
  });

  it('names a duplicate id and an id that differs from its file name', () => {
    const dup = catalog((r) => r.units!.push(unitData('u1')));
    expect(problems(dup)).toEqual(['units/u1.yaml: id: units 中 id “u1” 重复']);
    const c = catalog();
    c.units[1] = { ...c.units[1]!, id: 'u3', file: 'units/u3.yaml' };
    expect(problems(c)).toContain('units/u3.yaml: id: id “u2” 与文件名 “u3” 不一致');
  });

  it('names references to an unknown appraisal, unit or parent', () => {
    expect(problems(catalog((r) => (r.observers![0]!.appraisal = 'a-2025')))).toEqual([
      'observers/obs1.yaml: appraisal: 未知的考核 “a-2025”',
    ]);
    expect(problems(catalog((r) => (r.officials![0]!.unit = 'nope')))).toEqual([
      'officials/o1.yaml: unit: 未知的单位 “nope”',
      // The annual report's official now belongs to another unit than the report's.
      'summaries/a-2026-0.yaml: official: “李四” 不属于单位 “u1”',
    ]);
    expect(problems(catalog((r) => (r.units![1]!.parent = 'nope')))).toEqual([
      'units/u2.yaml: parent: 未知的单位 “nope”',
    ]);
    expect(problems(catalog((r) => (r.observers![0]!.units = ['u1', 'nope'])))).toEqual([
      'observers/obs1.yaml: units.1: 未知的单位 “nope”',
    ]);
  });

  it('keeps appraisal days inside fieldwork, both ends included', () => {
    const on = (date: string) => problems(catalog((r) => ((r.teams![0]!.units as { date: string }[])[1]!.date = date)));
    expect(on('2026-12-18')).toEqual([]);
    expect(on('2026-12-19')).toEqual([
      'teams/t1.yaml: units.1.date: 考核日期 2026-12-19 不在实地考核阶段 (2026-12-07 至 2026-12-18) 内',
    ]);
    expect(on('2026-12-06')).toHaveLength(1);
  });

  it(`starts publicity at least ${MIN_PUBLICITY_DAYS} days before the day the team appraises the unit`, () => {
    const from = (start: string) =>
      problems(catalog((r) => (r.summaries![0]!.publicity = { start, end: '2026-12-20' })));
    // u1 is appraised on 12-07: 12-02 is 5 days ahead, 12-03 only 4.
    expect(from('2026-12-02')).toEqual([]);
    expect(from('2026-12-03')).toEqual([
      'summaries/a-2026-0.yaml: publicity.start: 公示须在考核 (2026-12-07) 前至少 5 天开始, 现为 2026-12-03 (提前 4 天)',
    ]);
    // u2 is appraised on 12-18, not at the start of fieldwork: 12-10 is early enough for it.
    const u2 = problems(
      catalog((r) => {
        r.summaries![0] = { ...r.summaries![0]!, unit: 'u2', kind: 'work-summary', official: undefined };
        r.summaries![0]!.publicity = { start: '2026-12-10', end: '2026-12-20' };
      }),
    );
    expect(u2).toEqual([]);
  });

  it('names an annual report of an unknown official or of one from another unit', () => {
    expect(problems(catalog((r) => (r.summaries![0]!.official = 'o9')))).toEqual([
      'summaries/a-2026-0.yaml: official: 未知的领导干部 “o9”',
    ]);
    expect(problems(catalog((r) => (r.summaries![0]!.unit = 'u2')))).toEqual([
      'summaries/a-2026-0.yaml: official: “李四” 不属于单位 “u2”',
    ]);
  });

  it('resolves the subjects of every kind of instrument', () => {
    const inst = (x: object) => problems(catalog((r) => (r.instruments = [{ ...rating, ...x }])));
    expect(inst({ subjects: ['u1', 'u9'] })).toEqual(['instruments/r-2026.yaml: subjects.1: 未知的考核对象 unit “u9”']);
    const ballot = { kind: 'ballot', subjectKind: 'official', items: [{ id: 'i', category: '德', label: '品质' }] };
    expect(inst({ ...ballot, subjects: ['o1'] })).toEqual([]);
    // A ballot about officials does not accept a unit id, and the reverse.
    expect(inst({ ...ballot, subjects: ['u1'] })).toEqual([
      'instruments/r-2026.yaml: subjects.0: 未知的考核对象 official “u1”',
    ]);
    expect(inst({ ...ballot, subjectKind: 'group', subjects: ['o1'] })).toEqual([
      'instruments/r-2026.yaml: subjects.0: 未知的考核对象 group “o1”',
    ]);
    const candidates = [
      { id: 'c1', label: '甲', subject: { kind: 'unit', id: 'u1' } },
      { id: 'c2', label: '乙', subject: { kind: 'official', id: 'o2' } },
    ];
    expect(inst({ kind: 'vote', prompt: '选', candidates, max: 1 })).toEqual([
      'instruments/r-2026.yaml: candidates.1.subject: 未知的考核对象 official “o2”',
    ]);
    const questions = [
      {
        id: 'q1',
        type: 'choice',
        label: 'Q',
        subject: { kind: 'unit', id: 'u7' },
        options: [
          { id: 'a', label: 'a' },
          { id: 'b', label: 'b' },
        ],
      },
    ];
    expect(inst({ kind: 'questionnaire', questions })).toEqual([
      'instruments/r-2026.yaml: questions.0.subject: 未知的考核对象 unit “u7”',
    ]);
  });

  it('weights only the categories that may answer', () => {
    const weights = (w: object, x: object = {}) =>
      problems(catalog((r) => (r.instruments = [{ ...rating, categoryWeights: w, ...x }])));
    expect(weights({ npc_deputy: 50, masses_rep: 50 })).toEqual([
      'instruments/r-2026.yaml: categoryWeights.masses_rep: 评议主体 “masses_rep” 不能参与本测评',
    ]);
    expect(weights({ public: 100 }, { access: 'public', raterCategories: [] })).toEqual([]);
    expect(weights({ npc_deputy: 100 }, { access: 'public', raterCategories: [] })).toHaveLength(1);
  });

  it('names a category the appraisal does not list, or the public category on a code instrument', () => {
    const cats = (raterCategories: string[], x: object = {}) =>
      problems(catalog((r) => (r.instruments = [{ ...rating, raterCategories, categoryWeights: {}, ...x }])));
    expect(cats(['npc_deputy', 'retired'])).toEqual([
      'instruments/r-2026.yaml: raterCategories.1: 评议主体类别 “retired” 未在考核 a-2026 的 raterCategories 中定义',
    ]);
    // The schema refuses the built-in public category on a code instrument; a category of the
    // public group defined by the appraisal is caught by the cross-file check.
    expect(() => cats(['public'])).toThrow('社会公众不使用参与码');
  });

  it('asks a scored instrument of several categories for a weight of each (the sum of 100 is the schema’s)', () => {
    const scored = (categoryWeights: object) =>
      problems(
        catalog(
          (r) =>
            (r.instruments = [
              { ...rating, categoryWeights, gradeScores: { satisfied: 100, basically: 80, unsatisfied: 0 } },
            ]),
        ),
      );
    expect(scored({ npc_deputy: 60, party_deputy: 40 })).toEqual([]);
    expect(scored({})).toEqual([
      'instruments/r-2026.yaml: categoryWeights: 计分测评须为每个评议主体类别给出权重, 合计 100 (缺 npc_deputy、party_deputy)',
    ]);
  });

  it('names a validity rule for a category that does not answer, and a reserved item id', () => {
    expect(
      problems(
        catalog((r) => (r.instruments = [{ ...rating, validity: { minTurnout: { staff: 80, npc_deputy: 80 } } }])),
      ),
    ).toEqual(['instruments/r-2026.yaml: validity.minTurnout.staff: 评议主体 “staff” 不能参与本测评']);
  });

  it('closes an instrument in the appraisal year or the next', () => {
    const closes = (closesAt: string) => problems(catalog((r) => (r.instruments = [{ ...rating, closesAt }])));
    expect(closes('2027-03-01T18:00:00+08:00')).toEqual([]);
    expect(closes('2028-03-01T18:00:00+08:00')).toEqual([
      'instruments/r-2026.yaml: closesAt: 截止时间不在 2026 年度考核期内',
    ]);
  });

  // Was a bug: the year was read from the UTC string (2028-01-01 06:00 in China is 2027 in UTC).
  it('reads the closing year in China time', () => {
    const closes = (closesAt: string) => problems(catalog((r) => (r.instruments = [{ ...rating, closesAt }])));
    expect(closes('2028-01-01T06:00:00+08:00')).toHaveLength(1);
  });

  it('names a result for an unknown subject or in a band it does not list', () => {
    expect(
      problems(
        catalog((r) => {
          r.results![0]!.entries = [
            { subject: { kind: 'unit', id: 'u9' }, band: '先进' },
            { subject: { kind: 'group', id: 'u1' }, band: '优秀' },
          ];
        }),
      ),
    ).toEqual([
      'results/a-2026-0.yaml: entries.0.subject: 未知的考核对象 unit “u9”',
      'results/a-2026-0.yaml: entries.1.band: 等次 “优秀” 不在 bands 中',
    ]);
  });

  it('ties a snapshot to its appraisal by file name and to instruments of that appraisal', () => {
    const c = catalog();
    const snap = (id: string, instruments: string[]) =>
      ({
        file: `snapshots/${id}.json`,
        id,
        data: {
          appraisal: 'a-2026',
          takenAt: '',
          digest: '0'.repeat(64),
          instruments: instruments.map((x) => ({ id: x })),
        },
      }) as unknown as Catalog['snapshots'][number];
    c.snapshots = [snap('a-2026', ['r-2026'])];
    expect(problems(c)).toEqual([]);
    c.snapshots = [snap('other', ['r-2026', 'nope'])];
    expect(problems(c)).toEqual([
      'snapshots/other.json: appraisal: 快照文件名应为考核编号 “a-2026”',
      'snapshots/other.json: instruments.1.id: 未知的测评 “nope”',
    ]);
    c.instruments[0] = { ...c.instruments[0]!, data: { ...c.instruments[0]!.data, appraisal: 'a-2025' } };
    c.snapshots = [snap('a-2026', ['r-2026'])];
    expect(problems(c)).toContain('snapshots/a-2026.json: instruments.0.id: 测评 “r-2026” 不属于本考核');
  });
});
