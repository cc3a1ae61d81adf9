/**
 * `sim run <scenario.json | share URL | preset name> [--json] [--meminfo] [--vmstat] [--ptdump]
 * [--step N] [--kernel K] [--backing B] [--log N] [--by-cause]`: run a scenario through the engine and print
 * what a kernel developer would look at. `--by-cause` prints where DirectMap4k and the splits come
 * from, cause by cause; `--json` always carries that breakdown as `byCause`. The engine runs as a plain Machine up to the step (no
 * timeline checkpoints: the CLI never seeks). Exit 0 on success, 1 on a bad scenario, 2 on bad
 * usage.
 */
import { formatMeminfo, formatVmstat } from '../formats/meminfo';
import { lastOutcomeLines } from '../formats/outcomes';
import { formatPtdump } from '../formats/ptdump';
import { applyEvent } from '../machine/apply';
import { BACKINGS, type Backing, KERNEL_DESIGNS, type KernelDesign } from '../machine/events';
import { Machine } from '../machine/machine';
import { formatSize, hex } from '../machine/units';
import {
  applyOverrides,
  compileScenario,
  eraLinux,
  isLinuxVersion,
  LINUX_ALLOWED,
  narrativeOf,
  overridesOf,
  scenarioDigest,
} from '../scenario/index';
import { machineDigest } from '../sim/digest';
import { byCause, metricsOf } from '../sim/metrics';
import { directMapEntries, guestLine, runJson } from '../sim/report';
import { type CliIo, scenarioArg } from './io';

export const RUN_USAGE =
  'usage: sim run <scenario.json | share URL | preset name> [--json] [--meminfo] [--vmstat] [--ptdump] [--step N] [--kernel DESIGN] [--backing BACKING] [--linux VERSION] [--log N] [--by-cause]';

interface RunArgs {
  source: string;
  json: boolean;
  meminfo: boolean;
  vmstat: boolean;
  ptdump: boolean;
  byCause: boolean;
  step?: number;
  kernel?: KernelDesign;
  backing?: Backing;
  linux?: string;
  log: number;
}

const INT = /^\d+$/;

/** Parse flags; a string is the error message (naming the flag and what it expects). */
export function parseRunArgs(args: readonly string[]): RunArgs | string {
  const positional: string[] = [];
  const out: Omit<RunArgs, 'source'> = {
    json: false,
    meminfo: false,
    vmstat: false,
    ptdump: false,
    byCause: false,
    log: 10,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (eq > 0 ? a.slice(eq + 1) : args[++i]);
    if (flag === '--json' || flag === '--meminfo' || flag === '--vmstat' || flag === '--ptdump') {
      out[flag.slice(2) as 'json' | 'meminfo' | 'vmstat' | 'ptdump'] = true;
    } else if (flag === '--by-cause') {
      out.byCause = true;
    } else if (flag === '--step' || flag === '--log') {
      const v = value();
      if (v === undefined || !INT.test(v))
        return `${flag}: found ${v === undefined ? 'nothing' : `"${v}"`}; expected a whole number of steps`;
      out[flag === '--step' ? 'step' : 'log'] = Number(v);
    } else if (flag === '--kernel') {
      const v = value();
      if (!KERNEL_DESIGNS.includes(v as KernelDesign))
        return `--kernel: found "${v ?? ''}"; expected one of ${KERNEL_DESIGNS.join(', ')}`;
      out.kernel = v as KernelDesign;
    } else if (flag === '--backing') {
      const v = value();
      if (!BACKINGS.includes(v as Backing))
        return `--backing: found "${v ?? ''}"; expected one of ${BACKINGS.join(', ')}`;
      out.backing = v as Backing;
    } else if (flag === '--linux') {
      const v = value();
      if (v === undefined || !isLinuxVersion(v))
        return `--linux: found "${v ?? ''}"; expected ${LINUX_ALLOWED}`;
      out.linux = v;
    } else if (a.startsWith('-') && a.length > 1) {
      return `unknown option "${a}"; expected one of --json, --meminfo, --vmstat, --ptdump, --by-cause, --step N, --kernel, --backing, --linux, --log N`;
    } else positional.push(a);
  }
  if (positional.length !== 1)
    return `expected one scenario (a file, a share URL or a preset name), found ${positional.length}`;
  return { source: positional[0]!, ...out };
}

