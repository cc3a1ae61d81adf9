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
const r = spawnSync(
  process.execPath,
  ['--expose-gc', '--max-old-space-size=8192', 'bench/results/engine.mjs'],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
