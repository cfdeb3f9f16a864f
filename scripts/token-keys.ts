// npm run token-keys -- create --appraisal ID | list [--appraisal ID]   [--remote]
// The blind-signing keys of participation tokens (RFC 9474): one key pair per
// code instrument and rater category. `create` makes the missing ones (never
// replaces a key: tokens issued under it must stay spendable) and stores the
// private key sealed under TOKEN_KEY_SECRET; `list` prints the public keys.
// Run `create` after the appraisal's content is published and before its
// first instrument opens: until then its code instruments answer 503.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseRuntimeCatalog, type RuntimeCatalog } from '../src/domain/catalog';
import { codeScopes } from '../src/server/db/admin/codes';
import { listTokenKeys } from '../src/server/db/tokens';
import { d1Message, withDb } from './lib/d1';
import { ensureDevVars } from './lib/dev-vars';
import { ensureTokenKeys, keySlots, missingSlots } from './lib/token-keys';

const HELP = `参与令牌签名密钥 (盲签名, RFC 9474; 每个使用参与码的测评 × 评价人类别一对,
定点定向的参与码批次 (npm run codes -- issue --subjects) 每种评价对象范围另有一对)

用法:
  npm run token-keys -- create --appraisal ID [--remote]   为该考评缺少密钥的测评生成密钥 (已有的不替换)
  npm run token-keys -- list [--appraisal ID] [--remote]   列出公钥 (私钥只以加密形式存于 D1, 从不显示)

默认操作本地 D1 (KAOPING_PERSIST 或 .wrangler/state); --remote 操作生产库,
此时须在环境变量 TOKEN_KEY_SECRET 中给出与生产 (wrangler pages secret) 相同的密钥。
须先运行 npm run content (或 npm run build) 生成内容目录。`;

const ROOT = resolve(import.meta.dirname, '..');

function fail(message: string, status = 2): never {
  console.error(`错误: ${message}\n\n${HELP}`);
  process.exit(status);
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      appraisal: { type: 'string' },
      remote: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    console.log(HELP);
    process.exit(command || values.help ? 0 : 2);
  }
  if (command !== 'create' && command !== 'list') fail(`未知的命令 ${command}`);
  let catalog: RuntimeCatalog;
  try {
    const file = 'src/generated/catalog.json';
    catalog = parseRuntimeCatalog(JSON.parse(readFileSync(join(ROOT, file), 'utf8')), file);
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    return fail(missing ? '找不到 src/generated/catalog.json: 请先运行 npm run content' : (e as Error).message, 1);
  }
  const appraisal = values.appraisal;
  if (command === 'create' && !appraisal) fail('create 须用 --appraisal 指定考评');
  if (appraisal && !catalog.appraisals.some((a) => a.id === appraisal)) {
    fail(`没有考评 ${appraisal} (现有: ${catalog.appraisals.map((a) => a.id).join(', ')})`);
  }
  const secret = process.env.TOKEN_KEY_SECRET ?? (values.remote ? undefined : ensureDevVars().get('TOKEN_KEY_SECRET'));
  if (command === 'create' && (!secret || secret.length < 32)) {
    fail(
      values.remote
        ? '--remote 时须在环境变量 TOKEN_KEY_SECRET 中给出生产环境的密钥 (至少 32 个字符)'
        : 'TOKEN_KEY_SECRET 过短: 至少 32 个字符',
    );
  }
  const persist = process.env.KAOPING_PERSIST;
  const target = { remote: values.remote ?? false, persistTo: persist ? resolve(ROOT, persist) : undefined };
  const where = values.remote ? '线上 D1' : '本地 D1';
  try {
    await withDb(target, async (db) => {
      const slots = keySlots(catalog, appraisal, await codeScopes(db, appraisal));
      if (command === 'create' && slots.length === 0) {
        console.log(`考评 ${appraisal} 没有使用参与码的测评, 无需密钥`);
        return;
      }
      if (command === 'create') {
        const made = await ensureTokenKeys(db, secret as string, slots, (done, total) =>
          process.stderr.write(`\r生成密钥 ${done}/${total}${done === total ? '\n' : ''}`),
        );
        console.log(
          `${where}: 新生成 ${made.length} 对, 已有 ${slots.length - made.length} 对 (共 ${slots.length} 对)`,
        );
        for (const s of made) console.log(`  + ${s.instrument} / ${s.raterCategory} / ${s.scope}`);
        return;
      }
      const keys = await listTokenKeys(db, appraisal ? [...new Set(slots.map((s) => s.instrument))] : undefined);
      console.log('instrument,rater_category,scope,created_on,spki');
      for (const k of keys) console.log(`${k.instrument},${k.raterCategory},"${k.scope}",${k.createdOn},${k.spki}`);
      const missing = missingSlots(slots, keys);
      if (missing.length > 0) {
        console.error(
          `缺少 ${missing.length} 对密钥 (这些测评将无法发放令牌): ${missing.map((s) => `${s.instrument}/${s.raterCategory}/${s.scope}`).join(', ')}`,
        );
        process.exitCode = 1;
      }
    });
  } catch (e) {
    const msg = d1Message(e);
    fail(/no such table/i.test(msg) ? `${where}尚未迁移: 请先运行 npm run db:migrate` : msg, 1);
  }
}

await main();
