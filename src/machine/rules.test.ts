/**
 * Table-driven tests of the hardware (RMP) and kernel (direct map, designs) rules of domain.md,
 * each named as the specification it checks.
 */
import { describe, expect, it } from 'vitest';
import { applyEvent } from './apply';
import type { Backing, EngineEvent, KernelDesign, MachineSpec } from './events';
import { KERNEL_DESIGNS } from './events';
import { RMP_ASSIGNED, RMP_VALIDATED } from './frame-bits';
import { Machine } from './machine';
import { GiB, MiB, type PageLevel } from './units';

function spec(kernel: KernelDesign = 'upstream-2024', backing: Backing = 'thp'): MachineSpec {
  return {
    host: {
      ranges: [
        { start: 0, end: 0x9f000 },
        // RAM from 4 MiB: the lowest free pages sit under a 2M boot mapping, not the 4K head.
        { start: 4 * MiB, end: 4 * GiB },
      ],
      gbpages: true,
      allocator: 'buddy',
      kernelBytes: 64 * MiB,
      seed: 1,
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
): EngineEvent => ({ op, guest: 0, gpa, pfn: 0, sizeBytes, via });

/** A free, 2M-aligned region under a 1G boot mapping: 1 GiB + 2 MiB. */
const R = (GiB + 2 * MiB) / 4096 / 512;
const P = R * 512;

describe('RMPUPDATE and PSMASH (AMD SEV-SNP)', () => {
  it('RMPUPDATE of a 2M entry over an assigned 4K entry fails with FAIL_OVERLAP', () => {
    const m = new Machine(spec());
    expect(m.rmpUpdate(P + 7, 1, true, '4K', true)).toBe(true);
    expect(m.rmpUpdate(P, 512, true, '2M', true)).toBe(false);
    expect(m.count('rmpupdate-fail')).toBe(1);
    expect(m.rmp2m[R]).toBe(0);
    expect(m.frames.counts[R]).toBe(1);
  });

  it.each([
    ['an unaligned PFN', P + 1, 512],
    ['fewer than 512 pages', P, 256],
  ])('RMPUPDATE of a 2M entry at %s fails and changes nothing', (_, pfn, n) => {
    const m = new Machine(spec());
    expect(m.rmpUpdate(pfn, n, true, '2M', true)).toBe(false);
    expect(m.frames.counts[R]).toBe(0);
  });

  it('RMPUPDATE of a 2M entry on an aligned, all-unassigned region assigns all 512 pages', () => {
    const m = new Machine(spec());
    expect(m.rmpUpdate(P, 512, true, '2M', true)).toBe(true);
    expect([m.rmp2m[R], m.frames.counts[R]]).toEqual([1, 512]);
  });

  it('RMPUPDATE of a 4K entry inside a 2M entry fails until PSMASH splits it', () => {
    const m = new Machine(spec());
    m.rmpUpdate(P, 512, true, '2M', true);
    expect(m.rmpUpdate(P + 3, 1, false, '4K', false)).toBe(false);
    m.psmash(R);
    expect(m.count('psmash')).toBe(1);
    expect(m.rmpUpdate(P + 3, 1, false, '4K', false)).toBe(true);
    expect(m.frames.counts[R]).toBe(511);
  });

  it('PSMASH keeps the assigned and validated bits of all 512 entries', () => {
    const m = new Machine(spec());
    m.rmpUpdate(P, 512, true, '2M', true);
    m.psmash(R);
    for (const pfn of [P, P + 200, P + 511])
      expect(m.frames.get(pfn) & (RMP_ASSIGNED | RMP_VALIDATED)).toBe(RMP_ASSIGNED | RMP_VALIDATED);
  });
});

describe('the RMP check on a host write', () => {
  // [what is assigned, mapping level, faults?]
  const table: [string, PageLevel, boolean][] = [
    ['nothing', '4K', false],
    ['nothing', '2M', false],
    ['nothing', '1G', false],
    ['another page of the region', '4K', false],
    ['another page of the region', '2M', true],
    ['another page of the region', '1G', true],
    ['the page written', '4K', true],
    ['the page written', '2M', true],
    ['a 2M entry covering the region', '4K', true],
    ['a 2M entry covering the region', '1G', true],
    ['a page of the next 2 MiB region', '2M', false],
    ['a page of the next 2 MiB region', '1G', false],
  ];
  it.each(table)('with %s assigned, a write through a %s mapping faults: %s', (what, lv, want) => {
    const m = new Machine(spec());
    if (what === 'another page of the region') m.rmpUpdate(P + 9, 1, true, '4K', true);
    if (what === 'the page written') m.rmpUpdate(P + 4, 1, true, '4K', true);
    if (what === 'a 2M entry covering the region') m.rmpUpdate(P, 512, true, '2M', true);
    if (what === 'a page of the next 2 MiB region') m.rmpUpdate(P + 512, 1, true, '4K', true);
    expect(m.writeFaults(P + 4, lv)).toBe(want);
  });

  it('never faults without SNP (no-snp has no RMP)', () => {
    const m = new Machine(spec('no-snp'));
    m.frames.update(P + 4, 1, RMP_ASSIGNED, RMP_ASSIGNED);
    expect(m.writeFaults(P + 4, '4K')).toBe(false);
  });
});

describe('direct-map splits (set_memory_4k, __split_large_page)', () => {
  it('splitting a 1G mapping costs one page-table page and one TLB flush', () => {
    const m = new Machine(spec());
    const before = { ...m.dm };
    m.dm.splitPud(1);
    expect(m.dm.splitTablePages - before.splitTablePages).toBe(1);
    expect(m.dm.tlbFlushes - before.tlbFlushes).toBe(1);
    expect([m.dm.count1g, m.dm.count2m]).toEqual([before.count1g - 1, before.count2m + 512]);
    expect(m.dm.level3Splits).toBe(1);
  });

  it('a 2M → 4K split moves 2048 kB from DirectMap2M to DirectMap4k and counts a level-2 split', () => {
    const m = new Machine(spec());
    const r = 100;
    const [c4, c2] = [m.dm.count4k, m.dm.count2m];
    // Deltas: an SNP host has split for its TMR at boot (snp.tmr).
    const before = [m.dm.level2Splits, m.dm.tlbFlushes, m.dm.splitTablePages];
    m.dm.splitPmd(r);
    expect([(m.dm.count4k - c4) * 4, (c2 - m.dm.count2m) * 2048]).toEqual([2048, 2048]);
    const after = [m.dm.level2Splits, m.dm.tlbFlushes, m.dm.splitTablePages];
    expect(after.map((x, i) => x - before[i]!)).toEqual([1, 1, 1]);
  });

  it('one 4K change inside a 1G mapping costs two splits and leaves 511 x 2M + 512 x 4K there', () => {
    const m = new Machine(spec());
    const [c4, c2, c1] = [m.dm.count4k, m.dm.count2m, m.dm.count1g];
    const splits0 = m.count('dm-split');
    m.split4k(P + 5, 1, 'upstream.adjust_direct_map');
    expect([m.dm.count1g, m.dm.count2m - c2, m.dm.count4k - c4]).toEqual([c1 - 1, 511, 512]);
    expect(m.count('dm-split') - splits0).toBe(2);
    expect(m.dm.checkInvariants()).toBeNull();
  });

  it('splits never collapse: the direct map stays split after the guest exits', () => {
    const m = new Machine(spec('upstream-2024'));
    for (const e of [ev('launch'), ev('accept', 0, 2 * MiB), ev('exit')]) applyEvent(m, e);
    expect(m.dm.level2Splits).toBeGreaterThan(0);
    expect(m.dm.regionLevel(m.guests[0]!.gmemMap.get(0) / 512)).toBe('4K');
  });
});

describe('kernel designs: what accepting one private 4K page does to the direct map', () => {
  // Is the page's region mapped at 4K afterwards? (It may have been split at launch already: the
  // launch image and the VMSA come from the same per-cpu list, snp-host.ts.) The huge-folio RFCs
  // write a 2M RMP entry and PSMASH it for the 4K PVALIDATE: no split at all.
  const fourK: Record<KernelDesign, boolean> = {
    'rfc-2021': true,
    'hugetlb-ban-2022': true,
    sequester: false,
    'unmap-2023': true,
    'upstream-2024': true,
    'gmem-thp-rfc': false,
    'gmem-1g-rfc': false,
    'no-snp': false,
  };
  it.each(KERNEL_DESIGNS)('%s', (kernel) => {
    const m = new Machine(spec(kernel, '4k'));
    applyEvent(m, ev('launch'));
    const before = m.dm.level2Splits;
    const unmaps = m.count('dm-unmap');
    applyEvent(m, ev('accept', 0, 4096));
    const g = m.guests[0]!;
    expect(m.dm.levelOf(g.kernel.frameOf(g, 0)) === '4K').toBe(fourK[kernel]);
    if (!fourK[kernel]) expect(m.dm.level2Splits).toBe(before);
    // hugetlb-ban-2022 (SNP host v6) and unmap-2023 invalidate the page ([unmap.invalidate]).
    const invalidates = kernel === 'unmap-2023' || kernel === 'hugetlb-ban-2022';
    expect(m.count('dm-unmap') - unmaps).toBe(invalidates ? 1 : 0);
  });

  it('a 2M RMPUPDATE never splits the direct map (gmem-thp-rfc accepts an aligned 2 MiB)', () => {
    const m = new Machine(spec('gmem-thp-rfc'));
    applyEvent(m, ev('launch'));
    const before = m.dm.level2Splits;
    applyEvent(m, ev('accept', 0, 2 * MiB));
    expect(m.dm.level2Splits).toBe(before);
    expect(m.rmp2m.reduce((s, x) => s + x, 0)).toBe(1);
  });

  it.each([
    ['hugetlbfs-2m', 'refused'],
    ['hugetlbfs-1g', 'refused'],
    ['thp', 'running'],
    ['4k', 'running'],
  ] as const)('hugetlb-ban-2022 at launch with %s backing: %s', (backing, status) => {
    const m = new Machine(spec('hugetlb-ban-2022', backing));
    applyEvent(m, ev('launch'));
    expect(m.guests[0]!.status).toBe(status);
  });

  it.each([
    ['thp', 'running', 1],
    ['hugetlbfs-2m', 'killed', 0],
  ] as const)(
    'rfc-2021: a VMM write to a shared page in a private 2 MiB region with %s: %s',
    (backing, status, thpSplits) => {
      const m = new Machine(spec('rfc-2021', backing));
      for (const e of [
        ev('launch'),
        ev('accept', 0, 2 * MiB),
        ev('share', 0x1f000),
        ev('hv-write', 0x1f000),
      ])
        applyEvent(m, e);
      expect(m.guests[0]!.status).toBe(status);
      expect([m.count('rmp-fault'), m.count('thp-split')]).toEqual([1, thpSplits]);
    },
  );
});
