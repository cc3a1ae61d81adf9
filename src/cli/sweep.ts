/** `sim sweep <scenario> [--json]`: one workload under every kernel design × guest backing. */
import { formatSweep, sweep } from '../sim/sweep';
import { type CliIo, scenarioArg } from './io';

export const SWEEP_USAGE = 'usage: sim sweep <scenario.json | share URL | preset> [--json]';

export async function runSweep(args: readonly string[], io: CliIo): Promise<number> {
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  const unknown = rest.find((a) => a.startsWith('--'));
  if (unknown || rest.length !== 1) {
    io.err(
      `sim sweep: ${unknown ? `unknown flag ${unknown}` : 'expected one scenario'}\n${SWEEP_USAGE}\n`,
    );
    return 2;
  }
  const r = scenarioArg('sweep', rest[0]!, io);
  if (!r) return 1;
  const cells = sweep(r.scenario);
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
