/**
 * Golden scenarios: the 2021 thread's example (one shared page in a 2 MiB region, the hypervisor
 * writes it) under every kernel design with THP and hugetlbfs backing, dumped as readable text
 * (meminfo, vmstat, every outcome, guest statuses, digest) and compared exactly with
 * src/sim/fixtures/golden/*.txt; and the final digest of every preset. UPDATE_GOLDEN=1 rewrites
 * the fixtures; review the diff like code.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMeminfo, formatVmstat } from '../formats/meminfo';
import { lastOutcomeLines } from '../formats/outcomes';
import { applyEvent } from '../machine/apply';
import { type Backing, KERNEL_DESIGNS, type KernelDesign } from '../machine/events';
import { Machine } from '../machine/machine';
import {
  compileScenario,
  linuxForKernel,
  loadPreset,
  PRESET_NAMES,
  parseScenario,
  type Scenario,
} from '../scenario/index';
import { machineDigest } from './digest';
import { metricsOf } from './metrics';
import { guestLine } from './report';

const DIR = join(import.meta.dirname, 'fixtures', 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function golden(name: string, text: string): void {
  const path = join(DIR, `${name}.txt`);
  if (UPDATE) {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(path, text);
    return;
  }
  let want: string;
  try {
    want = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`missing golden ${path}: run with UPDATE_GOLDEN=1 and review it`);
  }
  expect(text).toBe(want);
}

function preset(name: string): Scenario {
  const r = loadPreset(name);
  if (!r.ok) throw new Error(`preset ${name}: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.scenario;
}

function override(s: Scenario, kernel: KernelDesign, backing: Backing): Scenario {
  // Each design runs its era's kernel (host.linux follows the design, as a kernel= link does).
  const host = { ...s.host, linux: linuxForKernel(s.host.linux, s.kernel, kernel) };
  const r = parseScenario({ ...s, kernel, host, guests: s.guests.map((g) => ({ ...g, backing })) });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.scenario;
}

function run(s: Scenario, steps = Number.POSITIVE_INFINITY): Machine {
  const { spec, events } = compileScenario(s);
  const m = new Machine(spec);
  for (let i = 0; i < Math.min(steps, events.length); i++) applyEvent(m, events[i]!);
  return m;
}

/** The readable dump a reviewer checks: what /proc says, what happened, who survived. */
function dump(title: string, s: Scenario, m: Machine): string {
  const metrics = metricsOf(m);
  return [
    `# ${title}`,
    `kernel: ${m.spec.kernel}; backing: ${s.guests.map((g) => g.backing).join(', ')}; steps: ${m.step}`,
    '',
    '## /proc/meminfo',
    formatMeminfo(metrics.meminfo, m.spec.host.gbpages).trimEnd(),
    '',
    '## /proc/vmstat',
    formatVmstat(metrics.vmstat).trimEnd(),
    '',
    '## outcomes',
    ...lastOutcomeLines(m, Number.POSITIVE_INFINITY),
    '',
    '## guests',
    ...m.guests.map((_, i) => guestLine(m, i)),
    '',
    `## counts: ${JSON.stringify(metrics.outcomes)}`,
    `## digest: ${machineDigest(m)}`,
    '',
  ].join('\n');
}

describe("golden: the 2021 thread's example", () => {
  const variants = PRESET_NAMES.filter((n) => n.startsWith('thread-2021'));
  it.each(variants)('preset %s', (name) => {
    const s = preset(name);
    golden(name, dump(`preset ${name}: ${s.title ?? ''}`, s, run(s)));
  });

  const cases = KERNEL_DESIGNS.flatMap((k) =>
    (['thp', 'hugetlbfs-2m'] as const).map((b) => [k, b] as const),
  );
  it.each(cases)('thread-2021 under %s with %s backing', (kernel, backing) => {
    const s = override(preset('thread-2021'), kernel, backing);
    golden(
      `thread-2021--${kernel}--${backing}`,
      dump(`thread-2021, ${kernel}, ${backing}`, s, run(s)),
    );
  });

  it('tells the thread story: THP survives, hugetlbfs dies (rfc-2021), is refused (2022)', () => {
    const base = preset('thread-2021');
    const status = (k: KernelDesign, b: Backing) => run(override(base, k, b)).guests[0]!.status;
    expect(status('rfc-2021', 'thp')).toBe('exited');
    expect(status('rfc-2021', 'hugetlbfs-2m')).toBe('killed');
    expect(status('hugetlb-ban-2022', 'hugetlbfs-2m')).toBe('refused');
    expect(status('upstream-2024', 'hugetlbfs-2m')).toBe('exited');
  });
});

