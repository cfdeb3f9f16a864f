// npm run feed-keys -- add --name NAME | list | revoke --id ID   [--remote]
// Keys for the internal appraisal system's signed feed requests.
import { parseArgs } from 'node:util';
import { insertFeedKey, listFeedKeys, revokeFeedKey } from '../src/server/db/admin/feed-keys';
import { withDb } from './lib/d1';
import { ensureDevVars } from './lib/dev-vars';
import { newFeedKey } from './lib/feed-keys';
import type { Target } from './lib/wrangler';

const HELP = `用法:
  npm run feed-keys -- add --name 名称 [--remote]    新建密钥, 只显示一次其密钥值
  npm run feed-keys -- list [--remote]               列出密钥 (不显示密钥值)
  npm run feed-keys -- revoke --id 编号 [--remote]   撤销密钥
默认操作本地 D1; --remote 操作生产库 (需要环境变量 FEED_KEY_SECRET 与生产一致)。`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    id: { type: 'string' },
    remote: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
const [command] = positionals;
const target: Target = { remote: values.remote ?? false, persistTo: process.env.KAOPING_PERSIST };
const fail = (msg: string): never => {
  console.error(`错误: ${msg}\n\n${HELP}`);
  process.exit(2);
};

if (values.help || !command) {
  console.log(HELP);
  process.exit(command || values.help ? 0 : 2);
}
if (command === 'add') {
  const name = values.name?.trim();
  if (!name || name.length > 60) fail('请用 --name 给出 1-60 个字符的名称');
  const master = process.env.FEED_KEY_SECRET ?? (target.remote ? undefined : ensureDevVars().get('FEED_KEY_SECRET'));
  if (!master) fail('--remote 时须在环境变量 FEED_KEY_SECRET 中给出生产环境的主密钥');
  const key = await newFeedKey(master as string, name as string);
  await withDb(target, (db) => insertFeedKey(db, key.row));
  console.log(`已新建密钥 (只显示这一次, 请安全交给对接方):\n  编号   ${key.id}\n  密钥值 ${key.secret}`);
} else if (command === 'list') {
  const rows = await withDb(target, async (db) => listFeedKeys(db));
  if (rows.length === 0) console.log('(没有密钥)');
  for (const r of rows)
    console.log(`${r.id}\t${r.name}\t建于 ${r.createdOn}\t${r.revokedOn ? `已于 ${r.revokedOn} 撤销` : '有效'}`);
} else if (command === 'revoke') {
  if (!values.id || !/^[a-z0-9-]{1,64}$/.test(values.id)) fail('请用 --id 给出要撤销的密钥编号');
  const id = values.id as string;
  const revoked = await withDb(target, (db) => revokeFeedKey(db, id, new Date().toISOString().slice(0, 10)));
  if (!revoked) fail(`没有有效的密钥 ${id}`);
  console.log(`已撤销密钥 ${id}; 此后用它签名的请求一律被拒 (401)。`);
} else {
  fail(`未知命令 ${command}`);
}
