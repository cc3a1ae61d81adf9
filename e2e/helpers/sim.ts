/**
 * The command line as the oracle: what `npm run --silent sim -- run … --json` prints for the same
 * scenario and step. The browser and the CLI share one engine, so the numbers must be equal.
 */
import { execFileSync } from 'node:child_process';

export interface SimJson {
  step: number;
  steps: number;
  meminfo: { DirectMap4k: number; DirectMap2M: number; DirectMap1G: number };
  vmstat: { direct_map_level2_splits: number; direct_map_level3_splits: number };
  outcomes: {
    rmp_faults: number;
    thp_splits: number;
    guests_killed: number;
    launches_refused: number;
    psmash: number;
    host_oops: number;
    tlb_flushes: number;
    page_table_pages: number;
  };
  guests: { name: string; status: string }[];
}

export function simRun(args: string[]): SimJson {
  const out = execFileSync('npm', ['run', '--silent', 'sim', '--', 'run', ...args, '--json'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out) as SimJson;
}

/** The kernel's /proc/meminfo lines for these counters (arch_report_meminfo). */
export function meminfoLines(m: SimJson['meminfo'], gbpages: boolean): string[] {
  const pad = (n: number) => String(n).padStart(8, ' ');
  const lines = [
    `DirectMap4k:    ${pad(m.DirectMap4k)} kB`,
    `DirectMap2M:    ${pad(m.DirectMap2M)} kB`,
  ];
  if (gbpages) lines.push(`DirectMap1G:    ${pad(m.DirectMap1G)} kB`);
  return lines;
}
