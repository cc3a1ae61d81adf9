/** `sim sweep <scenario> [--json] [--jobs N] [--progress]`: every kernel design × guest backing. */
import { BACKINGS, KERNEL_DESIGNS } from '../machine/events';
import { formatSweep, type SweepCell, sweep } from '../sim/sweep';
import { type CliIo, scenarioArg } from './io';
import { defaultJobs, sweepPool } from './pool';

export const SWEEP_USAGE =
  'usage: sim sweep <scenario.json | share URL | preset> [--json] [--jobs N] [--progress]';

/** The designs measured slowest go first so the last cell to finish is a short one. */
const SLOW: readonly string[] = ['upstream-2024', 'unmap-2023'];

function longestFirst(): number[] {
  const idx: { i: number; slow: boolean }[] = [];
  let i = 0;
  for (const k of KERNEL_DESIGNS)
    for (const _ of BACKINGS) idx.push({ i: i++, slow: SLOW.includes(k) });
  return [...idx.filter((x) => x.slow), ...idx.filter((x) => !x.slow)].map((x) => x.i);
}

export async function runSweep(args: readonly string[], io: CliIo): Promise<number> {
  const json = args.includes('--json');
  const progress = args.includes('--progress') || process.stderr.isTTY === true;
  const rest: string[] = [];
  let jobs: number | undefined;
  for (let a = 0; a < args.length; a++) {
    const x = args[a]!;
    if (x === '--json' || x === '--progress') continue;
    if (x === '--jobs') {
      jobs = Number(args[++a]);
      if (!Number.isInteger(jobs) || jobs < 1) {
        io.err(`sim sweep: --jobs needs a positive integer\n${SWEEP_USAGE}\n`);
        return 2;
      }
      continue;
    }
    rest.push(x);
  }
  const unknown = rest.find((a) => a.startsWith('--'));
  if (unknown || rest.length !== 1) {
    io.err(
      `sim sweep: ${unknown ? `unknown flag ${unknown}` : 'expected one scenario'}\n${SWEEP_USAGE}\n`,
    );
    return 2;
  }
  const r = scenarioArg('sweep', rest[0]!, io);
  if (!r) return 1;
  const total = KERNEL_DESIGNS.length * BACKINGS.length;
  const n = jobs ?? defaultJobs(total);
  const cells: SweepCell[] =
    n === 1
      ? sweep(r.scenario)
      : await sweepPool(r.scenario, {
          jobs: n,
          order: longestFirst(),
          onCell: progress
            ? (done, all, c) => io.err(`sweep: ${done}/${all} ${c.kernel} × ${c.backing}\n`)
            : undefined,
        });
  if (json) {
    const rows = cells.map((c) => ({
      kernel: c.kernel,
      backing: c.backing,
      steps: c.steps,
      meminfo: c.metrics.meminfo,
      vmstat: c.metrics.vmstat,
      outcomes: c.metrics.outcomes,
      pageTableBytes: c.metrics.pageTableBytes,
      doubleBackedBytes: c.metrics.doubleBackedBytes,
      guests: c.guests,
      digest: c.digest,
    }));
    io.out(`${JSON.stringify({ title: r.scenario.title ?? rest[0], cells: rows }, null, 2)}\n`);
    return 0;
  }
  io.out(`${r.scenario.title ?? rest[0]}: every kernel design × backing, final counters\n`);
  io.out(formatSweep(cells));
  return 0;
}
