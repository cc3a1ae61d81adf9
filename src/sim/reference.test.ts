/**
 * Property tests: random event sequences on small hosts, every design and backing, the engine
 * against the naive reference model after every event, plus the hardware and kernel invariants
 * of issue 3 checked on the engine's own state. fast-check prints the seed and the shrunk
 * counterexample on failure; rerun one with FC_SEED=<seed>.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../machine/apply';
import {
  BACKINGS,
  type Backing,
  type EngineEvent,
  KERNEL_DESIGNS,
  type MachineSpec,
} from '../machine/events';
import { RMP_ASSIGNED } from '../machine/frame-bits';
import { Machine } from '../machine/machine';
import { OUTCOME_KINDS } from '../machine/outcomes';
import { GiB, MiB, PAGES_PER_2M } from '../machine/units';
import { ReferenceMachine } from './reference';

const SPLITTING = new Set<string>(
  KERNEL_DESIGNS.filter((k) => k !== 'no-snp' && k !== 'sequester'),
);
const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;
const RUNS = Number(process.env.FC_RUNS ?? 20);

/** One range from 0, or e820-like: RAM below 640K, RAM from 1 MiB, maybe a PCI hole at 3–4 GiB. */
function hostRanges(gib: number, pciHole: boolean, flat = false): { start: number; end: number }[] {
  if (flat) return [{ start: 0, end: gib * GiB }];
  const low = { start: 0, end: 0x9f000 };
  if (!pciHole || gib < 4) return [low, { start: MiB, end: gib * GiB }];
  return [low, { start: MiB, end: 3 * GiB }, { start: 4 * GiB, end: (gib + 1) * GiB }];
}