export async function runRun(args: readonly string[], io: CliIo): Promise<number> {
  const a = parseRunArgs(args);
  if (typeof a === 'string') {
    io.err(`sim run: ${a}\n${RUN_USAGE}\n`);
    return 2;
  }
  const r = scenarioArg('run', a.source, io);
  if (!r) return 1;
  // --kernel/--backing/--linux apply the way a share link's overrides do, and win over the link's.
  const flags = overridesOf(a);
  const o = applyOverrides(r.scenario, flags);
  if (!o.ok) {
    io.err(`sim run: ${o.errors.join('; ')}\n`);
    return 1;
  }
  const scenario = o.scenario;
  const { spec, events } = compileScenario(scenario);
  const step = a.step ?? r.view.step ?? events.length;
  if (step > events.length) {
    io.err(
      `sim run: --step: found ${step}; expected a step from 0 to ${events.length} (the scenario has ${events.length} events)\n`,
    );
    return 1;
  }
  const m = new Machine(spec);
  for (let i = 0; i < step; i++) applyEvent(m, events[i]!);
  const overrides = { ...overridesOf(r.view), ...flags };
  const story = narrativeOf(
    { ...scenario, title: scenario.title ?? r.preset ?? a.source },
    r.base,
    overrides,
  );
  const title = story.title;
  const info = { title, scenarioDigest: scenarioDigest(scenario), steps: events.length };
  if (a.json) {
    const json: Record<string, unknown> = {
      ...runJson(m, info),
      linux: m.linux.version,
      byCause: byCause(m),
    };
    if (a.ptdump)
      json.ptdump = formatPtdump(directMapEntries(m), { fiveLevel: m.spec.host.la57 === true });
    io.out(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  const sections = a.meminfo || a.vmstat || a.ptdump;
  if (!sections) {
    io.out(summary(m, info, a.log));
    if (a.byCause) io.out(causeTable(m));
    return 0;
  }
  if (a.byCause) io.out(causeTable(m));
  if (a.meminfo) io.out(formatMeminfo(metricsOf(m).meminfo, spec.host.gbpages));
  if (a.vmstat) io.out(formatVmstat(metricsOf(m).vmstat));
  if (a.ptdump) io.out(formatPtdump(directMapEntries(m), { fiveLevel: m.spec.host.la57 === true }));
  return 0;
}

function summary(
  m: Machine,
  info: { title: string; scenarioDigest: string; steps: number },
  logLines: number,
): string {
  const h = m.spec.host;
  const ram = h.ranges.reduce((s, x) => s + (x.end - x.start), 0);
  const ranges = h.ranges.map((x) => `${hex(x.start)}-${hex(x.end)}`).join(' ');
  const metrics = metricsOf(m);
  const counts = Object.entries(metrics.outcomes)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = [
    info.title,
    `scenario: ${info.scenarioDigest}, step ${m.step} of ${info.steps}`,
    `host: ${formatSize(ram)} RAM [${ranges}], gbpages ${h.gbpages ? 'on' : 'off'}, ${h.allocator} allocator, kernel memory ${formatSize(h.kernelBytes)}`,
    `kernel: ${m.spec.kernel} (${m.design.label}), Linux ${h.linux ?? eraLinux(m.spec.kernel)}${h.la57 ? ', 5-level paging' : ''}`,
    'guests:',
    ...m.guests.map((_, i) => `  ${guestLine(m, i)}`),
    '/proc/meminfo:',
    formatMeminfo(metrics.meminfo, h.gbpages).trimEnd(),
    '/proc/vmstat:',
    formatVmstat(metrics.vmstat).trimEnd(),
    `outcomes: ${counts}`,
    `digest: ${machineDigest(m)}`,
  ];
  const log = lastOutcomeLines(m, logLines);
  if (log.length > 0) lines.push(`last ${log.length} outcome(s):`, ...log);
  return `${lines.join('\n')}\n`;
}

/** `--by-cause`: one line per cause with its DirectMap4k, splits, collapses and whether it heals. */
export function causeTable(m: Machine): string {
  const rows = byCause(m);
  const lines = [
    `by cause (Linux ${m.linux.version}; splits 2M→4K / 1G→2M, collapses 4K→2M / 2M→1G):`,
  ];
  for (const r of rows) {
    const tag = r.status === 'proposal' ? ' (proposal)' : '';
    const heal = r.status === 'layout' ? '' : r.canHeal ? ', can heal' : ', never heals';
    lines.push(
      `  ${`${r.cause}${tag}`.padEnd(24)} DirectMap4k ${String(r.directMap4kKb).padStart(10)} kB, splits ${r.level2Splits} / ${r.level3Splits}, collapses ${r.level2Collapses} / ${r.level3Collapses}${heal}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
