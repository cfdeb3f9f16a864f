// npm start: build, migrate the local D1, load the demo data, and serve the
// portal on http://127.0.0.1:8788 with wrangler's embedded runtime.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { demoClock } from './lib/demo-clock';
import { ensureDevVars } from './lib/dev-vars';
import { d1Migrate, wranglerEnv } from './lib/wrangler';
import { seed } from './seed';

const HOST = '127.0.0.1';
const PORT = Number(process.env.PORT ?? 8788);
const require = createRequire(import.meta.url);
const bin = (pkg: string, path: string) => join(require.resolve(`${pkg}/package.json`), '..', path);

// The demo's clock (scripts/lib/demo-clock.ts): the build's "today" and the API's clock agree on it.
const now = demoClock();
const env = { ...wranglerEnv, KAOPING_NOW: now };

function run(cmd: string, args: string[]) {
  return new Promise<void>((resolve, reject) => {
    const p = spawn(process.execPath, [cmd, ...args], { stdio: 'inherit', env });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}`))));
  });
}

console.log('1/4 构建站点 (astro build) …');
ensureDevVars();
// --force: Astro's content layer keeps parsed entries between builds; a schema change must reach every file.
await run(bin('astro', 'bin/astro.mjs'), ['build', '--silent', '--force']);
console.log('2/4 应用数据库迁移 (本地 D1) …');
d1Migrate({ remote: false });
console.log('3/4 载入演示数据 …');
await seed();
console.log(`4/4 启动 wrangler pages dev (http://${HOST}:${PORT}) …`);
const server = spawn(
  process.execPath,
  [
    bin('wrangler', 'bin/wrangler.js'),
    'pages',
    'dev',
    'dist',
    '--ip',
    HOST,
    '--port',
    String(PORT),
    '--log-level',
    'warn',
    ...(now ? ['--binding', `KAOPING_NOW=${now}`] : []),
  ],
  { stdio: 'inherit', env },
);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));

// Tell the user what to open once the API answers.
for (let i = 0; i < 120; i++) {
  await new Promise((r) => setTimeout(r, 500));
  try {
    const r = await fetch(`http://${HOST}:${PORT}/api/v1/health`);
    if (r.ok) {
      console.log(`
考评公开平台已启动:
  首页        http://${HOST}:${PORT}/
  参与评议    http://${HOST}:${PORT}/participate/   (演示参与码见 .demo/codes.csv, answered 为空的未使用)
  结果公示    http://${HOST}:${PORT}/results/
  互动论坛    http://${HOST}:${PORT}/forum/         (演示帖子查询号见 .demo/forum.csv: /forum/track/)
  观察员      http://${HOST}:${PORT}/observe/       (演示账号见 .demo/observers.csv)
  API 参考    http://${HOST}:${PORT}/developers/api/ (内部系统演示密钥见 .demo/feed-keys.csv, npm run feed -- --appraisal county-2026)
  申诉与质询  http://${HOST}:${PORT}/objections/    (演示申诉凭证见 .demo/objection-credentials.csv, 查询号见 .demo/follow-up.csv)
  整改台账    http://${HOST}:${PORT}/rectification/
  意见答复    http://${HOST}:${PORT}/messages/answered/
  健康检查    http://${HOST}:${PORT}/api/v1/health
${now ? `演示时钟固定在 ${now} (KAOPING_NOW); 用真实时间: KAOPING_NOW=now npm start` : '使用真实时间。'}
按 Ctrl+C 停止。`);
      break;
    }
  } catch {
    // not up yet
  }
}
