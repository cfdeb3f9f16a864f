// npm run bench: every benchmark in turn, each writing its section of
// docs/benchmarks.md. A benchmark that misses its target sets a failing exit code.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { ensureDist } from './lib/stand';

// One fresh build of the site for every benchmark that serves or weighs it: a
// build left from an older commit would measure old pages and old JavaScript.
const DIST = process.env.KAOPING_DIST ?? '/tmp/kaoping-bench-dist';
rmSync(DIST, { recursive: true, force: true });
ensureDist(DIST);

const benches = ['bench/submission.ts', 'bench/burst.ts', 'bench/site-build.ts', 'bench/participate-js.ts'];
let failed = 0;
for (const b of benches) {
  if (!existsSync(b)) continue;
  console.log(`\n=== ${b} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', b], {
    stdio: 'inherit',
    env: { ...process.env, KAOPING_DIST: DIST },
  });
  if (r.status !== 0) failed++;
}
console.log(
  failed
    ? `\n${failed} benchmark(s) failed or missed a target; see docs/benchmarks.md`
    : '\nall benchmarks done; figures in docs/benchmarks.md',
);
process.exit(failed ? 1 : 0);
