// Demo data after the results: the observers responsible for units (so new
// messages are routed to them), objection credentials of the appraised, one
// open and one decided objection, a rectification ledger, and answered
// messages (some published, rated). Fixed ids and keys: a second seed changes
// nothing. Times are around the demo clock (2026-11-23 10:00, China).
import { createHash } from 'node:crypto';
import type { Catalog } from '../../src/domain/catalog';
import { ALPHABET, checkCharacter, hmacHex, normaliseCrockford } from '../../src/domain/code';
import { generateCredential, hashCredential, objectionDeadlines } from '../../src/domain/objection';
import { holidayDays } from '../../src/domain/schemas/holidays';
import { formatTracking, type MessageTopic, TRACKING_RANDOM } from '../../src/domain/schemas/message';
import { addWorkingDays, workCalendar } from '../../src/domain/workdays';
import { encryptContact } from '../../src/server/auth/contact';
import { hashPassword } from '../../src/server/auth/password';
import { insertDemoFollowUp } from '../../src/server/db/admin/demo';
import { createAccount, observerId } from '../../src/server/db/admin/observers';
import type { Database } from '../../src/server/env';

const bytes = (label: string, n: number) =>
  new Uint8Array(createHash('sha256').update(`kaoping-demo/${label}`).digest().subarray(0, n));
const day = (d: string, time: string) => new Date(`${d}T${time}+08:00`).toISOString();
const demoId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A demo tracking number, derived from a label (like the demo codes). */
export function demoTrackingOf(label: string): string {
  let body = '';
  for (const b of bytes(label, TRACKING_RANDOM)) body += ALPHABET[b & 31];
  return formatTracking(body + checkCharacter(body));
}

/** The demo objection credential of a subject (public knowledge: demo only). */
export const demoCredential = (appraisal: string, kind: string, id: string) =>
  generateCredential((a) => {
    a.set(bytes(`objection-credential/${appraisal}/${kind}/${id}`, a.length));
    return a;
  });

export interface DemoObserver {
  username: string;
  password: string;
  displayName: string;
  units: string[];
}

/** The content's observers of the current round as console accounts with their units, passwords derived (demo only). */
export async function seedUnitObservers(db: Database, catalog: Catalog, appraisal = 'county-2026') {
  const out: DemoObserver[] = [];
  for (const [n, e] of catalog.observers.filter((x) => x.data.appraisal === appraisal).entries()) {
    const username = `demo-${e.id.split('-').at(-1)}`;
    const password = `demo-${createHash('sha256').update(`kaoping-demo/observer-password/${username}`).digest('base64url').slice(0, 16)}`;
    if (!(await observerId(db, username))) {
      await createAccount(
        db,
        {
          id: demoId(900 + n),
          username,
          displayName: e.data.name,
          role: 'observer',
          passwordHash: await hashPassword(password, bytes(`observer-salt/${username}`, 16)),
          createdAt: day('2026-11-15', '09:00:00'),
        },
        e.data.units.map((unit) => ({ unit })),
      );
    }
    out.push({ username, password, displayName: e.data.name, units: e.data.units });
  }
  return out;
}

interface DemoMessage {
  n: number;
  unit: string | null;
  topic: MessageTopic;
  body: string;
  received: string;
  reply?: { text: string; at: string };
  rating?: 'satisfied' | 'unsatisfied';
  publish?: boolean;
}

