// Observer accounts as SQL (the CLI and the demo seed share it), and the demo
// data of the forum, the opinion box and the console. Hashing, encryption and
// tracking numbers use the very modules the API uses.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { ALPHABET, checkCharacter, generateCode, hmacHex, normaliseCrockford } from '../../src/domain/code';
import { formatTracking, TRACKING_RANDOM } from '../../src/domain/schemas/message';
import type { ObserverRole } from '../../src/domain/schemas/observer-account';
import { encryptContact } from '../../src/server/auth/contact';
import { hashPassword } from '../../src/server/auth/password';
import { d1ExecuteSql, lit, type Target } from './wrangler';

export interface AccountInput {
  id: string;
  username: string;
  displayName: string;
  role: ObserverRole;
  passwordHash: string;
  createdAt: string;
  units: { unit: string; team: string | null }[];
}

/** An audit entry of the CLI (observer NULL); `guarded`: only if the statement before changed a row. */
export function cliAuditSql(action: string, targetId: string, at: string, after: unknown, guarded = false) {
  const select = `SELECT ${lit(at)}, NULL, ${lit(action)}, 'observer', ${lit(targetId)}, NULL, ${lit(JSON.stringify(after))}, 'cli'`;
  return `INSERT INTO audit_log (at, observer, action, target_kind, target_id, before, after, request_id) ${select}${guarded ? ' WHERE changes() > 0' : ''};`;
}

/** The account, its units and the audit entry; with `orIgnore` a re-run changes nothing (demo seeding). */
export function accountSql(a: AccountInput, opts: { orIgnore?: boolean } = {}): string[] {
  const ignore = opts.orIgnore ? ' OR IGNORE' : '';
  return [
    `INSERT${ignore} INTO observers (id, username, display_name, role, password_hash, disabled, created_at) VALUES (${[
      a.id,
      a.username,
      a.displayName,
      a.role,
      a.passwordHash,
    ]
      .map(lit)
      .join(', ')}, 0, ${lit(a.createdAt)});`,
    cliAuditSql('account.create', a.id, a.createdAt, { username: a.username, role: a.role }, opts.orIgnore),
    ...unitsSql(a.id, a.units, opts),
  ];
}

export function unitsSql(observer: string, units: AccountInput['units'], opts: { orIgnore?: boolean } = {}) {
  return units.map(
    (u) =>
      `INSERT${opts.orIgnore ? ' OR IGNORE' : ' OR REPLACE'} INTO observer_units (observer, unit, team) VALUES (${lit(observer)}, ${lit(u.unit)}, ${lit(u.team)});`,
  );
}

/** A password for a new account: 20 Crockford characters (100 bits), grouped for reading it out. */
export function newPassword(): string {
  const body = generateCode().replace(/-/g, '') + generateCode().replace(/-/g, '');
  return body.slice(0, 20).match(/.{5}/g)?.join('-') ?? body;
}

// Demo data. Fixed ids and INSERT OR IGNORE: a second seed changes nothing.

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
      },
    ],
  },
];

export function demoForumSql(appraisal = 'county-2026'): string[] {
  const sql: string[] = [];
  for (const t of DEMO_THREADS) {
    const visible = t.posts.filter((p) => p.status === 'visible').map((p) => p.at);
    const first = t.posts[0] as DemoPost;
    sql.push(
      `INSERT OR IGNORE INTO forum_threads (id, appraisal, unit, title, created_at, last_post_at) VALUES (${[
        t.id,
        appraisal,
        t.unit,
        t.title,
        first.at,
        visible.at(-1) ?? first.at,
      ]
        .map(lit)
        .join(', ')});`,
    );
    t.posts.forEach((p, i) => {
      sql.push(
        `INSERT OR IGNORE INTO forum_posts (id, thread, appraisal, unit, opening, display_name, body, status, created_at) VALUES (${[
          p.id,
          t.id,
          appraisal,
          t.unit,
          i === 0 ? 1 : 0,
          p.displayName,
          p.body,
          p.status,
          p.at,
        ]
          .map(lit)
          .join(', ')});`,
      );
    });
  }
  return sql;
}

/** The demo message's tracking number (deterministic, like the demo codes). */
export function demoTracking(): string {
  const bytes = demoBytes('message-tracking', TRACKING_RANDOM);
  let body = '';
  for (const b of bytes) body += ALPHABET[b & 31];
  return formatTracking(body + checkCharacter(body));
}

export async function demoMessageSql(pepper: string, contactKey: string, appraisal = 'county-2026'): Promise<string[]> {
  const tracking = demoTracking();
  const hash = await hmacHex(`tracking:${pepper}`, normaliseCrockford(tracking));
  const contact = await encryptContact(contactKey, { name: '王先生', phone: '0799-6660000' });
  const at = day('2026-11-21', '09:15:00');
  return [
    `INSERT OR IGNORE INTO messages (id, tracking_hash, appraisal, subject_kind, subject_id, unit, body, contact, status, received_at, updated_at) VALUES (${[
      demoId(301),
      hash,
      appraisal,
      'unit',
      'scjgj',
      'scjgj',
      '反映农贸市场部分摊位电子秤短斤少两, 市场监管部门检查后仍未整改, 希望考核组核实。',
      contact,
      'received',
      at,
      at,
    ]
      .map(lit)
      .join(', ')});`,
  ];
}

/**
 * The demo console: one lead observer (its login written to .demo/observers.csv),
 * a few forum threads (two posts awaiting moderation) and one message (its
 * tracking number in .demo/messages.csv).
 */
export async function seedObservers(target: Target, vars: Map<string, string>) {
  const password = demoPassword();
  const passwordHash = await hashPassword(password, demoBytes('observer-salt', 16));
  const sql = [
    ...accountSql(
      { ...DEMO_LEAD, passwordHash, createdAt: day('2026-11-15', '09:00:00'), units: [] },
      { orIgnore: true },
    ),
    ...demoForumSql(),
    ...(await demoMessageSql(vars.get('CODE_PEPPER') as string, vars.get('CONTACT_KEY') as string)),
  ];
  d1ExecuteSql(sql.join('\n'), target);
  mkdirSync('.demo', { recursive: true });
  writeFileSync(
    '.demo/observers.csv',
    stringify([[DEMO_LEAD.username, password, DEMO_LEAD.role]], {
      header: true,
      columns: ['username', 'password', 'role'],
    }),
  );
  writeFileSync(
    '.demo/messages.csv',
    stringify([[demoTracking(), 'scjgj']], { header: true, columns: ['tracking', 'unit'] }),
  );
  console.log(`观察员工作台演示账号 ${DEMO_LEAD.username} (仅限本地演示): .demo/observers.csv`);
  return { username: DEMO_LEAD.username, password, tracking: demoTracking() };
}
