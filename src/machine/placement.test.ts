/**
 * Placement rules seen from the machine (issue 14, the audit's cases): where a guest's pages land
 * in host RAM decides which 2 MiB regions fracture. Sources: get_page_from_freelist(),
 * __rmqueue_fallback(), rmqueue_pcplist() in mm/page_alloc.c; the zones in arch/x86/mm/init.c.
 */
import { describe, expect, it } from 'vitest';
import { compileScenario, parseScenario } from '../scenario/index';
import { applyEvent } from './apply';
import { typicalE820 } from './e820';
import { Machine } from './machine';
import { GiB, MiB } from './units';
import { MAX_DMA32_PFN, ZONE_NORMAL, zoneOfPfn, zoneParams } from './zones';

function run(input: Record<string, unknown>): Machine {
  const r = parseScenario({ version: 1, ...input });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  const { spec, events } = compileScenario(r.scenario);
  const m = new Machine(spec);
  for (const e of events) applyEvent(m, e);
  return m;
}

const outcomes = (m: Machine, kind: string) =>
  Array.from({ length: m.log.length }, (_, i) => m.log.get(i)).filter((o) => o.kind === kind);

describe('zone.zonelist: guest memory lands in ZONE_NORMAL first (get_page_from_freelist)', () => {
  it('a 4K private page on a no-gbpages host with RAM above 4 GiB splits once, in ZONE_NORMAL', () => {
    const m = run({
      host: { ram: '64G', gbpages: false },
      kernel: 'upstream-2024',
      guests: [{ name: 'vm', memory: '1G', vcpus: 1, backing: '4k' }],
      events: [
        { op: 'launch', guest: 'vm' },
        { op: 'accept', guest: 'vm', gpa: '0x0', size: '4K' },
      ],
    });
    // The page's own 2 MiB region is split exactly once, in ZONE_NORMAL. Since the SNP host's own
    // traffic is modelled (snp-host.ts) that split comes at launch: the launch image's 4K
    // RMPUPDATEs take order-0 unmovable pages from the same per-cpu list (zone, migratetype,
    // order) as guest_memfd's GFP_HIGHUSER folio, so the accept finds its region split already.
    const pfn = m.guests[0]!.gmemMap.get(0);
    const region = Math.floor(pfn / 512);
    expect(zoneOfPfn(pfn)).toBe(ZONE_NORMAL);
    expect(pfn).toBeGreaterThanOrEqual(MAX_DMA32_PFN);
    expect(m.dm.regionLevel(region)).toBe('4K');
    const splits = outcomes(m, 'dm-split').filter(
      (o) => o.detail === 0 && Math.floor(o.pfn / 512) === region,
    );
    expect(splits.length).toBe(1);
    // Every split after the booted step 0 is in ZONE_NORMAL: nothing lands in DMA32 or the first
    // 2 MiB (step 0 has the boot causes' own: the kernel image's RO edge lies in DMA32).
    for (const o of outcomes(m, 'dm-split').filter((x) => x.step > 0))
      expect(zoneOfPfn(o.pfn)).toBe(ZONE_NORMAL);
  });

  it.each([
    { ram: '1G', zone: 'DMA32 (no Normal zone)', below4g: true },
    { ram: '16G', zone: 'Normal', below4g: false },
  ])('the first guest page of a $ram host comes from $zone', ({ ram, below4g }) => {
    const m = run({
      host: { ram, gbpages: false },
      kernel: 'upstream-2024',
      guests: [{ name: 'vm', memory: '64M', vcpus: 1, backing: '4k' }],
      events: [
        { op: 'launch', guest: 'vm' },
        { op: 'accept', guest: 'vm', gpa: '0x0', size: '4K' },
      ],
    });
    const pfn = m.guests[0]!.gmemMap.get(0);
    expect(pfn < MAX_DMA32_PFN).toBe(below4g);
    expect(pfn).toBeGreaterThanOrEqual((16 * MiB) / 4096);
  });
});