/**
 * The audit's cases (issue 14): small scenarios in src/sim/fixtures/audit/, one golden each
 * (golden/audit-<name>.txt). Their titles and descriptions say what they show and why.
 */
describe('golden: the audit cases', () => {
  const dir = join(import.meta.dirname, 'fixtures', 'audit');
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
  it.each(names)('%s', (name) => {
    const r = parseScenario(JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')));
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
    const s = r.scenario;
    golden(`audit-${name}`, dump(`${s.title ?? name} (Linux ${s.host.linux})`, s, run(s)));
  });
});

/** Presets that take longer than a few seconds in full are checked at a prefix of their steps. */
const PREFIX: Record<string, number> = { 'virtio-churn-1h': 50_000, 'many-guests-1t': 200 };

describe('golden: every preset runs and keeps its digest', () => {
  it.each(PRESET_NAMES)('%s', (name) => {
    const s = preset(name);
    const steps = PREFIX[name];
    const m = run(s, steps);
    const total = compileScenario(s).events.length;
    const line = `${name} step ${m.step} of ${total}: digest ${machineDigest(m)} ${JSON.stringify(metricsOf(m).outcomes)}\n`;
    golden(`preset-${name}`, line);
  });
});

/** The placement audit's cases (issue 14): where guest pages land decides what fractures. */
describe('golden: placement (zones, migratetypes, per-cpu lists)', () => {
  const scenario = (events: unknown[]): Scenario => {
    const r = parseScenario({
      version: 2,
      title: 'placement',
      // The bare t≈0 layout, so that the case's own splits are all the golden shows.
      host: { ram: '64G', gbpages: false, boot: 'bare' },
      kernel: 'upstream-2024',
      guests: [{ name: 'vm', memory: '1G', vcpus: 1, backing: '4k' }],
      events,
    });
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
    return r.scenario;
  };
  it('a 4K private page on a no-gbpages host with RAM above 4 GiB splits once, in ZONE_NORMAL', () => {
    const s = scenario([
      { op: 'launch', guest: 'vm' },
      { op: 'accept', guest: 'vm', gpa: '0x0', size: '4K' },
    ]);
    const m = run(s);
    // Its own 2 MiB region, in ZONE_NORMAL, split exactly once (by the launch image, which came
    // off the same unmovable per-cpu list; see placement.test.ts).
    const region = Math.floor(m.guests[0]!.gmemMap.get(0) / 512);
    expect(region * 512).toBeGreaterThanOrEqual(0x100000);
    expect(m.dm.regionLevel(region)).toBe('4K');
    const own = Array.from({ length: m.log.length }, (_, i) => m.log.get(i)).filter(
      (o) => o.kind === 'dm-split' && o.detail === 0 && Math.floor(o.pfn / 512) === region,
    );
    expect(own.length).toBe(1);
    golden('placement--4k-private-normal', dump('4K private page, 64G no-gbpages host', s, m));
  });
  it("a freed private frame does not come back as the VMM's shared copy", () => {
    const s = scenario([
      { op: 'launch', guest: 'vm' },
      { op: 'accept', guest: 'vm', gpa: '0x0', size: '4K' },
      { op: 'share', guest: 'vm', gpa: '0x0', size: '4K' },
      { op: 'hv-write', guest: 'vm', gpa: '0x0', size: '4K', via: 'direct-map' },
    ]);
    golden('placement--share-after-private', dump('share after a private 4K page', s, run(s)));
  });
  it('a 64 GiB host at step 0 shows more 4K than the first 2 MiB (issue 14: step 0 is booted)', () => {
    const r = parseScenario({
      version: 2,
      title: 'booted 64G host',
      host: { ram: '64G', linux: '6.12' },
      kernel: 'no-snp',
      guests: [],
      events: [],
    });
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
    const m = run(r.scenario);
    expect(m.step).toBe(0);
    expect(m.dm.count4k * 4).toBeGreaterThan(2048);
    golden('placement--booted-64g-step0', dump('a booted 64G host at step 0', r.scenario, m));
  });
});
