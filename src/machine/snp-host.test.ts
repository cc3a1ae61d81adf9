/**
 * The SNP host's own RMP traffic and huge guest_memfd folios, one table-driven block per rule
 * (kernels/snp-host.ts, kernels/gmem.ts), each citing the kernel function it models.
 */
import { describe, expect, it } from 'vitest';
import { applyEvent } from './apply';
import type { EngineEvent, KernelDesign, MachineSpec } from './events';
import {
  frameUse,
  RMP_ASSIGNED,
  RMP_IMMUTABLE,
  RMP_INUSE,
  RMP_VALIDATED,
  RMP_VMSA,
  USE_FIRMWARE,
  USE_RMPTABLE,
} from './frame-bits';
import type { HostPageKind } from './guest';
import {
  LAUNCH_IMAGE_BYTES,
  rmpTableRange,
  SNP_TMR_BYTES,
  snpSafeAllocPage,
} from './kernels/snp-host';
import { Machine } from './machine';
import { GiB, MiB, PAGES_PER_2M } from './units';

function spec(
  kernel: KernelDesign = 'upstream-2024',
  vcpus = 1,
  snp = true,
  hvInUseWrAllowed = false,
): MachineSpec {
  return {
    host: {
      ranges: [
        { start: 0, end: 0x9f000 },
        { start: MiB, end: 4 * GiB },
      ],
      gbpages: true,
      allocator: 'buddy',
      kernelBytes: 64 * MiB,
      seed: 1,
      ...(hvInUseWrAllowed ? { cpu: { hvInUseWrAllowed: true } } : {}),
    },
    kernel,
    guests: [{ name: 'vm', memoryBytes: 64 * MiB, vcpus, backing: 'thp', snp }],
  };
}

const ev = (op: EngineEvent['op'], gpa = 0, sizeBytes = 4096, pfn = 0): EngineEvent => ({
  op,
  guest: 0,
  gpa,
  pfn,
  sizeBytes,
  via: 'user',
});

const pagesOf = (m: Machine, kind: HostPageKind) =>
  m.guests[0]!.hostPages.filter((p) => p.kind === kind);
const region = (pfn: number) => Math.floor(pfn / PAGES_PER_2M);

describe('[snp.rmp_table] snp_rmptable_init(), __snp_fixup_e820_tables() in arch/x86/virt/svm/sev.c', () => {
  // [RAM top, size of the table] → the reserved range (16 B per page + 16 KiB, 2 MiB-rounded).
  it.each([
    [1 * GiB, 4 * MiB + 16 * 1024, 1 * GiB - 6 * MiB],
    [4 * GiB, 16 * MiB + 16 * 1024, 4 * GiB - 18 * MiB],
    [64 * GiB, 256 * MiB + 16 * 1024, 64 * GiB - 258 * MiB],
  ])('RAM to %d: an RMP of %d bytes is reserved from %d to the top', (top, bytes, start) => {
    expect(rmpTableRange([{ start: 0, end: top }], bytes)).toEqual({ start, end: top });
  });

  it('is never in the direct map and a host write to it is ignored', () => {
    const m = new Machine(spec());
    const r = m.rmpTable!;
    const pfn = r.start / 4096 + 7;
    expect(frameUse(m.frames.get(pfn))).toBe(USE_RMPTABLE);
    expect(m.dm.levelOf(pfn)).toBeNull();
    applyEvent(m, { ...ev('host-write'), pfn });
    expect(m.log.get(m.log.length - 1).rule).toBe('snp.rmp_table');
  });

  it('no-snp has no RMP table', () => {
    expect(new Machine(spec('no-snp')).rmpTable).toBeNull();
  });
});

describe('[snp.tmr] __sev_snp_init_locked(), sev_fw_alloc(), rmp_mark_pages_firmware() in drivers/crypto/ccp/sev-dev.c', () => {
  it.each([
    ['upstream-2024', 'snp.tmr', true],
    ['rfc-2021', 'snp.tmr', true],
    ['unmap-2023', 'snp.tmr', true],
    ['no-snp', null, false],
  ] as const)('%s at boot: a 2 MiB firmware TMR, split by rule %s: %s', (kernel, rule, split) => {
    const m = new Machine(spec(kernel));
    const firmware: number[] = [];
    for (let pfn = 0; pfn < m.totalPages; pfn += PAGES_PER_2M)
      if (frameUse(m.frames.get(pfn)) === USE_FIRMWARE) firmware.push(pfn);
    expect(firmware.length).toBe(split ? SNP_TMR_BYTES / (2 * MiB) : 0);
    if (!split) return expect(m.dm.level2Splits).toBe(0);
    const w = m.frames.get(firmware[0]! + 100);
    expect(w & (RMP_ASSIGNED | RMP_IMMUTABLE)).toBe(RMP_ASSIGNED | RMP_IMMUTABLE);
    expect(m.dm.levelOf(firmware[0]!)).toBe('4K');
    // Counted in /proc/vmstat: ccp and kvm_amd load after boot.
    expect(m.dm.level2Splits).toBeGreaterThan(0);
    expect(m.log.get(0).rule).toBe(rule);
  });
});