const M = (m: DemoMessage) => m;
/** Answered messages of the current round: published ones for the public list, enough ratings for one unit's figure. */
const DEMO_MESSAGES: DemoMessage[] = [
  M({
    n: 311,
    unit: 'xzspj',
    topic: 'efficiency',
    body: '在政务服务中心办理营业执照变更, 材料齐全却被要求第二天再来, 希望说明原因。',
    received: day('2026-11-20', '09:30:00'),
    reply: {
      text: '经核实, 当日系统升级暂停受理。已要求窗口在系统维护时提前公告, 并为当日来办群众预约优先办理。',
      at: day('2026-11-21', '15:00:00'),
    },
    rating: 'satisfied',
    publish: true,
  }),
  M({
    n: 312,
    unit: 'xzspj',
    topic: 'service',
    body: '窗口工作人员解答政策时不耐心, 建议加强培训。',
    received: day('2026-11-20', '10:10:00'),
    reply: {
      text: '已约谈相关窗口负责人, 本月起每周开展一次服务规范培训, 并在窗口设置评价器。',
      at: day('2026-11-21', '16:20:00'),
    },
    rating: 'satisfied',
    publish: true,
  }),
  M({
    n: 313,
    unit: 'xzspj',
    topic: 'efficiency',
    body: '不动产登记窗口午间不办公, 上班族很难办理。',
    received: day('2026-11-20', '12:40:00'),
    reply: {
      text: '自12月1日起, 不动产登记窗口实行午间轮岗不断档服务, 周六上午开放一个综合窗口。',
      at: day('2026-11-22', '09:00:00'),
    },
    rating: 'satisfied',
    publish: true,
  }),
  M({
    n: 314,
    unit: 'xzspj',
    topic: 'business',
    body: '企业开办能否一次办结? 刻章和银行开户还要分别跑。',
    received: day('2026-11-21', '08:50:00'),
    reply: {
      text: '企业开办专区已实现营业执照、公章刻制、税务登记一窗受理, 银行开户预约可在专区同步办理。',
      at: day('2026-11-22', '10:30:00'),
    },
    rating: 'unsatisfied',
    publish: true,
  }),
  M({
    n: 315,
    unit: 'xzspj',
    topic: 'service',
    body: '自助服务区的机器经常故障, 没有人指导老年人使用。',
    received: day('2026-11-21', '14:15:00'),
    reply: {
      text: '已更换两台故障设备, 并安排志愿者在自助服务区值守, 工作日 9:00-11:30 提供帮办。',
      at: day('2026-11-22', '15:40:00'),
    },
    rating: 'satisfied',
  }),
  M({
    n: 316,
    unit: 'xzspj',
    topic: 'efficiency',
    body: '网上申报的事项审批进度查不到, 希望能短信提醒。',
    received: day('2026-11-21', '20:05:00'),
    reply: {
      text: '审批系统已开通办理进度短信提醒, 申请人可在“我的办件”中查看每个环节。',
      at: day('2026-11-23', '08:50:00'),
    },
    rating: 'satisfied',
  }),
  M({
    n: 317,
    unit: 'sthj',
    topic: 'livelihood',
    body: '城东工业园夜间有刺鼻气味, 附近居民反映多次。',
    received: day('2026-11-20', '21:30:00'),
    reply: {
      text: '执法人员已于11月21日夜间对园区开展突击检查, 责令一家企业停产整改废气处理设施, 整改完成前不得复产。',
      at: day('2026-11-22', '11:00:00'),
    },
    publish: true,
  }),
  M({
    n: 318,
    unit: null,
    topic: 'other',
    body: '建议考核结果公布后, 把各单位的整改情况也在网上公开。',
    received: day('2026-11-21', '10:00:00'),
    reply: {
      text: '感谢建议。本门户已开设“整改台账”栏目, 逐项公开各单位整改措施、责任人、时限和进度。',
      at: day('2026-11-22', '14:00:00'),
    },
    rating: 'satisfied',
    publish: true,
  }),
];

const CREDENTIAL_UNITS_2026 = [
  'fgj',
  'czj',
  'swj',
  'zrzyj',
  'nyncj',
  'scjgj',
  'gaj',
  'sthj',
  'rsj',
  'ybj',
  'xzspj',
  'gdgs',
];

export interface FollowUpDemo {
  credentials: { appraisal: string; subjectKind: string; subjectId: string; credential: string }[];
  openObjectionTracking: string;
  decidedObjectionTracking: string;
  messages: { tracking: string; unit: string | null; published: boolean }[];
}

