// Passwords of observer accounts, and the demo data of the forum, the opinion
// box and the console. Hashing, encryption and tracking numbers use the very
// modules the API uses; the rows go in through src/server/db/admin/.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import type { Catalog } from '../../src/domain/catalog';
import { ALPHABET, checkCharacter, generateCode, hmacHex, normaliseCrockford } from '../../src/domain/code';
import { formatTracking, TRACKING_RANDOM } from '../../src/domain/schemas/tracking';
import { addWorkingDays } from '../../src/domain/workdays';
import { encryptContact } from '../../src/server/auth/contact';
import { hashPassword } from '../../src/server/auth/password';
import { insertDemoForum, insertDemoMessage } from '../../src/server/db/admin/demo';
import { createAccount, observerId } from '../../src/server/db/admin/observers';
import type { Database } from '../../src/server/env';
import { seedUnitObservers } from './follow-up-demo';

/** A password for a new account: 20 Crockford characters (100 bits), grouped for reading it out. */
export function newPassword(): string {
  const body = generateCode().replace(/-/g, '') + generateCode().replace(/-/g, '');
  return body.slice(0, 20).match(/.{5}/g)?.join('-') ?? body;
}

// Demo data. Fixed ids, and a row already there is kept: a second seed changes nothing.

/** Deterministic bytes from a label: demo data only, never for real accounts. */
const demoBytes = (label: string, n: number) =>
  new Uint8Array(createHash('sha256').update(`kaoping-demo/${label}`).digest().subarray(0, n));

export const DEMO_LEAD = {
  id: '00000000-0000-4000-8000-00000000d001',
  username: 'demo-lead',
  displayName: '演示观察员',
  role: 'lead' as const,
};

/**
 * The demo lead's password, derived from a fixed label: the same on every
 * machine, so it is public knowledge. For the local demo only; never create
 * an account like this on a deployment (`npm run observers -- add` draws a
 * random one).
 */
export function demoPassword(): string {
  return `demo-${createHash('sha256').update('kaoping-demo/observer-password').digest('base64url').slice(0, 16)}`;
}

const day = (d: string, time: string) => new Date(`${d}T${time}+08:00`).toISOString();

interface DemoPost {
  id: string;
  displayName: string;
  body: string;
  status: 'pending' | 'visible';
  at: string;
  /** The demo author kept the tracking number (.demo/forum.csv). */
  tracked?: boolean;
}
interface DemoThread {
  id: string;
  unit: string | null;
  title: string;
  posts: DemoPost[];
}

const demoId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const DEMO_THREADS: DemoThread[] = [
  {
    id: demoId(101),
    unit: 'xzspj',
    title: '建议政务服务中心午间和周末延时服务',
    posts: [
      {
        id: demoId(201),
        displayName: '城关居民',
        body: '上班族工作日很难请假办事。\n建议政务服务中心午间不休息, 周六上午开放部分窗口。',
        status: 'visible',
        at: day('2026-11-20', '19:12:00'),
      },
      {
        id: demoId(202),
        displayName: '个体户小陈',
        body: '赞同。营业执照变更最好也能在周末办理。',
        status: 'visible',
        at: day('2026-11-21', '08:40:00'),
      },
      {
        id: demoId(203),
        displayName: '老年读者',
        body: '希望保留人工窗口, 老年人不会用手机预约。',
        status: 'pending',
        at: day('2026-11-22', '16:05:00'),
      },
    ],
  },
  {
    id: demoId(102),
    unit: null,
    title: '希望公开去年考评中发现问题的整改情况',
    posts: [
      {
        id: demoId(204),
        displayName: '关注者',
        body: '去年的考评结果已经公示, 能否也公布各单位的整改进度?\n参考: https://www.example.org/zhenggai',
        status: 'visible',
        at: day('2026-11-21', '10:30:00'),
      },
    ],
  },
  {
    id: demoId(103),
    unit: 'sthj',
    title: '城东河道整治后的维护问题',
    posts: [
      {
        id: demoId(205),
        displayName: '河边住户',
        body: '整治完成后半年, 河道又有垃圾堆积, 建议明确日常保洁责任。',
        status: 'pending',
        at: day('2026-11-22', '21:18:00'),
        tracked: true,
      },
    ],
  },
];

/** The demo forum post's tracking number (deterministic, like the message's). */
export const demoPostTracking = () => demoTrackingOf('forum-tracking');

