/**
 * The eras, labelled right (issue 14): what each design's series did to the direct map, and the
 * host kernel version gates. Each block is named as the rule it checks and cites its source.
 */
import { describe, expect, it } from 'vitest';
import { formatVmstat } from '../../formats/meminfo';
import { metricsOf } from '../../sim/metrics';
import { applyEvent } from '../apply';
import {
  BACKINGS,
  type EngineEvent,
  KERNEL_DESIGNS,
  type KernelDesign,
  type MachineSpec,
} from '../events';
import { DM_UNMAPPED } from '../frame-bits';
import { DESIGN_LINUX, linuxRules } from '../linux';
import { Machine } from '../machine';
import { RULES } from '../rules';
import { GiB, MiB } from '../units';

/** RAM from 1 GiB: the guest's first frames sit under a 1G boot mapping. */
function spec(
  kernel: KernelDesign,
  backing: MachineSpec['guests'][number]['backing'] = '4k',
  linux?: string,
): MachineSpec {
  return {
    host: {
      ranges: [
        { start: 0, end: 0x9f000 },
        { start: GiB, end: 4 * GiB },
      ],
      gbpages: true,
      allocator: 'buddy',
      kernelBytes: 64 * MiB,
      seed: 1,
      ...(linux !== undefined ? { linux } : {}),
    },
    kernel,
    guests: [{ name: 'vm', memoryBytes: 64 * MiB, vcpus: 1, backing, snp: true }],
  };
}

const ev = (
  op: EngineEvent['op'],
  gpa = 0,
  sizeBytes = 4096,
  via: EngineEvent['via'] = 'user',
): EngineEvent => ({
  op,
  guest: 0,
  gpa,
  pfn: 0,
  sizeBytes,
  via,
});

function run(s: MachineSpec, events: EngineEvent[]): Machine {
  const m = new Machine(s);
  for (const e of events) applyEvent(m, e);
  return m;
}

const ONE_PAGE = [ev('launch'), ev('accept'), ev('share'), ev('exit')];

const log = (m: Machine) => Array.from({ length: m.log.length }, (_, i) => m.log.get(i));
const counters = (m: Machine) => [m.dm.level3Splits, m.dm.level2Splits, m.tlbFlushes];

/**
 * Since the SNP host's own RMP traffic is modelled (snp-host.ts), the first 2 MiB of the 1G
 * mapping at 1 GiB holds the TMR (split at kvm_amd load) and the guest's first private page lands
 * next to the launch image, in a region already split. So the cost of "a 4K page inside a 1G
 * mapping" is measured on a page of the intact 1G mapping at 2 GiB, through the design's hook.
 */
const IN_1G = (2 * GiB) / 4096;

describe('[unmap.invalidate] unmap-2023 as SNP host v10 (20231016132819.1002933-13-michael.roth@amd.com)', () => {
  it('a 4K page inside a 1G mapping: 2 TLB flushes (the two splits), v7 would add one per call', () => {
    const m = run(spec('unmap-2023'), [ev('launch')]);
    expect(m.dm.levelOf(IN_1G)).toBe('1G');
    const before = counters(m);
    m.rmpUpdate(IN_1G, 1, true, '4K', true);
    m.rmpUpdate(IN_1G, 1, false, '4K', false);
    expect(counters(m).map((n, i) => n - before[i]!)).toEqual([1, 1, 2]);
  });
  it('the _noflush calls flush only to split: TLB flushes = splits after every step', () => {
    const m = new Machine(spec('unmap-2023'));
    // At kvm_amd load the TMR's first page is the first assigned page inside the 1G mapping.
    expect(
      log(m)
        .filter((o) => o.kind === 'dm-split' && o.rule === 'snp.tmr')
        .map((o) => o.detail),
    ).toEqual([1, 0]);
    expect(m.tlbFlushes).toBe(m.dm.level3Splits + m.dm.level2Splits);
    for (const e of ONE_PAGE) {
      applyEvent(m, e);
      expect(m.tlbFlushes).toBe(m.dm.level3Splits + m.dm.level2Splits);
    }
  });
  it.each([
    ['accept', 1, true],
    ['share (restore_direct_map)', 2, false],
  ] as const)('after %s the page is present: %s', (_, steps, unmapped) => {
    const m = run(spec('unmap-2023'), ONE_PAGE.slice(0, steps + 1));
    const pfn = m.guests[0]!.gmemMap.get(0);
    expect(pfn).toBeGreaterThanOrEqual(GiB / 4096);
    expect((m.frames.get(pfn) & DM_UNMAPPED) !== 0).toBe(unmapped);
  });
});

