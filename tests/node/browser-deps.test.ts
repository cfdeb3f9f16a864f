// The first step of `npm test`: are Chromium and the CJK fonts there, may we
// install them (root with apt-get), or do we stop with the command to run?
// The decision with an injected probe, then the real CLI with its edges faked:
// a PATH holding only a fake fc-list (and a fake apt-get), CHROMIUM_PATH, and a
// real unprivileged user for "cannot install".
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BrowserProbe,
  checkBrowserDeps,
  DEBIAN_CHROMIUM,
  INSTALL_COMMAND,
  JAVA_MISSING,
  systemProbe,
} from '../../scripts/lib/browser-deps';

const FONTS = 'Noto Sans CJK SC,Noto Sans CJK SC Regular\nNoto Serif CJK SC\n';

function probe(o: {
  chromium?: boolean;
  fonts?: boolean;
  root?: boolean;
  apt?: boolean;
  java?: boolean;
  chromiumPath?: string;
}): BrowserProbe {
  const { chromium = true, fonts = true, root = false, apt = true, java = true, chromiumPath } = o;
  return {
    chromiumPath,
    isExecutable: (p) => chromium && p === (chromiumPath ?? DEBIAN_CHROMIUM),
    fcList: () => (fonts ? FONTS : ''),
    isRoot: () => root,
    hasAptGet: () => apt,
    hasJava: () => java,
  };
}

describe('checkBrowserDeps', () => {
  it('is ok when Chromium and the CJK fonts are there, whoever runs it', () => {
    expect(checkBrowserDeps(probe({}))).toEqual({ kind: 'ok', chromium: DEBIAN_CHROMIUM });
    expect(checkBrowserDeps(probe({ root: true }))).toEqual({ kind: 'ok', chromium: DEBIAN_CHROMIUM });
    expect(checkBrowserDeps(probe({ apt: false, chromiumPath: '/opt/chromium/chrome' }))).toEqual({
      kind: 'ok',
      chromium: '/opt/chromium/chrome',
    });
  });

  it('plans apt-get update and install, non-interactive, as root with apt-get', () => {
    const r = checkBrowserDeps(probe({ chromium: false, fonts: false, root: true }));
    expect(r).toEqual({
      kind: 'install',
      missing: [`Chromium (${DEBIAN_CHROMIUM})`, '中文字体 Noto Sans CJK (fonts-noto-cjk)'],
      plan: {
        env: { DEBIAN_FRONTEND: 'noninteractive' },
        steps: [
          { cmd: 'apt-get', args: ['update'] },
          { cmd: 'apt-get', args: ['install', '-y', 'chromium', 'fonts-noto-cjk'] },
        ],
      },
    });
    expect(checkBrowserDeps(probe({ fonts: false, root: true })).kind).toBe('install');
  });

  it('refuses with one message naming the command for a user who cannot install', () => {
    const r = checkBrowserDeps(probe({ chromium: false, root: false }));
    expect(r.kind).toBe('refuse');
    if (r.kind !== 'refuse') return;
    expect(INSTALL_COMMAND).toBe('sudo apt-get install -y chromium fonts-noto-cjk');
    expect(r.message).toContain(`本机缺少: Chromium (${DEBIAN_CHROMIUM})。`);
    expect(r.message).toContain(`\n  ${INSTALL_COMMAND}\n`);
    expect(r.message).toContain('然后重新运行 npm test');
    expect(r.message).not.toContain('apt-get 的系统');
    // Fonts alone: the same command (apt-get leaves an installed chromium as it is).
    const fonts = checkBrowserDeps(probe({ fonts: false }));
    expect(fonts.kind === 'refuse' && fonts.message).toContain('本机缺少: 中文字体 Noto Sans CJK (fonts-noto-cjk)。');
    expect(fonts.kind === 'refuse' && fonts.message).toContain(INSTALL_COMMAND);
  });

  it('refuses as root without apt-get, with a word for systems without it', () => {
    const r = checkBrowserDeps(probe({ chromium: false, root: true, apt: false }));
    expect(r.kind).toBe('refuse');
    expect(r.kind === 'refuse' && r.message).toContain(INSTALL_COMMAND);
    expect(r.kind === 'refuse' && r.message).toContain('没有 apt-get 的系统');
  });

  it('adds Java for the HTML checker to what it installs, and only warns when it cannot install it', () => {
    const alone = checkBrowserDeps(probe({ java: false, root: true }));
    expect(alone).toEqual({
      kind: 'install',
      missing: [JAVA_MISSING],
      plan: {
        env: { DEBIAN_FRONTEND: 'noninteractive' },
        steps: [
          { cmd: 'apt-get', args: ['update'] },
          { cmd: 'apt-get', args: ['install', '-y', 'default-jre-headless'] },
        ],
      },
    });
    const all = checkBrowserDeps(probe({ java: false, fonts: false, root: true }));
    expect(all.kind === 'install' && all.plan.steps[1]?.args).toEqual([
      'install',
      '-y',
      'chromium',
      'fonts-noto-cjk',
      'default-jre-headless',
    ]);
    // Without root: the browser tests can run, the HTML check will skip; say so, do not stop.
    const user = checkBrowserDeps(probe({ java: false }));
    expect(user.kind).toBe('ok');
    expect(user.kind === 'ok' && user.warning).toContain('sudo apt-get install -y default-jre-headless');
  });

  it('does not install when CHROMIUM_PATH points elsewhere to nothing: apt-get cannot fix that', () => {
    const r = checkBrowserDeps(probe({ chromium: false, root: true, chromiumPath: '/opt/none/chrome' }));
    expect(r.kind).toBe('refuse');
    expect(r.kind === 'refuse' && r.message).toContain('CHROMIUM_PATH=/opt/none/chrome 不存在或不可执行');
    expect(r.kind === 'refuse' && r.message).toContain('或改正 CHROMIUM_PATH');
  });
});