async function insertForum(db: Database, pepper: string, appraisal = 'county-2026') {
  // The key routes/forum.ts hashes forum tracking numbers with.
  const trackingHash = await hmacHex(`forum-tracking:${pepper}`, normaliseCrockford(demoPostTracking()));
  return insertDemoForum(
    db,
    DEMO_THREADS.map((t) => {
      const first = t.posts[0] as DemoPost;
      const visible = t.posts.filter((p) => p.status === 'visible').map((p) => p.at);
      return {
        id: t.id,
        appraisal,
        unit: t.unit,
        title: t.title,
        createdAt: first.at,
        lastPostAt: visible.at(-1) ?? first.at,
      };
    }),
    DEMO_THREADS.flatMap((t) =>
      t.posts.map((p, i) => ({
        id: p.id,
        thread: t.id,
        appraisal,
        unit: t.unit,
        opening: i === 0,
        displayName: p.displayName,
        body: p.body,
        status: p.status,
        createdAt: p.at,
        trackingHash: p.tracked ? trackingHash : null,
      })),
    ),
  );
}

function demoTrackingOf(label: string): string {
  const bytes = demoBytes(label, TRACKING_RANDOM);
  let body = '';
  for (const b of bytes) body += ALPHABET[b & 31];
  return formatTracking(body + checkCharacter(body));
}

/** The demo message's tracking number (deterministic, like the demo codes). */
export const demoTracking = () => demoTrackingOf('message-tracking');

async function insertMessage(db: Database, pepper: string, contactKey: string, appraisal = 'county-2026') {
  const at = day('2026-11-21', '09:15:00');
  // Routed on arrival to the observer of 市场监管局 (demo-qin), as the API routes new messages.
  const assignee = (await observerId(db, 'demo-qin')) ?? null;
  await insertDemoMessage(db, {
    id: demoId(301),
    trackingHash: await hmacHex(`tracking:${pepper}`, normaliseCrockford(demoTracking())),
    appraisal,
    subjectKind: 'unit',
    subjectId: 'scjgj',
    unit: 'scjgj',
    body: '反映农贸市场部分摊位电子秤短斤少两, 市场监管部门检查后仍未整改, 希望考核组核实。',
    contact: await encryptContact(contactKey, { name: '王先生', phone: '0799-6660000' }),
    status: 'received',
    topic: 'conduct',
    assignee,
    receivedAt: at,
    updatedAt: at,
    dueOn: addWorkingDays('2026-11-21', 15),
  });
}

/**
 * The demo console: one lead observer and the observers responsible for the
 * units (logins written to .demo/observers.csv, the lead first), a few forum
 * threads (two posts awaiting moderation, one with its tracking number in
 * .demo/forum.csv) and one message (its tracking number in .demo/messages.csv).
 */
export async function seedObservers(db: Database, vars: Map<string, string>, content: Catalog) {
  const password = demoPassword();
  if (!(await observerId(db, DEMO_LEAD.username))) {
    const passwordHash = await hashPassword(password, demoBytes('observer-salt', 16));
    await createAccount(db, { ...DEMO_LEAD, passwordHash, createdAt: day('2026-11-15', '09:00:00') }, []);
  }
  const unitObservers = await seedUnitObservers(db, content);
  await insertForum(db, vars.get('CODE_PEPPER') as string);
  await insertMessage(db, vars.get('CODE_PEPPER') as string, vars.get('CONTACT_KEY') as string);
  mkdirSync('.demo', { recursive: true });
  writeFileSync(
    '.demo/observers.csv',
    stringify(
      [
        [DEMO_LEAD.username, password, DEMO_LEAD.role, ''],
        ...unitObservers.map((o) => [o.username, o.password, 'observer', o.units.join(' ')]),
      ],
      { header: true, columns: ['username', 'password', 'role', 'units'] },
    ),
  );
  writeFileSync(
    '.demo/messages.csv',
    stringify([[demoTracking(), 'scjgj']], { header: true, columns: ['tracking', 'unit'] }),
  );
  writeFileSync(
    '.demo/forum.csv',
    stringify([[demoPostTracking(), DEMO_THREADS[2]?.title]], { header: true, columns: ['tracking', 'thread'] }),
  );
  console.log(`观察员工作台演示账号 ${DEMO_LEAD.username} (仅限本地演示): .demo/observers.csv`);
  return { username: DEMO_LEAD.username, password, tracking: demoTracking() };
}
