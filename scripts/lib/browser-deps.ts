// What the browser tests need from the system: the Chromium that
// tests/support/browser.ts launches and CJK fonts (without them Chinese renders as
// boxes); and Java for the Nu HTML checker (tests/node/html-valid.test.ts), which
// is installed alongside when we may, and otherwise only warned about: that
// test then skips, saying so. `checkBrowserDeps` decides from a probe of the machine whether all
// is there, whether we may install it (root with apt-get, as on CI) or whether
// to stop and tell the user the command to run. The probe is injected so the
// decision can be tested on any machine; `systemProbe` is the real one.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The executable tests/support/browser.ts launches unless CHROMIUM_PATH says otherwise. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
export const PACKAGES = ['chromium', 'fonts-noto-cjk'] as const;
export const INSTALL_COMMAND = `sudo apt-get install -y ${PACKAGES.join(' ')}`;
/** Java for vnu.jar (the npm package vnu-jar ships the checker, not a runtime). */
export const JAVA_PACKAGE = 'default-jre-headless';
/** A family that fonts-noto-cjk installs and `fc-list :lang=zh` lists. */
const CJK_FONT = /Noto Sans CJK/i;

export interface BrowserProbe {
  /** CHROMIUM_PATH from the environment, as tests/support/browser.ts reads it. */
  chromiumPath: string | undefined;
  isExecutable(path: string): boolean;
  /** Output of `fc-list :lang=zh family`; '' when fc-list is missing. */
  fcList(): string;
  isRoot(): boolean;
  hasAptGet(): boolean;
  /** Whether `java -version` runs. */
  hasJava(): boolean;
}

export interface InstallStep {
  cmd: string;
  args: string[];
}

export interface InstallPlan {
  env: Record<string, string>;
  steps: InstallStep[];
}

export type BrowserDeps =
  | { kind: 'ok'; chromium: string; warning?: string }
  | { kind: 'install'; missing: string[]; plan: InstallPlan }
  | { kind: 'refuse'; missing: string[]; message: string };

export const INSTALL_PLAN: InstallPlan = installPlan([...PACKAGES]);

function installPlan(packages: string[]): InstallPlan {
  return {
    env: { DEBIAN_FRONTEND: 'noninteractive' },
    steps: [
      { cmd: 'apt-get', args: ['update'] },
      { cmd: 'apt-get', args: ['install', '-y', ...packages] },
    ],
  };
}

export const JAVA_MISSING = `Java (${JAVA_PACKAGE}, Nu HTML 检查器)`;

/** Said when Java is missing and cannot be installed here: the HTML check is skipped, loudly. */
export const javaWarning = () =>
  `警告: 本机没有 Java, Nu HTML 检查 (tests/node/html-valid.test.ts) 将跳过。请运行 sudo apt-get install -y ${JAVA_PACKAGE}。`;

/** What is missing, in words for the user (empty when all is there). */
export function missingDeps(probe: BrowserProbe): string[] {
  const chromium = probe.chromiumPath ?? DEBIAN_CHROMIUM;
  const missing: string[] = [];
  if (!probe.isExecutable(chromium))
    missing.push(
      probe.chromiumPath === undefined
        ? `Chromium (${chromium})`
        : `Chromium (CHROMIUM_PATH=${chromium} 不存在或不可执行)`,
    );
  if (!CJK_FONT.test(probe.fcList())) missing.push('中文字体 Noto Sans CJK (fonts-noto-cjk)');
  return missing;
}

/** The one message shown when we cannot (or could not) install what is missing. */
export function refuseMessage(missing: string[], probe: Pick<BrowserProbe, 'chromiumPath' | 'hasAptGet'>): string {
  const lines = [
    `浏览器测试需要 Chromium 和中文字体, 本机缺少: ${missing.join('、')}。`,
    '请先运行:',
    '',
    `  ${INSTALL_COMMAND}`,
    '',
    '然后重新运行 npm test。',
  ];
  if (probe.chromiumPath !== undefined && probe.chromiumPath !== DEBIAN_CHROMIUM)
    lines.push(`(或改正 CHROMIUM_PATH; 取消它则使用 Debian 的 ${DEBIAN_CHROMIUM})`);
  if (!probe.hasAptGet())
    lines.push('(没有 apt-get 的系统: 自行安装 Chromium 和 Noto Sans CJK 字体, 并用 CHROMIUM_PATH 指向 Chromium)');
  return lines.join('\n');
}

export function checkBrowserDeps(probe: BrowserProbe): BrowserDeps {
  const missing = missingDeps(probe);
  const mayInstall = probe.isRoot() && probe.hasAptGet();
  const java = probe.hasJava();
  if (missing.length === 0) {
    const chromium = probe.chromiumPath ?? DEBIAN_CHROMIUM;
    if (java) return { kind: 'ok', chromium };
    if (mayInstall) return { kind: 'install', missing: [JAVA_MISSING], plan: installPlan([JAVA_PACKAGE]) };
    return { kind: 'ok', chromium, warning: javaWarning() };
  }
  // apt-get puts Chromium at /usr/bin/chromium: it cannot make a CHROMIUM_PATH elsewhere appear.
  const aptFixes =
    probe.chromiumPath === undefined ||
    probe.chromiumPath === DEBIAN_CHROMIUM ||
    probe.isExecutable(probe.chromiumPath);
  if (mayInstall && aptFixes)
    return java
      ? { kind: 'install', missing, plan: INSTALL_PLAN }
      : { kind: 'install', missing: [...missing, JAVA_MISSING], plan: installPlan([...PACKAGES, JAVA_PACKAGE]) };
  return { kind: 'refuse', missing, message: refuseMessage(missing, probe) };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The machine as it is, read through `env` (PATH, CHROMIUM_PATH). */
export function systemProbe(env: NodeJS.ProcessEnv = process.env): BrowserProbe {
  const onPath = (name: string) =>
    (env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .some((dir) => isExecutable(join(dir, name)));
  return {
    chromiumPath: env.CHROMIUM_PATH,
    isExecutable,
    fcList() {
      const r = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8', env, timeout: 30_000 });
      return r.status === 0 ? r.stdout : '';
    },
    isRoot: () => process.getuid?.() === 0,
    hasAptGet: () => onPath('apt-get'),
    hasJava: () => hasJava(env),
  };
}

/** Whether Java runs (the Nu HTML checker needs it). */
export function hasJava(env: NodeJS.ProcessEnv = process.env): boolean {
  return spawnSync('java', ['-version'], { env, timeout: 30_000 }).status === 0;
}
