/**
 * The two proposals' rules, table-driven and named as the rules, with the source each stands
 * for: guest_memfd NO_DIRECT_MAP (lore 20260114134510.1835-8-kalyazin@amazon.com; refused for
 * SNP/TDX by kvm_arch_gmem_supports_no_direct_map(), 20260114134510.1835-6-kalyazin@amazon.com)
 * and __GFP_UNMAPPED (lore 20230308094106.227365-1-rppt@kernel.org; FREETYPE_UNMAPPED,
 * 20260225-page_alloc-unmapped-v1-0-e8808a03cd66@google.com). Then a property test against the
 * naive CPA reference (src/sim/reference-cpa.ts) driven by a naive count of held pages per block.
 */
import { describe, expect, it } from 'vitest';
import { byCause } from '../../sim/metrics';
import { ReferenceCpa } from '../../sim/reference-cpa';
import { applyEvent } from '../apply';
import type { EngineEvent, HostOp, MachineSpec } from '../events';
import { DM_UNMAPPED, G_GMEM } from '../frame-bits';
import { Machine } from '../machine';
import { Rng } from '../rng';
import { RULES } from '../rules';
import { GiB, MiB } from '../units';

const host = (o: Partial<MachineSpec['host']> = {}): MachineSpec['host'] => ({
  ranges: [{ start: 0, end: 4 * GiB }],
  gbpages: true,
  allocator: 'buddy',
  kernelBytes: 64 * MiB,
  seed: 1,
  linux: '6.15',
  ...o,
});
const guestEv = (op: EngineEvent['op'], guest = 0): EngineEvent => ({
  op,
  guest,
  gpa: 0,
  pfn: 0,
  sizeBytes: 0,
  via: 'user',
});
const hostEv = (op: HostOp, sizeBytes: number): EngineEvent => ({ ...guestEv(op), sizeBytes });
const row = (m: Machine, cause: string) =>
  byCause(m).find((r) => r.cause === cause) ?? { level2Splits: 0, level3Splits: 0 };

function ndmMachine(kernel: MachineSpec['kernel'], snp: boolean, memoryBytes = 64 * MiB) {
  return new Machine({
    host: host(),
    kernel,
    guests: [{ name: 'vm', memoryBytes, vcpus: 1, backing: '4k', snp, gmemNoDirectMap: true }],
  });
}

/** Guest frames (GPA order) and how many of them the direct map still maps. */
function guestFrames(m: Machine): { pfns: number[]; mapped: number } {
  const g = m.guests[0]!;
  const pfns: number[] = [];
  for (let p = 0; p < g.pages; p++) if (g.state.get(p) & G_GMEM) pfns.push(g.gmemMap.get(p));
  return { pfns, mapped: pfns.filter((pfn) => !(m.frames.get(pfn) & DM_UNMAPPED)).length };
}

describe('guest_memfd NO_DIRECT_MAP (proposal)', () => {
  it.each([
    ['no-snp', false],
    ['no-snp', true],
    ['upstream-2024', false],
    ['unmap-2023', false],
  ] as const)('gmem.no_direct_map: %s, snp %s: every folio zapped at launch, 4K each', (k, snp) => {
    const m = ndmMachine(k, snp);
    const before = Array.from({ length: m.totalPages / 512 }, (_, r) => m.dm.regionLevel(r));
    applyEvent(m, guestEv('launch'));
    expect(m.guests[0]!.status).toBe('running');
    const { pfns, mapped } = guestFrames(m);
    expect(pfns.length).toBe((64 * MiB) / 4096);
    expect(mapped).toBe(0);
    // One 2M→4K split per 2 MiB region the folios are in that was not 4K yet: each folio is its
    // own call, so even a region the guest fills whole splits (one call over it would not).
    const regions = new Set(pfns.map((p) => Math.floor(p / 512)));
    const fresh = [...regions].filter((r) => before[r] !== '4K').length;
    expect(fresh).toBeGreaterThan(16);
    expect(row(m, 'gmem-no-direct-map').level2Splits).toBe(fresh);
    for (const r of regions) expect(m.dm.regionLevel(r)).toBe('4K');
    expect(m.checkInvariants()).toBeNull();
  });

  it('gmem.no_direct_map.restore: exit maps every folio again; no region heals', () => {
    const m = ndmMachine('no-snp', false);
    applyEvent(m, guestEv('launch'));
    const { pfns } = guestFrames(m);
    const k4 = m.dm.count4k;
    applyEvent(m, guestEv('exit'));
    expect(pfns.filter((p) => m.frames.get(p) & DM_UNMAPPED)).toEqual([]);
    expect(m.dm.count4k).toBe(k4);
    expect(m.checkInvariants()).toBeNull();
  });

  it.each(['upstream-2024', 'rfc-2021', 'gmem-1g-rfc'] as const)(
    'gmem.no_direct_map.refused: an SNP guest under %s does not start',
    (k) => {
      const m = ndmMachine(k, true);
      const splits = m.dm.level2Splits;
      applyEvent(m, guestEv('launch'));
      expect(m.guests[0]!.status).toBe('refused');
      expect(m.log.get(m.log.length - 1).rule).toBe('gmem.no_direct_map.refused');
      expect(m.dm.level2Splits).toBe(splits);
    },
  );

  it('a guest without the flag is unchanged (the default)', () => {
    const m = new Machine({
      host: host(),
      kernel: 'no-snp',
      guests: [{ name: 'vm', memoryBytes: 64 * MiB, vcpus: 1, backing: '4k', snp: false }],
    });
    applyEvent(m, guestEv('launch'));
    expect(row(m, 'gmem-no-direct-map').level2Splits).toBe(0);
  });

  it('gmem.no_direct_map with host.gfpUnmapped: folios are still zapped 4K by 4K', () => {
    // Jackman's __GFP_UNMAPPED RFC (20260225-page_alloc-unmapped-v1-0-e8808a03cd66@google.com)
    // names guest_memfd's direct-map removal as a goal but no patch of it converts
    // kvm_gmem_get_folio() that the model knows of: only secretmem allocates unmapped.
    const run = (gfpUnmapped: boolean) => {
      const m = new Machine({
        host: host({ gfpUnmapped }),
        kernel: 'no-snp',
        guests: [
          {
            name: 'vm',
            memoryBytes: 64 * MiB,
            vcpus: 1,
            backing: '4k',
            snp: false,
            gmemNoDirectMap: true,
          },
        ],
      });
      applyEvent(m, guestEv('launch'));
      return m;
    };
    const on = run(true);
    expect(row(on, 'gmem-no-direct-map').level2Splits).toBe(
      row(run(false), 'gmem-no-direct-map').level2Splits,
    );
    expect(row(on, 'gmem-no-direct-map').level2Splits).toBeGreaterThan(16);
    expect(row(on, 'gfp-unmapped').level2Splits + row(on, 'gfp-unmapped').level3Splits).toBe(0);
  });
});