describe('the real probe', () => {
  it('reads fc-list and apt-get from PATH and Chromium from CHROMIUM_PATH', () => {
    const { bin, chromium } = fakeMachine();
    const p = systemProbe({ PATH: bin, CHROMIUM_PATH: chromium });
    expect(p.fcList()).toBe('');
    expect(p.hasAptGet()).toBe(true);
    expect(p.hasJava()).toBe(true);
    expect(systemProbe({ PATH: join(bin, 'nowhere') }).hasJava()).toBe(false);
    expect(p.isExecutable(p.chromiumPath as string)).toBe(false);
    expect(systemProbe({ PATH: join(bin, 'nowhere') }).fcList()).toBe('');
    expect(systemProbe({ PATH: join(bin, 'nowhere') }).hasAptGet()).toBe(false);
  });
});

/**
 * A machine without the fonts (and without Chromium unless asked), with Java:
 * `bin`, the whole PATH, holds a fake java, a fake fc-list that lists Noto Sans CJK once
 * `state/fonts` exists, and a fake apt-get that logs its calls and, on
 * install, creates that flag.
 */
function fakeMachine(o: { chromium?: boolean } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'kaoping-browser-deps-'));
  chmodSync(root, 0o755);
  const bin = join(root, 'bin');
  const state = join(root, 'state');
  mkdirSync(bin);
  chmodSync(bin, 0o755);
  mkdirSync(state);
  chmodSync(state, 0o777); // writable by the unprivileged user below
  const script = (name: string, body: string) => writeFileSync(join(bin, name), `#!/bin/sh\n${body}`, { mode: 0o755 });
  script('fc-list', '[ -f "$FAKE_STATE/fonts" ] && echo "Noto Sans CJK SC,Noto Sans CJK SC Regular"\nexit 0\n');
  script(
    'apt-get',
    'echo "DEBIAN_FRONTEND=$DEBIAN_FRONTEND $*" >> "$FAKE_STATE/apt.log"\n[ "$1" = install ] && : > "$FAKE_STATE/fonts"\nexit 0\n',
  );
  if (o.chromium) script('chromium', 'exit 0\n');
  script('java', 'exit 0\n');
  return { bin, state, chromium: join(bin, 'chromium') };
}

const isRoot = process.getuid?.() === 0;
const hasSetpriv = existsSync('/usr/bin/setpriv');

function runCli(env: Record<string, string>, opts: { asNobody?: boolean } = {}) {
  const node = [process.execPath, '--import', 'tsx', 'scripts/ensure-browser.ts'];
  const argv =
    opts.asNobody && isRoot ? ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...node] : node;
  const t0 = Date.now();
  const r = spawnSync(argv[0] as string, argv.slice(1), {
    encoding: 'utf8',
    env: { HOME: tmpdir(), ...env },
    timeout: 30_000,
  });
  return { ...r, seconds: (Date.now() - t0) / 1000 };
}

describe('scripts/ensure-browser.ts', () => {
  it.skipIf(isRoot && !hasSetpriv)(
    'as a user who cannot install: prints the one message and exits 1 in seconds, never calling apt-get',
    () => {
      const { bin, state, chromium } = fakeMachine();
      const r = runCli({ PATH: bin, CHROMIUM_PATH: chromium, FAKE_STATE: state }, { asNobody: true });
      expect(r.status).toBe(1);
      expect(r.seconds).toBeLessThan(10);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('本机缺少: Chromium (');
      expect(r.stderr).toContain('中文字体 Noto Sans CJK (fonts-noto-cjk)');
      expect(r.stderr).toContain(`\n  ${INSTALL_COMMAND}\n`);
      expect(existsSync(join(state, 'apt.log'))).toBe(false);
    },
  );

  it.skipIf(!isRoot)('as root with apt-get: installs, showing the commands, re-checks and passes', () => {
    // Chromium is there (a fake one), the fonts are missing.
    const { bin, state, chromium } = fakeMachine({ chromium: true });
    const r = runCli({ PATH: bin, CHROMIUM_PATH: chromium, FAKE_STATE: state });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('本机缺少: 中文字体 Noto Sans CJK (fonts-noto-cjk)。以 root 身份用 apt-get 安装');
    expect(r.stdout).toContain('$ DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk');
    expect(r.stdout).toContain('已安装 Chromium 和中文字体。');
    expect(readFileSync(join(state, 'apt.log'), 'utf8')).toBe(
      'DEBIAN_FRONTEND=noninteractive update\nDEBIAN_FRONTEND=noninteractive install -y chromium fonts-noto-cjk\n',
    );
    // Run again: nothing to do.
    const again = runCli({ PATH: bin, CHROMIUM_PATH: chromium, FAKE_STATE: state });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('浏览器测试环境就绪');
  });
});