describe('[snp.fw_page] snp_alloc_firmware_page(): snp_guest_req_init(), snp_context_create()', () => {
  it.each([
    ['guest-resp', true],
    ['context', true],
    ['guest-req', false],
  ] as const)('an SNP guest has a %s page; firmware-owned (immutable, ASID 0): %s', (kind, fw) => {
    const m = new Machine(spec());
    applyEvent(m, ev('launch'));
    const [p] = pagesOf(m, kind);
    expect(p).toBeDefined();
    const w = m.frames.get(p!.pfn);
    expect(frameUse(w) === USE_FIRMWARE).toBe(fw);
    expect((w & RMP_IMMUTABLE) !== 0).toBe(fw);
    if (fw) expect(m.dm.levelOf(p!.pfn)).toBe('4K');
  });

  it('a guest without SNP has none of them', () => {
    const m = new Machine(spec('upstream-2024', 1, false));
    applyEvent(m, ev('launch'));
    expect(m.guests[0]!.hostPages.map((p) => p.kind).sort()).toEqual(['apic', 'msrpm', 'vmcb']);
  });
});

describe('[snp.safe_alloc] snp_safe_alloc_page_node() in arch/x86/kvm/svm/sev.c', () => {
  it.each([1, 4, 8])('%i vCPUs: no APIC page, VMCB or VMSA is 2 MiB aligned', (vcpus) => {
    const m = new Machine(spec('upstream-2024', vcpus));
    applyEvent(m, ev('launch'));
    const safe = m.guests[0]!.hostPages.filter((p) => ['apic', 'vmcb', 'vmsa'].includes(p.kind));
    expect(safe.length).toBe(3 * vcpus);
    for (const p of safe) expect(p.pfn % PAGES_PER_2M).not.toBe(0);
  });

  // [order-1 block at PFN, page kept, page freed]
  it.each([
    [1024, 1025, 1024],
    [1026, 1026, 1027],
  ])('an order-1 block at PFN %i: keeps %i, frees %i to the per-cpu list', (block, keep, freed) => {
    const frees: number[] = [];
    const fake = {
      alloc: {
        alloc: (order: number) => (order === 1 ? block : -1),
        free: (p: number) => frees.push(p),
      },
      frames: { set: () => {} },
    } as unknown as Machine;
    expect(snpSafeAllocPage(fake, 0)).toBe(keep);
    expect(frees).toEqual([freed]);
  });
});

describe('[snp.launch_update] sev_gmem_post_populate() in arch/x86/kvm/svm/sev.c', () => {
  it.each(['upstream-2024', 'gmem-thp-rfc', 'rfc-2021'] as const)(
    '%s: the launch image is 4K guest-valid pages, each region of it split to 4K',
    (kernel) => {
      const m = new Machine(spec(kernel));
      applyEvent(m, ev('launch'));
      const image = pagesOf(m, 'image');
      expect(image.reduce((s, p) => s + p.count, 0)).toBe(LAUNCH_IMAGE_BYTES / 4096);
      for (const p of image) {
        const w = m.frames.get(p.pfn);
        expect(w & (RMP_ASSIGNED | RMP_VALIDATED | RMP_IMMUTABLE)).toBe(
          RMP_ASSIGNED | RMP_VALIDATED,
        );
        expect(m.rmp2m[region(p.pfn)]).toBe(0);
        expect(m.dm.levelOf(p.pfn)).toBe('4K');
      }
    },
  );
});