const specArb: fc.Arbitrary<MachineSpec> = fc
  .record({
    gib: fc.integer({ min: 2, max: 8 }),
    pciHole: fc.boolean(),
    flat: fc.boolean(),
    gbpages: fc.boolean(),
    allocator: fc.constantFrom('buddy', 'buddy', 'packed', 'random' as const),
    kernelMiB: fc.integer({ min: 0, max: 200 }),
    seed: fc.nat(1000),
    kernel: fc.constantFrom(...KERNEL_DESIGNS),
    // host.cpu.hvInUseWrAllowed (rmp.check.inuse): absent, false or true.
    cpu: fc.constantFrom(undefined, false, true),
    guests: fc.array(
      fc.record({
        memory: fc.constantFrom(2 * MiB, 4 * MiB, 6 * MiB + 12 * 4096, 64 * MiB, 130 * MiB),
        backing: fc.constantFrom<Backing>(...BACKINGS),
        snp: fc.constantFrom(true, true, true, true, false),
        // Per-vCPU host pages (APIC, VMCB, VMSA, MSRPM: snp-host.ts) and their placement.
        vcpus: fc.integer({ min: 1, max: 4 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map((h) => ({
    host: {
      ranges: hostRanges(h.gib, h.pciHole, h.flat),
      gbpages: h.gbpages,
      allocator: h.allocator,
      kernelBytes: h.kernelMiB * MiB,
      seed: h.seed,
      ...(h.cpu !== undefined ? { cpu: { hvInUseWrAllowed: h.cpu } } : {}),
    },
    kernel: h.kernel,
    guests: h.guests.map((g, i) => ({
      name: `g${i}`,
      memoryBytes: g.memory,
      vcpus: g.vcpus,
      backing: g.backing,
      snp: g.snp,
    })),
  }));

const OPS = ['accept', 'accept', 'share', 'share', 'unshare', 'hv-write', 'hv-write', 'host-write'];

/** Mostly the first few 2 MiB chunks of a guest, so events meet each other. */
const eventArb = fc
  .record({
    op: fc.constantFrom<EngineEvent['op']>(...(OPS as EngineEvent['op'][]), 'exit', 'launch'),
    guest: fc.nat(2),
    chunk: fc.oneof(fc.nat(3), fc.nat(70)),
    page: fc.oneof(fc.constant(0), fc.nat(511)),
    size: fc.constantFrom(4096, 4096, 8192, 65536, 2 * MiB, 4 * MiB),
    via: fc.constantFrom<EngineEvent['via']>('user', 'direct-map'),
    pfn: fc.oneof(fc.integer({ min: 0, max: 512 * 80 }), fc.nat(3 * 262144)),
  })
  .map(
    (e): EngineEvent => ({
      op: e.op,
      guest: e.guest,
      gpa: (e.chunk * 512 + e.page) * 4096,
      pfn: e.pfn,
      sizeBytes: e.op === 'launch' || e.op === 'exit' ? 0 : e.size,
      via: e.op === 'hv-write' ? e.via : 'user',
    }),
  );

const scenarioArb = fc
  .tuple(specArb, fc.array(eventArb, { minLength: 1, maxLength: 30 }))
  .map(([spec, rest]) => {
    const launches = spec.guests.map(
      (_, i): EngineEvent => ({
        op: 'launch',
        guest: i,
        gpa: 0,
        pfn: 0,
        sizeBytes: 0,
        via: 'user',
      }),
    );
    const events = rest.map((e) => ({ ...e, guest: e.guest % spec.guests.length }));
    return { spec, events: [...launches, ...events] };
  });

/** "4K x1, 2M x1023": the direct-map level of each 2 MiB region, run-length encoded. */
function runLength(xs: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < xs.length; ) {
    let j = i + 1;
    while (j < xs.length && xs[j] === xs[i]) j++;
    out.push(`${xs[i]} x${j - i}`);
    i = j;
  }
  return out.join(', ');
}

/** Everything the two models must agree on, as one comparable object. */
function observe(m: Machine) {
  const regions = m.frames.regions;
  const level: string[] = [];
  const rmp2m: number[] = [];
  const assigned = new Map<number, number>();
  for (let r = 0; r < regions; r++) {
    level.push(m.dm.regionLevel(r) ?? '-');
    if (m.rmp2m[r] === 1) rmp2m.push(r);
    if (m.frames.counts[r]! > 0) assigned.set(r, m.frames.counts[r]!);
  }
  return {
    counts: { c4k: m.dm.count4k, c2m: m.dm.count2m, c1g: m.dm.count1g },
    splits: [m.dm.level2Splits, m.dm.level3Splits, m.tlbFlushes, m.dm.splitTablePages],
    freePages: m.alloc.freePages,
    outcomes: Object.fromEntries(OUTCOME_KINDS.map((k) => [k, m.count(k)])),
    guests: m.guests.map((g) => `${g.status}:${g.doubleBacked}`),
    level: runLength(level),
    rmp2m,
    assigned: [...assigned].sort((a, b) => a[0] - b[0]),
  };
}

function observeRef(r: ReferenceMachine) {
  const regions = r.totalPages / PAGES_PER_2M;
  const level: string[] = [];
  for (let k = 0; k < regions; k++) level.push(r.levelOf(k * PAGES_PER_2M) ?? '-');
  const assigned = new Map<number, number>();
  for (const k of r.touched) {
    const n = r.assignedInRegion(k);
    if (n > 0) assigned.set(k, n);
  }
  return {
    counts: r.counts(),
    splits: [r.level2Splits, r.level3Splits, r.tlbFlushes, r.splitTablePages],
    freePages: r.alloc.freePages,
    outcomes: Object.fromEntries(r.outcomes),
    guests: r.guests.map((g) => `${g.status}:${g.doubleBacked}`),
    level: runLength(level),
    rmp2m: [...r.rmp2m].sort((a, b) => a - b),
    assigned: [...assigned].sort((a, b) => a[0] - b[0]),
  };
}

/** The invariants of issue 3 on the engine's own state; a message, or null. */
function invariants(m: Machine, bootBytes: number, rng: () => number): string | null {
  const bad = m.checkInvariants();
  if (bad) return bad;
  const sum = m.dm.count4k * 4096 + m.dm.count2m * 2 ** 21 + m.dm.count1g * 2 ** 30;
  if (sum !== bootBytes) return `DirectMap sum ${sum} != ${bootBytes} at boot`;
  const words = new Uint32Array(PAGES_PER_2M);
  for (let r = 0; r < m.frames.regions; r++) {
    const n = m.frames.counts[r]!;
    if (m.rmp2m[r] === 1 && n !== PAGES_PER_2M)
      return `region ${r}: 2M RMP entry over ${n} assigned pages (must be all 512)`;
    const level = m.dm.regionLevel(r);
    // A region whose 512 entries are all assigned holds no host data (a PSMASHed huge folio).
    const mixed = n > 0 && n < PAGES_PER_2M;
    if (SPLITTING.has(m.spec.kernel) && mixed && m.rmp2m[r] !== 1 && level !== '4K')
      return `region ${r}: ${level} direct mapping covers ${n} 4K-assigned RMP entries`;
    if (n === 0 && rng() > 0.05) continue;
    // The hardware rule, from the frame words: 4K → this entry; 2M/1G → any in the region.
    m.frames.readRegion(r, words);
    const pfn = r * PAGES_PER_2M + Math.floor(rng() * PAGES_PER_2M);
    for (const lv of ['4K', '2M', '1G'] as const) {
      const any = words.some((w) => (w & RMP_ASSIGNED) !== 0);
      const own = (words[pfn % PAGES_PER_2M]! & RMP_ASSIGNED) !== 0;
      const want = m.spec.kernel !== 'no-snp' && (m.rmp2m[r] === 1 || (lv === '4K' ? own : any));
      if (m.writeFaults(pfn, lv) !== want)
        return `PFN ${pfn}: write through ${lv} faults=${!want}, hardware rule says ${want}`;
    }
  }
  return null;
}

function check(spec: MachineSpec, events: EngineEvent[], rngSeed: number): void {
  const m = new Machine(spec);
  const r = new ReferenceMachine(spec);
  let s = rngSeed;
  const rng = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const boot = m.dm.mappedBytes;
  expect(observeRef(r)).toEqual(observe(m));
  for (let i = 0; i < events.length; i++) {
    applyEvent(m, events[i]!);
    r.apply(events[i]!);
    const ctx = `after event ${i + 1} ${JSON.stringify(events[i])}`;
    expect(invariants(m, boot, rng), ctx).toBeNull();
    expect(observe(m), ctx).toEqual(observeRef(r));
  }
  const words = new Uint32Array(PAGES_PER_2M);
  for (let k = 0; k < m.frames.regions; k++) {
    if (!r.touched.has(k)) {
      // Untouched by the reference: the engine must not have changed it either (spot check).
      const a = k * PAGES_PER_2M;
      expect([a, m.frames.get(a), m.frames.get(a + 511)]).toEqual([a, r.word(a), r.word(a + 511)]);
      continue;
    }
    m.frames.readRegion(k, words);
    for (let i = 0; i < PAGES_PER_2M; i++) {
      const pfn = k * PAGES_PER_2M + i;
      if (words[i] !== r.word(pfn))
        expect(`PFN ${pfn}: ${words[i]}`).toBe(`PFN ${pfn}: ${r.word(pfn)}`);
    }
  }
  for (const [i, g] of r.guests.entries()) {
    const eg = m.guests[i]!;
    for (const [gfn, w] of g.state)
      if (eg.state.get(gfn) !== w) expect([i, gfn, eg.state.get(gfn)]).toEqual([i, gfn, w]);
  }
}

describe('engine against the naive reference model (fast-check)', () => {
  it('agrees after every event, with every invariant, across designs, backings and allocators', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), ({ spec, events }, s) => check(spec, events, s)),
      { numRuns: RUNS, ...(seed !== undefined ? { seed } : {}) },
    );
  });

  it.each(KERNEL_DESIGNS)(
    'agrees under %s with THP and hugetlbfs guests sharing one page',
    (kernel) => {
      const spec: MachineSpec = {
        host: {
          ranges: hostRanges(4, true),
          gbpages: true,
          allocator: 'buddy',
          kernelBytes: 64 * MiB,
          seed: 1,
        },
        kernel,
        guests: (['thp', 'hugetlbfs-2m', '4k', 'hugetlbfs-1g'] as const).map((backing, i) => ({
          name: `g${i}`,
          memoryBytes: 8 * MiB,
          vcpus: 1,
          backing,
          snp: true,
        })),
      };
      const ev = (
        op: EngineEvent['op'],
        guest: number,
        gpa = 0,
        sizeBytes = 4096,
        via: EngineEvent['via'] = 'user',
      ): EngineEvent => ({ op, guest, gpa, pfn: 0, sizeBytes, via });
      const events: EngineEvent[] = [];
      for (let g = 0; g < 4; g++)
        events.push(
          ev('launch', g),
          ev('accept', g, 0, 4 * MiB),
          ev('share', g, 0x1f000),
          ev('hv-write', g, 0x1f000),
          ev('hv-write', g, 0x1f000, 4096, 'direct-map'),
          ev('hv-write', g, 0x20000, 4096, 'direct-map'),
          ev('unshare', g, 0x1f000),
          ev('share', g, 2 * MiB, 2 * MiB),
        );
      for (let g = 0; g < 4; g++) events.push(ev('exit', g));
      check(spec, events, 7);
    },
  );
});

describe('engine bugs under random placement, kept as regression specs', () => {
  const ev = (op: EngineEvent['op'], guest: number): EngineEvent => ({
    op,
    guest,
    gpa: 0,
    pfn: 0,
    sizeBytes: 0,
    via: 'user',
  });
  const randomHost = (ranges: { start: number; end: number }[], seed: number) => ({
    ranges,
    gbpages: false,
    allocator: 'random' as const,
    kernelBytes: 0,
    seed,
  });
  const guest = (i: number, memoryBytes: number, backing: Backing) => ({
    name: `g${i}`,
    memoryBytes,
    vcpus: 1,
    backing,
    snp: true,
  });

  // g0's 512 pages come from allocPages(), which under "random" skipped the per-cpu refill that
  // alloc(0) does (the reference takes 9 refills of 63 and keeps 55 on the list): g1's 2 MiB
  // hugetlb page was then drawn from a different Rng state and landed elsewhere.
  it('a bulk allocation leaves the Rng where 512 alloc(0) calls would (seed 0)', () => {
    const spec: MachineSpec = {
      host: randomHost(hostRanges(2, false), 0),
      kernel: 'rfc-2021',
      guests: [guest(0, 2 * MiB, '4k'), guest(1, 2 * MiB, 'hugetlbfs-2m')],
    };
    check(spec, [ev('launch', 0), ev('launch', 1)], 0);
  });

  // g0's exit merges its THP block with the free half it was split from; the engine leaves that
  // half's entry in its order-9 list, and g1's first alloc(9) could draw it, throw the draw away
  // and draw again: g1's second THP block came from a different Rng state.
  it('a block merged away does not change later placements (seed 13)', () => {
    const spec: MachineSpec = {
      host: randomHost(hostRanges(2, false, true), 13),
      kernel: 'rfc-2021',
      guests: [guest(0, 4 * MiB, 'thp'), guest(1, 4 * MiB, 'thp')],
    };
    check(spec, [ev('launch', 0), ev('exit', 0), ev('launch', 1)], 0);
  });
});