describe('__GFP_UNMAPPED (proposal)', () => {
  const secret = (gfpUnmapped: boolean) =>
    new Machine({ host: host({ gfpUnmapped }), kernel: 'no-snp', guests: [] });

  it('gfp.unmapped: 64 MiB of secretmem takes 32 whole blocks; no 2M→4K split at all', () => {
    const m = secret(true);
    const l2 = m.dm.level2Splits;
    applyEvent(m, hostEv('secretmem', 64 * MiB));
    const held = m.held.list('pages');
    expect(held.length).toBe(16384);
    expect(held.filter((p) => !(m.frames.get(p) & DM_UNMAPPED))).toEqual([]);
    expect(m.held.list('gfp-unmapped:blocks').length).toBe(32);
    expect(m.dm.level2Splits).toBe(l2);
    // At most the 1 GiB blocks above them split to 2M.
    const gigs = new Set(m.held.list('gfp-unmapped:blocks').map((b) => Math.floor(b / 512 / 512)));
    expect(row(m, 'gfp-unmapped').level3Splits).toBeLessThanOrEqual(gigs.size);
    expect(row(m, 'secretmem').level2Splits).toBe(0);
    expect(m.checkInvariants()).toBeNull();
  });

  it('gfp.unmapped: without it, the same secretmem splits 4K by 4K (secretmem.fault)', () => {
    const m = secret(false);
    applyEvent(m, hostEv('secretmem', 64 * MiB));
    expect(row(m, 'secretmem').level2Splits).toBeGreaterThan(0);
    expect(row(m, 'gfp-unmapped').level2Splits + row(m, 'gfp-unmapped').level3Splits).toBe(0);
  });

  it('gfp.unmapped.release: freeing everything maps the blocks again and returns them', () => {
    const m = secret(true);
    const free0 = m.alloc.freePages;
    applyEvent(m, hostEv('secretmem', 64 * MiB));
    applyEvent(m, hostEv('secretmem-free', 63 * MiB));
    expect(m.held.list('gfp-unmapped:blocks').length).toBe(1);
    applyEvent(m, hostEv('secretmem-free', 1 * MiB));
    expect(m.held.list('gfp-unmapped:blocks').length).toBe(0);
    const tables = m.dm.splitTablePages;
    expect(m.alloc.freePages).toBe(free0 - tables);
    expect(m.checkInvariants()).toBeNull();
  });

  it('registers its rules as proposals, with sources', () => {
    const ids = [
      'gmem.no_direct_map',
      'gmem.no_direct_map.restore',
      'gmem.no_direct_map.refused',
      'gfp.unmapped',
      'gfp.unmapped.release',
    ];
    for (const id of ids) {
      const r = RULES.find((x) => x.id === id);
      expect(r?.status, id).toBe('proposal');
      expect(r?.title, id).toMatch(/proposal/);
      expect(r?.source, id).toMatch(/lore|@/);
    }
  });
});

describe('__GFP_UNMAPPED agrees with the naive CPA reference after every event', () => {
  it.each([1, 2, 3, 4, 5])('seed %d', (seed) => {
    const m = new Machine({
      host: host({ gfpUnmapped: true, seed }),
      kernel: 'no-snp',
      guests: [],
    });
    const ref = new ReferenceCpa(m.totalPages, '6.15');
    const base = [m.dm.level2Splits, m.dm.level3Splits];
    const mapped = new Set<number>();
    const rng = new Rng(seed);
    for (let i = 0; i < 60; i++) {
      const op = rng.int(3) === 0 ? 'secretmem-free' : 'secretmem';
      applyEvent(m, hostEv(op, (1 + rng.int(700)) * 4096));
      // The naive model: a block is unmapped exactly while some held page is inside it.
      const held = new Set(m.held.list('pages').map((p) => Math.floor(p / 512)));
      for (const r of held)
        if (!mapped.has(r)) ref.call(r * 512, 512, 'set_direct_map_invalid_noflush', 'direct-map');
      for (const r of mapped)
        if (!held.has(r)) ref.call(r * 512, 512, 'set_direct_map_default_noflush', 'direct-map');
      mapped.clear();
      for (const r of held) mapped.add(r);
      const at = `seed ${seed} event ${i} ${op}`;
      expect([m.dm.level2Splits - base[0]!, m.dm.level3Splits - base[1]!], at).toEqual([
        ref.l2,
        ref.l3,
      ]);
      expect(m.held.list('gfp-unmapped:blocks').length, at).toBe(held.size);
    }
  });
});