describe('[snp.vmsa] snp_launch_update_vmsa(): rmp_make_private(pfn, INITIAL_VMSA_GPA, PG_LEVEL_4K, asid, true)', () => {
  it.each([1, 8])('%i vCPUs: one assigned VMSA page each, its region mapped 4K', (vcpus) => {
    const m = new Machine(spec('upstream-2024', vcpus));
    applyEvent(m, ev('launch'));
    const vmsa = pagesOf(m, 'vmsa');
    expect(vmsa.length).toBe(vcpus);
    for (const p of vmsa) {
      expect(m.frames.get(p.pfn) & (RMP_ASSIGNED | RMP_VMSA)).toBe(RMP_ASSIGNED | RMP_VMSA);
      expect(m.dm.levelOf(p.pfn)).toBe('4K');
    }
  });

  it('exit reclaims and frees every host page of the guest (sev_free_vcpu, snp_free_firmware_page)', () => {
    const m = new Machine(spec('upstream-2024', 8));
    const free0 = m.alloc.freePages;
    const tables0 = m.dm.splitTablePages;
    applyEvent(m, ev('launch'));
    const pages = [...m.guests[0]!.hostPages];
    applyEvent(m, ev('exit'));
    for (const p of pages) expect(m.frames.get(p.pfn) & RMP_ASSIGNED).toBe(0);
    expect(m.alloc.freePages).toBe(free0 - (m.dm.splitTablePages - tables0));
  });
});

describe('[rmp.check.inuse] a host write to an in-use page (APM "RMP and VMPL access checks")', () => {
  // [HvInUseWrAllowed, faults?]
  it.each([
    [false, true],
    [true, false],
  ])('HvInUseWrAllowed %s: a host write to a running VMCB faults: %s', (allowed, faults) => {
    const m = new Machine(spec('upstream-2024', 1, true, allowed));
    applyEvent(m, ev('launch'));
    const [vmcb] = pagesOf(m, 'vmcb');
    expect(m.frames.get(vmcb!.pfn) & RMP_INUSE).toBe(RMP_INUSE);
    expect(m.frames.get(vmcb!.pfn) & RMP_ASSIGNED).toBe(0);
    applyEvent(m, ev('host-write', 0, 4096, vmcb!.pfn));
    expect(m.count('rmp-fault')).toBe(faults ? 1 : 0);
    if (faults) expect(m.log.get(m.log.length - 2).rule).toBe('rmp.check.inuse');
  });

  it('no-snp has no RMP, so nothing is in use', () => {
    const m = new Machine(spec('no-snp'));
    applyEvent(m, ev('launch'));
    const [vmcb] = pagesOf(m, 'vmcb');
    expect(m.frames.get(vmcb!.pfn) & RMP_INUSE).toBe(0);
  });
});

describe('[gmem.huge_folio] [rmp.npf.sizem] kvm_gmem_get_huge_folio(), sev_gmem_prepare(), sev_handle_rmp_fault()', () => {
  // [design, accept size] → [new direct-map splits, PSMASHes by rmp.npf.sizem, 2M entries left]
  it.each([
    ['gmem-thp-rfc', 4096, [0, 1, 0]],
    ['gmem-thp-rfc', 2 * MiB, [0, 0, 1]],
    ['gmem-1g-rfc', 4096, [0, 1, 0]],
    ['upstream-2024', 2 * MiB, [1, 0, 0]],
  ] as const)('%s, accept of %d bytes at GPA 0 → %j', (kernel, size, want) => {
    const m = new Machine(spec(kernel));
    applyEvent(m, ev('launch'));
    const [l2, l3, ps] = [m.dm.level2Splits, m.dm.level3Splits, m.count('psmash')];
    applyEvent(m, ev('accept', 0, size));
    const sizem = Array.from({ length: m.log.length }, (_, i) => m.log.get(i)).filter(
      (o) => o.rule === 'rmp.npf.sizem',
    ).length;
    const splits = m.dm.level2Splits - l2 + (m.dm.level3Splits - l3);
    const entries = m.rmp2m.reduce((s, x) => s + x, 0);
    expect([splits, sizem, entries]).toEqual(want);
    expect(m.count('psmash') - ps).toBe(want[1]);
  });

  it('a second 4K accept in the PSMASHed folio only validates (no split, no PSMASH)', () => {
    const m = new Machine(spec('gmem-thp-rfc'));
    for (const e of [ev('launch'), ev('accept', 0, 4096)]) applyEvent(m, e);
    const [l2, ps] = [m.dm.level2Splits, m.count('psmash')];
    applyEvent(m, ev('accept', 0x5000, 4096));
    expect([m.dm.level2Splits - l2, m.count('psmash') - ps]).toEqual([0, 0]);
    const g = m.guests[0]!;
    expect(m.frames.get(g.gmemMap.get(5)) & RMP_VALIDATED).toBe(RMP_VALIDATED);
    expect(m.frames.get(g.gmemMap.get(6)) & RMP_VALIDATED).toBe(0);
  });
});