describe('buddy.pcp: per-cpu lists per migratetype (rmqueue_pcplist, free_unref_page)', () => {
  it("a freed private frame does not come straight back as the VMM's shared copy", () => {
    const m = run({
      host: { ram: '16G', gbpages: false },
      kernel: 'upstream-2024',
      guests: [{ name: 'vm', memory: '1G', vcpus: 1, backing: '4k' }],
      events: [
        { op: 'launch', guest: 'vm' },
        { op: 'accept', guest: 'vm', gpa: '0x0', size: '4K' },
      ],
    });
    const g = m.guests[0]!;
    const privateFrame = g.gmemMap.get(0);
    const r = parseScenario({
      version: 1,
      host: { ram: '16G', gbpages: false },
      kernel: 'upstream-2024',
      guests: [{ name: 'vm', memory: '1G', vcpus: 1, backing: '4k' }],
      events: [
        { op: 'launch', guest: 'vm' },
        { op: 'accept', guest: 'vm', gpa: '0x0', size: '4K' },
        { op: 'share', guest: 'vm', gpa: '0x0', size: '4K' },
      ],
    });
    if (!r.ok) throw new Error('bad fixture');
    const { spec, events } = compileScenario(r.scenario);
    const m2 = new Machine(spec);
    for (const e of events) applyEvent(m2, e);
    const shared = m2.guests[0]!.backingMap.get(0);
    expect(privateFrame).toBeGreaterThanOrEqual(0);
    expect(shared).toBeGreaterThanOrEqual(0);
    expect(shared).not.toBe(privateFrame);
    // The private frame went to the unmovable list of its pageblock; the shared copy is movable.
    expect(m2.alloc.pb.get(privateFrame)).toBe(0);
    expect(m2.alloc.pb.get(shared)).toBe(1);
  });
});

describe('e820.typical: "ram: X" as a typical firmware map (arch/x86/kernel/e820.c)', () => {
  it.each([
    {
      ram: 1 * GiB,
      want: [
        [0, 0x9fc00],
        [0x100000, GiB],
      ],
    },
    {
      ram: 2 * GiB,
      want: [
        [0, 0x9fc00],
        [0x100000, 2 * GiB],
      ],
    },
    {
      ram: 4 * GiB,
      want: [
        [0, 0x9fc00],
        [0x100000, 2 * GiB],
        [4 * GiB, 6 * GiB],
      ],
    },
    {
      ram: 64 * GiB,
      want: [
        [0, 0x9fc00],
        [0x100000, 2 * GiB],
        [4 * GiB, 66 * GiB],
      ],
    },
  ])('ram $ram is laid out as $want', ({ ram, want }) => {
    expect(typicalE820(ram).map((r) => [r.start, r.end])).toEqual(want);
  });

  it('the compiled spec says which layout it is', () => {
    const spec = (host: Record<string, unknown>) => {
      const r = parseScenario({ version: 1, host, guests: [] });
      if (!r.ok) throw new Error('bad fixture');
      return compileScenario(r.scenario).spec.host;
    };
    expect(spec({ ram: '4G' }).layout).toBe('e820-typical');
    expect(spec({ ranges: [['0x0', '0x100000000']] }).layout).toBe('ranges');
  });
});

describe('zone.watermark, zone.lowmem_reserve, pcp.high (mm/page_alloc.c)', () => {
  // A 64 GiB host as a typical e820: DMA 16 MiB less the first 1 MiB, DMA32 to 2 GiB, Normal 62 GiB.
  const [dma, dma32, normal] = zoneParams([3840, 520_192, 16_252_928]);
  // By hand: L = 16,776,960 pages; min_free_kbytes = int_sqrt(4L × 16) = 32,767 → 8,191 pages,
  // shared out by zone size; low = min + max(min / 4, managed / 1000); reserve = pages above / 256;
  // high = max(low / 64 CPUs, 4 × batch). Normal's 377 is the old fixed 6 × 63 = 378, nearly.
  it.each([
    ['DMA', dma, { wmarkMin: 1, wmarkLow: 4, lowmemReserve: 65_520, batch: 1, pcpHigh: 4 }],
    [
      'DMA32',
      dma32,
      { wmarkMin: 253, wmarkLow: 773, lowmemReserve: 63_488, batch: 63, pcpHigh: 252 },
    ],
    [
      'Normal',
      normal,
      { wmarkMin: 7_935, wmarkLow: 24_187, lowmemReserve: 0, batch: 63, pcpHigh: 377 },
    ],
  ] as const)(
    '%s: calculate_min_free_kbytes, __setup_per_zone_wmarks, zone_highsize',
    (_n, p, want) => {
      expect(p).toMatchObject(want);
    },
  );
});
