// Bundles the engine benchmark the way the browser gets the engine (one optimised bundle, no
// per-module loader in the way) and runs it with --expose-gc so heap numbers are real.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { build } from 'esbuild';

mkdirSync('bench/results', { recursive: true });
await build({
  entryPoints: ['bench/engine.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: 'bench/results/engine.mjs',
  logLevel: 'warning',
});
// Each part in a fresh process (as each run gets a fresh worker): a part measured after the
// 16 TiB run would also pay for that run's garbage.
const parts = process.env.BENCH_ONLY
  ? [process.env.BENCH_ONLY]
  : ['accept', 'churn', 'ratio', 'seek', 'sweep', 'scale', 'timeline'];
let status = 0;
for (const [i, part] of parts.entries()) {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=8192', 'bench/results/engine.mjs'],
    {
      stdio: 'inherit',
      env: { ...process.env, BENCH_ONLY: part, BENCH_HEADER: i === 0 ? '1' : '0' },
    },
  );
  status ||= r.status ?? 1;
}
process.exit(status);