describe('[unmap.invalidate] hugetlb-ban-2022 invalidates, RFC v1 pre-splits (243778c282cd55a554af9c11d2ecd3ff9ea6820f.1655761627.git.ashish.kalra@amd.com)', () => {
  it.each([
    // design, the accepted page is not present in the direct map, a direct-map write to it oopses by
    ['hugetlb-ban-2022', true, 'unmap.invalidate'],
    ['rfc-2021', false, 'rmp.kernel_oops'],
  ] as const)('%s: invalidated %s, a kernel write oopses by %s', (kernel, unmapped, rule) => {
    const m = run(spec(kernel, 'thp'), [ev('launch')]);
    const before = counters(m);
    for (const e of [ev('accept'), ev('hv-write', 0, 4096, 'direct-map')]) applyEvent(m, e);
    const pfn = m.guests[0]!.backingMap.get(0);
    expect((m.frames.get(pfn) & DM_UNMAPPED) !== 0).toBe(unmapped);
    // The VMM's (movable) page sits in a 2M mapping of its own: the accept splits it once.
    expect(
      counters(m)
        .map((n, i) => n - before[i]!)
        .slice(0, 2),
    ).toEqual([0, 1]);
    expect(m.dm.levelOf(pfn)).toBe('4K');
    const oops = log(m).find((o) => o.kind === 'host-oops');
    expect(oops?.rule).toBe(rule);
  });
  it('a 4K page inside a 1G mapping: split 1G and 2M, as unmap-2023', () => {
    const m = run(spec('hugetlb-ban-2022', 'thp'), [ev('launch')]);
    expect(m.dm.levelOf(IN_1G)).toBe('1G');
    const before = counters(m);
    m.rmpUpdate(IN_1G, 1, true, '4K', true);
    expect(
      counters(m)
        .map((n, i) => n - before[i]!)
        .slice(0, 2),
    ).toEqual([1, 1]);
    expect(m.frames.get(IN_1G) & DM_UNMAPPED).not.toBe(0);
  });
  it('sharing the page back makes it present again (restore_direct_map)', () => {
    const m = run(spec('hugetlb-ban-2022', 'thp'), [ev('launch'), ev('accept'), ev('share')]);
    expect(m.frames.get(m.guests[0]!.backingMap.get(0)) & DM_UNMAPPED).toBe(0);
  });
});

describe('[rfc.hugetlb_sigbus] the intent (SIGBUS) is shown; the rule says what the code did', () => {
  it('names FAULT_FLAG_PAGE_SPLIT, hugetlb_fault() and the endless refault', () => {
    const r = RULES.find((x) => x.id === 'rfc.hugetlb_sigbus')!;
    expect(r.explain).toMatch(/stated intent/);
    expect(r.explain).toMatch(/FAULT_FLAG_PAGE_SPLIT.*hugetlb_fault\(\)/);
    expect(r.explain).toMatch(/refaults forever/);
  });
});

describe('[seq.move] cites the reply that set the sequestration contract', () => {
  it('f8bf7e26-26dc-e19a-007c-40b26e0a0a45@intel.com', () => {
    expect(RULES.find((x) => x.id === 'seq.move')?.url).toContain(
      'f8bf7e26-26dc-e19a-007c-40b26e0a0a45@intel.com',
    );
  });
  it.each(RULES.map((r) => [r.id, r.url] as const))(
    '%s links a message id, not a lore search',
    (_, url) => {
      expect(url).not.toMatch(/lore\.kernel\.org\/.*\?q=/);
    },
  );
});

describe('the era defaults (DESIGN_LINUX): upstream is 6.11, where KVM SNP host support merged', () => {
  it.each(KERNEL_DESIGNS.map((k) => [k, DESIGN_LINUX[k]] as const))(
    '%s runs %s',
    (kernel, linux) => {
      expect(new Machine(spec(kernel)).linux.version).toBe(linux);
    },
  );
});

/**
 * [dm.cpa_flush] [dm.collapse_counters] A kernel-version switch changes results where the rules
 * say (TLB flushes of set_memory_4k() splits, the two vmstat collapse lines) and nowhere else:
 * every design × backing on the same events, 6.11 against 6.12 (no gate between) and 6.15.
 */
describe('[dm.cpa_flush] [dm.collapse_counters] a kernel version changes only what its rules say', () => {
  const events = [
    ev('launch'),
    ev('accept', 0, 2 * MiB),
    ev('accept', 4 * MiB + 0x3000),
    ev('share', 0x1f000),
    ev('hv-write', 0x1f000),
    ev('unshare', 0x1f000),
    ev('accept', 8 * MiB, 2 * MiB),
    ev('share', 8 * MiB + 0x5000),
    ev('exit'),
  ];
  const cases = KERNEL_DESIGNS.flatMap((k) => BACKINGS.map((b) => [k, b] as const));
  it.each(cases)('%s with %s', (kernel, backing) => {
    const at = (linux: string) => {
      const m = run(spec(kernel, backing, linux), events);
      const x = metricsOf(m);
      return { m, x, vmstat: formatVmstat(x.vmstat) };
    };
    const [a, same, b] = [at('6.11'), at('6.12'), at('6.15')];
    expect(same.x).toEqual(a.x);
    expect(b.x.meminfo).toEqual(a.x.meminfo);
    const { tlb_flushes: fa, ...restA } = a.x.outcomes;
    const { tlb_flushes: fb, ...restB } = b.x.outcomes;
    expect(restB).toEqual(restA);
    // One more flush per 2M → 4K split made by set_memory_4k() (none for the _noflush designs).
    const viaSetMemory4k = !['unmap-2023', 'hugetlb-ban-2022'].includes(kernel);
    expect(fb - fa).toBe(viaSetMemory4k ? a.m.dm.level2Splits : 0);
    expect(b.m.dm.cpaFlushes).toBe(fb - fa);
    expect(b.vmstat).toBe(
      `${a.vmstat}direct_map_level2_collapses 0\ndirect_map_level3_collapses 0\n`,
    );
    expect(a.m.log.length).toBe(b.m.log.length);
  });
  it.each([
    ['6.14', false],
    ['6.15', true],
    ['6.15.2', true],
    ['6.16-rc1', true],
    ['6.12-rhel10', true],
    ['5.17', false],
  ] as const)('linuxRules(%s).kernel4k = %s', (v, on) => {
    expect(linuxRules(v)).toMatchObject({ kernel4k: on, collapseCounters: on });
  });
});