export async function seedFollowUp(db: Database, catalog: Catalog, vars: Map<string, string>): Promise<FollowUpDemo> {
  const pepper = vars.get('CODE_PEPPER') as string;
  const contactKey = vars.get('CONTACT_KEY') as string;
  const cal = workCalendar({
    holidays: catalog.holidays.flatMap((e) => holidayDays(e.data)),
    workdays: catalog.holidays.flatMap((e) => e.data.workdays),
  });
  const observers = new Map<string, string>();
  for (const e of catalog.observers.filter((x) => x.data.appraisal === 'county-2026')) {
    const id = await observerId(db, `demo-${e.id.split('-').at(-1)}`);
    if (id) for (const u of e.data.units) observers.set(u, id);
  }
  const lead = await observerId(db, 'demo-lead');

  // Credentials: the twelve units whose sessions rating is published (in its window), and one of last year's.
  const credentialRows: FollowUpDemo['credentials'] = [
    ...CREDENTIAL_UNITS_2026.map((u) => ({ appraisal: 'county-2026', subjectKind: 'unit', subjectId: u })),
    { appraisal: 'county-2025', subjectKind: 'unit', subjectId: 'xzspj' },
  ].map((r) => ({ ...r, credential: demoCredential(r.appraisal, r.subjectKind, r.subjectId) }));
  const credentials = await Promise.all(
    credentialRows.map(async (r) => ({
      hash: await hashCredential(pepper, r.credential),
      appraisal: r.appraisal,
      subjectKind: r.subjectKind as 'unit',
      subjectId: r.subjectId,
      unit: r.subjectId,
      issuedOn: r.appraisal === 'county-2026' ? '2026-11-23' : '2026-01-15',
    })),
  );

  // Objections: one decided and published (last year's result), one open (this year's, in its window).
  const objectionHash = (t: string) => hmacHex(`objection-tracking:${pepper}`, normaliseCrockford(t));
  const decidedTracking = demoTrackingOf('objection/decided');
  const openTracking = demoTrackingOf('objection/open');
  const contact = (name: string, phone: string) => encryptContact(contactKey, { name, phone });
  const filed2025 = day('2026-01-19', '10:00:00');
  const due2025 = objectionDeadlines('2026-01-19', { acceptWorkingDays: 5, answerWorkingDays: 15 }, cal);
  const filed2026 = day('2026-11-23', '09:20:00');
  const due2026 = objectionDeadlines('2026-11-23', { acceptWorkingDays: 5, answerWorkingDays: 15 }, cal);
  const decidedId = demoId(401);
  const openId = demoId(402);
  const reviewer = observers.get('xzspj') ?? lead ?? null;
  const reasons2025 =
    '经复核, 满意度评议中服务对象样本未覆盖不动产登记业务, 该部分得分按补充抽样结果重新计算, 综合得分由 88.2 调整为 89.0, 考核等次维持“达标”。';
  const objectionsRows = [
    {
      id: decidedId,
      trackingHash: await objectionHash(decidedTracking),
      appraisal: 'county-2025',
      subjectKind: 'unit' as const,
      subjectId: 'xzspj',
      unit: 'xzspj',
      kind: 'appeal' as const,
      matter: '对满意度评议抽样范围有异议',
      grounds:
        '本局满意度评议的服务对象样本全部来自企业开办窗口, 未包含办件量最大的不动产登记业务, 不能全面反映群众满意度, 请求复核。',
      attachments: '1. 2025年各窗口办件量统计表 (1份)\n2. 满意度评议抽样名单复印件 (1份)',
      contact: await contact('李明', '0799-8611801'),
      status: 'answered' as const,
      filedAt: filed2025,
      ...due2025,
      assignee: reviewer,
      refusal: null,
      decision: 'partly' as const,
      reasons: reasons2025,
      reply: `${reasons2025} 如仍有异议, 可在收到本答复之日起5个工作日内向县绩效管理工作领导小组申请复核。`,
      answeredAt: day('2026-02-05', '16:00:00'),
      public: true,
      updatedAt: day('2026-02-06', '09:00:00'),
    },
    {
      id: openId,
      trackingHash: await objectionHash(openTracking),
      appraisal: 'county-2026',
      subjectKind: 'unit' as const,
      subjectId: 'scjgj',
      unit: 'scjgj',
      kind: 'query' as const,
      matter: '对两会满意度评议计分方法提出质询',
      grounds:
        '县“两会”满意度评议结果中, 本局“基本满意”票按80分计入。请说明该分值的依据, 以及人大代表和政协委员 60:40 权重的确定过程。',
      attachments: null,
      contact: await contact('周敏', '0799-8611802'),
      status: 'filed' as const,
      filedAt: filed2026,
      ...due2026,
      assignee: null,
      refusal: null,
      decision: null,
      reasons: null,
      reply: null,
      answeredAt: null,
      public: false,
      updatedAt: filed2026,
    },
  ];
  const ev = (
    id: number,
    objection: string,
    at: string,
    status: string,
    text: string | null,
    internal = false,
    by: string | null | undefined = lead,
  ) => ({
    id,
    objection,
    at,
    status: status as 'filed',
    observer: status === 'filed' ? null : (by ?? null),
    text,
    internal,
  });
  const objectionEvents = [
    ev(1001, decidedId, filed2025, 'filed', null),
    ev(1002, decidedId, day('2026-01-20', '09:30:00'), 'accepted', null),
    ev(1003, decidedId, day('2026-01-20', '09:40:00'), 'reviewing', null),
    ev(
      1004,
      decidedId,
      day('2026-01-28', '15:00:00'),
      'reviewing',
      '已调取不动产登记窗口办件记录, 补充抽样30人。',
      true,
      reviewer,
    ),
    ev(1005, decidedId, day('2026-02-04', '17:00:00'), 'decided', null, false, reviewer),
    ev(1006, decidedId, day('2026-02-05', '16:00:00'), 'answered', null, false, reviewer),
    ev(1007, decidedId, day('2026-02-06', '09:00:00'), 'answered', null, true),
    ev(1008, openId, filed2026, 'filed', null),
  ];

  // Messages: answered, most published; one still waiting (routed to its unit's observer).
  const trackingHash = (t: string) => hmacHex(`tracking:${pepper}`, normaliseCrockford(t));
  const messageRows = [];
  // The routed demo message of scripts/lib/observers.ts starts its history too.
  const messageEvents: {
    id: number;
    message: string;
    at: string;
    kind: 'received' | 'replied' | 'rated';
    status: 'received' | 'answered';
    text: null;
  }[] = [
    {
      id: 1999,
      message: demoId(301),
      at: day('2026-11-21', '09:15:00'),
      kind: 'received',
      status: 'received',
      text: null,
    },
  ];
  const listed: FollowUpDemo['messages'] = [];
  let eventId = 2000;
  for (const m of DEMO_MESSAGES) {
    const tracking = demoTrackingOf(`message/${m.n}`);
    const dueOn = addWorkingDays(
      new Date(new Date(m.received).getTime() + 8 * 3600_000).toISOString().slice(0, 10),
      15,
      cal,
    );
    const status = m.reply ? 'answered' : 'received';
    messageRows.push({
      id: demoId(m.n),
      trackingHash: await trackingHash(tracking),
      appraisal: 'county-2026',
      subjectKind: m.unit ? ('unit' as const) : null,
      subjectId: m.unit,
      unit: m.unit,
      topic: m.topic,
      body: m.body,
      contact: null,
      status: status as 'answered',
      reply: m.reply?.text ?? null,
      repliedAt: m.reply?.at ?? null,
      assignee: (m.unit ? observers.get(m.unit) : lead) ?? null,
      receivedAt: m.received,
      updatedAt: m.reply?.at ?? m.received,
      dueOn,
      publishConsent: m.publish ?? m.rating !== undefined,
      published: m.publish ?? false,
      rating: m.rating ?? null,
      reopenedAt: null,
    });
    const step = (kind: 'received' | 'replied' | 'rated', at: string, st: 'received' | 'answered') =>
      messageEvents.push({ id: eventId++, message: demoId(m.n), at, kind, status: st, text: null });
    step('received', m.received, 'received');
    if (m.reply) step('replied', m.reply.at, 'answered');
    if (m.reply && m.rating)
      step('rated', new Date(new Date(m.reply.at).getTime() + 3_600_000).toISOString(), 'answered');
    listed.push({ tracking, unit: m.unit, published: m.publish ?? false });
  }

  // The ledger: last year's feedback to two units, a mix of done, late and open items.
  const at = (d: string) => day(d, '10:00:00');
  const item = (
    n: number,
    unit: string,
    r: {
      source: 'checklist' | 'messages' | 'objection' | 'department';
      sourceNote?: string;
      problem: string;
      measure: string;
      responsible: string;
      deadline: string;
      completedOn?: string;
      evidence?: string;
      updated: string;
    },
  ) => ({
    id: demoId(n),
    appraisal: 'county-2025',
    unit,
    source: r.source,
    sourceNote: r.sourceNote ?? null,
    objection: r.source === 'objection' ? decidedId : null,
    problem: r.problem,
    measure: r.measure,
    responsible: r.responsible,
    deadline: r.deadline,
    completedOn: r.completedOn ?? null,
    evidence: r.evidence ?? null,
    createdAt: at('2026-02-10'),
    createdBy: lead ?? null,
    updatedAt: at(r.updated),
    version: 1,
  });
  const ledger = [
    item(501, 'xzspj', {
      source: 'messages',
      sourceNote: '民意调查箱: 企业开办多次跑腿 (9 条)',
      problem: '企业开办“一窗通办”后, 公章刻制和银行开户仍需另行办理。',
      measure: '在企业开办专区增设公章刻制和银行开户预约窗口, 实现一次取件。',
      responsible: '分管副局长、企业服务科',
      deadline: '2026-03-31',
      completedOn: '2026-03-20',
      evidence: '企业开办专区3月18日起运行, 3月办件平均用时由2.5天降至0.8天。',
      updated: '2026-03-20',
    }),
    item(502, 'xzspj', {
      source: 'checklist',
      sourceNote: '反测评: 服务意识不强 (14 票)',
      problem: '部分窗口工作人员服务意识不强, 解答政策不耐心。',
      measure: '开展窗口作风专项整治, 每周服务规范培训, 推行“好差评”差评回访。',
      responsible: '局长、机关党委',
      deadline: '2026-06-30',
      completedOn: '2026-07-10',
      evidence: '完成培训24场; 上半年差评率由1.8%降至0.6%。',
      updated: '2026-07-10',
    }),
    item(503, 'xzspj', {
      source: 'messages',
      sourceNote: '民意调查箱: 差评回访 (5 条)',
      problem: '“好差评”差评回访不及时, 部分差评超过7天未回访。',
      measure: '差评24小时内电话回访, 3个工作日内反馈处理结果, 每月通报回访情况。',
      responsible: '分管副局长、督查科',
      deadline: '2026-09-30',
      updated: '2026-09-01',
    }),
    item(504, 'xzspj', {
      source: 'objection',
      sourceNote: '申诉复核: 满意度评议抽样范围 (部分成立)',
      problem: '满意度评议抽样未覆盖不动产登记等办件量大的业务。',
      measure: '配合县绩效办按各窗口办件量比例确定下一年度满意度评议样本。',
      responsible: '办公室',
      deadline: '2026-11-30',
      updated: '2026-10-15',
    }),
    item(505, 'xzspj', {
      source: 'department',
      sourceNote: '考核反馈: 延时服务',
      problem: '午间和周末延时服务未覆盖不动产登记窗口。',
      measure: '不动产登记窗口实行午间轮岗, 周六上午开放综合窗口。',
      responsible: '分管副局长、不动产登记中心',
      deadline: '2026-12-31',
      updated: '2026-11-10',
    }),
    item(506, 'czj', {
      source: 'department',
      sourceNote: '考核反馈: 预算公开',
      problem: '部门预算公开表格格式不统一, 部分单位未按时公开。',
      measure: '统一预算公开模板, 建立公开情况月度检查制度。',
      responsible: '分管副局长、预算科',
      deadline: '2026-04-30',
      completedOn: '2026-04-25',
      evidence: '2026年部门预算于3月底前全部按统一模板公开。',
      updated: '2026-04-25',
    }),
    item(507, 'czj', {
      source: 'checklist',
      sourceNote: '反测评: 工作思路不清 (6 票)',
      problem: '惠企资金兑付流程长, 企业反映到账慢。',
      measure: '推行惠企资金“免申即享”, 兑付时限压缩至15个工作日。',
      responsible: '局长、经济建设科',
      deadline: '2026-12-31',
      updated: '2026-10-30',
    }),
  ];

  await insertDemoFollowUp(db, {
    messages: messageRows,
    messageEvents,
    credentials,
    objections: objectionsRows,
    objectionEvents,
    ledger,
  });
  return {
    credentials: credentialRows,
    openObjectionTracking: openTracking,
    decidedObjectionTracking: decidedTracking,
    messages: listed,
  };
}
