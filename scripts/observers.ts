// npm run observers -- add | list | passwd | disable | enable | assign: the
// accounts of the observers' console (定点观察员 / 民意调查员). Passwords are
// drawn at random, printed once and stored only as a PBKDF2 hash. Every
// change is written to the audit log (as the CLI). Local D1 by default, the
// production one with --remote.
import { parseArgs } from 'node:util';
import { loadContent } from '../src/build/content';
import { observerRole, username as usernameSchema } from '../src/domain/schemas/observer-account';
import { hashPassword } from '../src/server/auth/password';
import {
  createAccount,
  listAccounts,
  observerId,
  setDisabled,
  setPassword,
  setUnits,
} from '../src/server/db/admin/observers';
import type { Database } from '../src/server/env';
import { d1Message, withDb } from './lib/d1';
import { newPassword } from './lib/observers';
import type { Target } from './lib/wrangler';

const HELP = `观察员账号工具

用法:
  npm run observers -- add 用户名 --name 姓名 [--role observer|lead] [--units 单位,…] [--teams 考核组,…]
  npm run observers -- list
  npm run observers -- passwd 用户名        重设密码 (打印一次新密码, 并结束其所有会话)
  npm run observers -- disable 用户名       停用 (并结束其所有会话)
  npm run observers -- enable 用户名
  npm run observers -- assign 用户名 [--units 单位,…] [--teams 考核组,…]   重设负责范围 (分片负责)

  --role    observer: 审核论坛、办理负责范围内的意见、查看统计 (默认)
            lead: 另可跨范围办理和转交、暂停/提前截止/重新开放测评
  --units   单位 id, 逗号分隔 (见 src/content/units/)
  --teams   考核组 id, 逗号分隔: 展开为该组考核的全部单位 (见 src/content/teams/)
  --remote  操作线上 D1 (默认操作本地 D1)
  --persist-to 目录  本地 D1 的状态目录

新密码只打印一次, 数据库只保存其 PBKDF2-SHA256 摘要 (每人独立盐值, 100,000 次迭代)。`;

class UsageError extends Error {}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      strict: true,
      options: {
        name: { type: 'string' },
        role: { type: 'string' },
        units: { type: 'string' },
        teams: { type: 'string' },
        remote: { type: 'boolean' },
        'persist-to': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    console.error((e as Error).message);
    console.error(HELP);
    process.exit(2);
  }
})();

const target: Target = {
  remote: values.remote ?? false,
  persistTo: values['persist-to'] ?? process.env.KAOPING_PERSIST,
};
const now = () => new Date().toISOString();
const list = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The units of --units and --teams, checked against the content; a team brings all the units it appraises. */
function scope(): { unit: string; team: string | null }[] {
  const { catalog } = loadContent();
  const units = new Set(catalog.units.map((u) => u.id));
  const out = new Map<string, string | null>();
  for (const u of list(values.units)) {
    if (!units.has(u)) throw new UsageError(`未知的单位 “${u}”`);
    out.set(u, null);
  }
  for (const id of list(values.teams)) {
    const team = catalog.teams.find((t) => t.id === id);
    if (!team) throw new UsageError(`未知的考核组 “${id}”`);
    for (const u of team.data.units) if (!out.has(u.unit)) out.set(u.unit, id);
  }
  return [...out].map(([unit, team]) => ({ unit, team }));
}

function username(raw: string | undefined): string {
  const parsed = usernameSchema.safeParse((raw ?? '').trim().toLowerCase());
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? '用户名无效');
  return parsed.data;
}

async function findId(db: Database, name: string): Promise<string> {
  const id = await observerId(db, name);
  if (!id) throw new UsageError(`没有用户名为 “${name}” 的观察员`);
  return id;
}

const inDb = <T>(fn: (db: Database) => Promise<T>) => withDb(target, fn);

async function main() {
  const [command, arg] = positionals;
  if (values.help || !command) {
    console.log(HELP);
    return;
  }
  switch (command) {
    case 'add': {
      const name = username(arg);
      const displayName = (values.name ?? '').trim();
      if (displayName.length < 2 || displayName.length > 20) throw new UsageError('--name 须为 2–20 个字');
      const role = observerRole.safeParse(values.role ?? 'observer');
      if (!role.success) throw new UsageError('--role 须为 observer 或 lead');
      const units = scope();
      const password = newPassword();
      const id = crypto.randomUUID();
      const passwordHash = await hashPassword(password);
      await inDb(async (db) => {
        if (await observerId(db, name)) throw new UsageError(`用户名 “${name}” 已存在`);
        await createAccount(
          db,
          { id, username: name, displayName, role: role.data, passwordHash, createdAt: now() },
          units,
        );
      });
      console.log(
        `已创建观察员 ${name} (${displayName}, ${role.data}), 负责单位 ${units.length} 个${units.length ? `: ${units.map((u) => u.unit).join(', ')}` : ''}`,
      );
      console.log(`初始密码 (只显示这一次, 请当面或经安全渠道交给本人): ${password}`);
      return;
    }
    case 'list': {
      const rows = await inDb(async (db) => listAccounts(db));
      if (rows.length === 0) console.log('还没有观察员账号。用 npm run observers -- add 创建。');
      for (const r of rows) {
        console.log(
          `${r.username}\t${r.name}\t${r.role}${r.disabled ? '\t(已停用)' : ''}\t单位: ${r.units ?? '-'}\t最近登录: ${r.lastLogin ?? '-'}`,
        );
      }
      return;
    }
    case 'passwd': {
      const name = username(arg);
      const password = newPassword();
      const passwordHash = await hashPassword(password);
      await inDb(async (db) => setPassword(db, await findId(db, name), passwordHash, now(), name));
      console.log(`已重设 ${name} 的密码并结束其所有会话。新密码 (只显示这一次): ${password}`);
      return;
    }
    case 'disable':
    case 'enable': {
      const name = username(arg);
      const off = command === 'disable';
      await inDb(async (db) => setDisabled(db, await findId(db, name), off, now(), name));
      console.log(off ? `已停用 ${name} 并结束其所有会话。` : `已启用 ${name}。`);
      return;
    }
    case 'assign': {
      const name = username(arg);
      const units = scope();
      await inDb(async (db) => setUnits(db, await findId(db, name), units, now()));
      console.log(
        `${name} 现负责单位 ${units.length} 个${units.length ? `: ${units.map((u) => u.unit).join(', ')}` : ''}`,
      );
      return;
    }
    default:
      throw new UsageError(`未知的命令 “${command}”`);
  }
}

try {
  await main();
} catch (e) {
  if (e instanceof UsageError) {
    console.error(`错误: ${e.message}\n`);
    console.error('用法见 npm run observers -- --help');
    process.exit(2);
  }
  console.error(d1Message(e));
  process.exit(1);
}
