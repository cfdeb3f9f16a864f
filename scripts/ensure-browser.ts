// First step of `npm test`: make sure the browser tests will find Chromium and
// the CJK fonts. As root with apt-get (CI, a fresh Debian machine) it installs
// them, showing apt-get's output; otherwise it stops at once with one message
// naming the command to run, before any test starts.
import { spawnSync } from 'node:child_process';
import { checkBrowserDeps, javaWarning, missingDeps, refuseMessage, systemProbe } from './lib/browser-deps';

function main(): number {
  const first = checkBrowserDeps(systemProbe());
  if (first.kind === 'ok') {
    console.log(`浏览器测试环境就绪: ${first.chromium}, 中文字体 Noto Sans CJK`);
    if (first.warning) console.warn(first.warning);
    return 0;
  }
  if (first.kind === 'refuse') {
    console.error(first.message);
    return 1;
  }

  console.log(
    `浏览器测试需要 Chromium 和中文字体 (HTML 检查需要 Java), 本机缺少: ${first.missing.join('、')}。以 root 身份用 apt-get 安装 …`,
  );
  const env = { ...process.env, ...first.plan.env };
  for (const { cmd, args } of first.plan.steps) {
    console.log(
      `$ ${Object.entries(first.plan.env)
        .map(([k, v]) => `${k}=${v} `)
        .join('')}${cmd} ${args.join(' ')}`,
    );
    const r = spawnSync(cmd, args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      console.error(
        `\n错误: ${cmd} ${args.join(' ')} 失败 (${r.error?.message ?? `退出码 ${r.status ?? r.signal}`})。`,
      );
      console.error(refuseMessage(first.missing, systemProbe()));
      return 1;
    }
  }

  const probe = systemProbe();
  const still = missingDeps(probe);
  if (still.length > 0) {
    console.error(`\n错误: 安装后仍然缺少: ${still.join('、')}。`);
    console.error(refuseMessage(still, probe));
    return 1;
  }
  if (!probe.hasJava()) console.warn(javaWarning());
  console.log('已安装 Chromium 和中文字体。');
  return 0;
}

process.exitCode = main();
