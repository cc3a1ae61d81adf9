/**
 * The SNP host's own RMP traffic (every SNP era): besides guest memory, the host writes RMP
 * entries for itself and allocates pages that the RMP checks care about.
 *
 * - [snp.rmp_table] The RMP table is reserved by the BIOS in the e820 map (16 bytes per 4K page
 *   of the address space plus 16 KiB of CPU bookkeeping: snp_rmptable_init() in
 *   arch/x86/virt/svm/sev.c), so it is never in the direct map; __snp_fixup_e820_tables()
 *   reserves the whole 2 MiB around an unaligned start or end. The model puts it at the top of
 *   the highest usable range that holds it (a BIOS choice; dmesg's "SEV-SNP: RMP table physical
 *   range" says where on a real host).
 * - [snp.tmr] When ccp / kvm_amd load (after boot), __sev_snp_init_locked() sets the legacy TMR
 *   to SNP_TMR_SIZE (2 MiB, 2 MiB aligned) and sev_fw_alloc() takes it from the page allocator
 *   (order 9); rmp_mark_pages_firmware() makes it firmware-owned with 512 4K immutable
 *   RMPUPDATEs, each of which splits the direct map on demand (drivers/crypto/ccp/sev-dev.c).
 * - [snp.fw_page] snp_alloc_firmware_page(): one order-0 page, marked firmware the same way:
 *   the SNP_PLATFORM_STATUS page at kvm_amd load (is_sev_snp_initialized(), freed again), and per
 *   guest the guest-request response page (snp_guest_req_init() at KVM_SEV_INIT2, after a plain
 *   request page) and the context page (snp_context_create() at SNP_LAUNCH_START).
 * - [snp.safe_alloc] Per vCPU the APIC backing page, the VMCB and (SNP guests) the VMSA come
 *   from snp_safe_alloc_page(): an order-1 allocation split in two, keeping the page that is not
 *   2 MiB aligned and freeing the other (the erratum: a huge mapping colliding with the RMP entry
 *   of a 2MB-aligned VMCB, VMSA or AVIC backing page signals a false RMP #PF). The MSR permission
 *   map is an order-1 allocation (svm_vcpu_alloc_msrpm()).
 * - [snp.launch_update] SNP_LAUNCH_UPDATE of the launch image: kvm_gmem_populate() →
 *   sev_gmem_post_populate() makes each page private with a 4K immutable RMPUPDATE (the firmware
 *   then turns it guest-valid). LAUNCH_IMAGE_BYTES is the model's default image.
 * - [snp.vmsa] SNP_LAUNCH_FINISH: snp_launch_update_vmsa() makes each vCPU's VMSA private
 *   (rmp_make_private(pfn, INITIAL_VMSA_GPA, PG_LEVEL_4K, asid, true)), the firmware sets the VMSA
 *   bit (arch/x86/kvm/svm/sev.c).
 * - [rmp.check.inuse] A running vCPU's VMCB is "in use" by the CPU: a host write to it faults
 *   unless the CPU has HvInUseWrAllowed (host.cpu.hvInUseWrAllowed).
 * Teardown (sev_free_vcpu(), svm_vcpu_free(), snp_guest_req_cleanup(), snp_decommission_context())
 * reclaims (SNP_PAGE_RECLAIM, rmp_make_shared()) and frees each page; splits remain.
 */
import type { PhysRange } from '../boot-layout';
import {
  frameWord,
  RMP_ASSIGNED,
  RMP_IMMUTABLE,
  RMP_INUSE,
  RMP_VMSA,
  USE_FIRMWARE,
  USE_KERNEL,
} from '../frame-bits';
import type { Guest, HostPage, HostPageKind } from '../guest';
import type { Machine } from '../machine';
import type { RuleId } from '../rules';
import { ISA_END_ADDRESS, MiB, PAGES_PER_2M, PMD_SIZE, roundDown } from '../units';
import { GFP_KERNEL } from '../zones';

/** SNP_TMR_SIZE in drivers/crypto/ccp/sev-dev.c: the legacy TMR once SNP is initialized. */
export const SNP_TMR_BYTES = 2 * MiB;
/**
 * The launch image measured by SNP_LAUNCH_UPDATE: an OVMF image of 4 MiB (edk2's FD_SIZE_4MB,
 * the default size of OvmfPkgX64 and AmdSevX64 builds). The SNP metadata pages OVMF asks for
 * inside guest RAM (secrets, CPUID, pre-validated ranges) are not modelled.
 */
export const LAUNCH_IMAGE_BYTES = 4 * MiB;
/** MSRPM_SIZE is two pages: svm_vcpu_alloc_msrpm() takes an order-1 block. */
const MSRPM_ORDER = 1;

/** What the host's own RMP traffic does at boot, at a guest's launch and at its teardown. */
export interface HostTraffic {
  /** ccp / kvm_amd load after boot: the TMR and the platform-status page (SNP hosts). */
  boot(m: Machine): void;
  /** KVM_SEV_INIT2 … SNP_LAUNCH_FINISH and vCPU creation; false when the host ran out of memory. */
  launch(m: Machine, g: Guest): boolean;
  /** Reclaim and free every page launch() took. */
  teardown(m: Machine, g: Guest): void;
}

/** [snp.rmp_table] The reserved range of an RMP table of `bytes`, or null (no SNP, no room). */
export function rmpTableRange(ranges: readonly PhysRange[], bytes: number): PhysRange | null {
  if (bytes <= 0) return null;
  for (let i = ranges.length - 1; i >= 0; i--) {
    const r = ranges[i]!;
    const start = roundDown(r.end - bytes, PMD_SIZE);
    if (start >= Math.max(r.start, ISA_END_ADDRESS)) return { start, end: r.end };
  }
  return null;
}

/** Usable ranges minus one reserved range. */
export function withoutRange(ranges: readonly PhysRange[], cut: PhysRange): PhysRange[] {
  const out: PhysRange[] = [];
  for (const r of ranges) {
    if (cut.end <= r.start || cut.start >= r.end) out.push({ ...r });
    else {
      if (r.start < cut.start) out.push({ start: r.start, end: cut.start });
      if (cut.end < r.end) out.push({ start: cut.end, end: r.end });
    }
  }
  return out;
}

/** [snp.safe_alloc] snp_safe_alloc_page_node(): one page that is not 2 MiB aligned, or -1. */
export function snpSafeAllocPage(m: Machine, word: number): number {
  // GFP_KERNEL_ACCOUNT | __GFP_ZERO: unmovable, ZONE_NORMAL first (svm_vcpu_create()).
  const p = m.alloc.alloc(MSRPM_ORDER, GFP_KERNEL);
  if (p < 0) return -1;
  // split_page(p, 1), then free the 2M-aligned half (p is even, so only p can be aligned).
  const keep = p % PAGES_PER_2M === 0 ? p + 1 : p;
  m.alloc.free(keep === p ? p + 1 : p, 0);
  m.frames.set(keep, 1, word);
  return keep;
}

/** rmp_mark_pages_firmware(): one 4K immutable RMPUPDATE (ASID 0) per page. */
function markFirmware(m: Machine, pfn: number, n: number, cause: RuleId): void {
  m.withCause(cause, () => {
    for (let i = 0; i < n; i++) m.rmpUpdate(pfn + i, 1, true, '4K', false, RMP_IMMUTABLE);
  });
}

/** [snp.fw_page] snp_alloc_firmware_page() for guest `owner` (0 for the host's own), or -1. */
function allocFirmwarePage(m: Machine, owner: number): number {
  const pfn = m.allocBlock(0, frameWord(USE_FIRMWARE, owner));
  if (pfn >= 0) markFirmware(m, pfn, 1, 'snp.fw_page');
  return pfn;
}

/**
 * snp_reclaim_pages() / sev_gmem_invalidate(): one rmp_make_shared() per assigned page, then
 * __free_pages(); a plain page is only freed.
 */
function releasePages(m: Machine, p: HostPage): void {
  for (let pfn = p.pfn; pfn < p.pfn + p.count; pfn++)
    if (m.frames.get(pfn) & RMP_ASSIGNED) m.rmpUpdate(pfn, 1, false, '4K', false);
  m.freeFrames(p.pfn, p.count);
}

/** Teardown order: each vCPU (VMSA, VMCB, MSRPM, APIC page), then the VM's own pages. */
const TEARDOWN_ORDER: readonly HostPageKind[] = ['guest-resp', 'guest-req', 'context', 'image'];
const VCPU_ORDER: readonly HostPageKind[] = ['vmsa', 'vmcb', 'msrpm', 'apic'];

function teardownPages(m: Machine, g: Guest): void {
  const pages = g.hostPages;
  for (let v = 0; v < g.spec.vcpus; v++)
    for (const kind of VCPU_ORDER)
      for (const p of pages) if (p.vcpu === v && p.kind === kind) releasePages(m, p);
  for (const kind of TEARDOWN_ORDER) for (const p of pages) if (p.kind === kind) releasePages(m, p);
  g.hostPages = [];
}

/**
 * Per-vCPU pages (kvm_create_lapic(), svm_vcpu_create()): APIC page, VMCB, VMSA for SNP guests,
 * MSRPM. `safe` picks snp_safe_alloc_page(), else plain order-0 pages (a host without SNP).
 */
function vcpuPages(m: Machine, g: Guest, safe: boolean): boolean {
  const word = frameWord(USE_KERNEL, g.index);
  const page = (kind: HostPageKind, v: number): boolean => {
    const pfn = safe ? snpSafeAllocPage(m, word) : m.allocBlock(0, word);
    if (pfn < 0) return false;
    g.hostPages.push({ kind, pfn, count: 1, vcpu: v });
    return true;
  };
  for (let v = 0; v < g.spec.vcpus; v++) {
    if (!page('apic', v) || !page('vmcb', v)) return false;
    if (safe && g.spec.snp && !page('vmsa', v)) return false;
    const msrpm = m.allocBlock(MSRPM_ORDER, word);
    if (msrpm < 0) return false;
    g.hostPages.push({ kind: 'msrpm', pfn: msrpm, count: 2 ** MSRPM_ORDER, vcpu: v });
  }
  return true;
}

function snpLaunch(m: Machine, g: Guest): boolean {
  const own = (kind: HostPageKind, pfn: number, count = 1) =>
    g.hostPages.push({ kind, pfn, count, vcpu: -1 });
  if (g.spec.snp) {
    const req = m.allocBlock(0, frameWord(USE_KERNEL, g.index));
    if (req < 0) return false;
    own('guest-req', req);
    const resp = allocFirmwarePage(m, g.index);
    if (resp < 0) return false;
    own('guest-resp', resp);
    const context = allocFirmwarePage(m, g.index);
    if (context < 0) return false;
    own('context', context);
  }
  if (!vcpuPages(m, g, true)) return false;
  // The CPU uses the VMCB while the vCPU is in VMRUN; a running guest is modelled as always so.
  for (const p of g.hostPages)
    if (p.kind === 'vmcb') m.frames.update(p.pfn, 1, RMP_INUSE, RMP_INUSE);
  if (!g.spec.snp) return true;
  const image = m.allocFrames(LAUNCH_IMAGE_BYTES / 4096, frameWord(USE_FIRMWARE, g.index));
  if (!image) return false;
  m.withCause('snp.launch_update', () => {
    for (const r of image) {
      own('image', r.pfn, r.count);
      for (let i = 0; i < r.count; i++) m.rmpUpdate(r.pfn + i, 1, true, '4K', true);
    }
  });
  for (const p of g.hostPages)
    if (p.kind === 'vmsa')
      m.withCause('snp.vmsa', () => m.rmpUpdate(p.pfn, 1, true, '4K', true, RMP_VMSA));
  return true;
}

export const SNP_TRAFFIC: HostTraffic = {
  boot(m) {
    m.withCause('snp.tmr', () => {
      const tmr = m.allocBlock(9, frameWord(USE_FIRMWARE));
      if (tmr >= 0) markFirmware(m, tmr, SNP_TMR_BYTES / 4096, 'snp.tmr');
    });
    const status = allocFirmwarePage(m, 0);
    if (status >= 0) releasePages(m, { kind: 'context', pfn: status, count: 1, vcpu: -1 });
  },
  launch: snpLaunch,
  teardown: teardownPages,
};

/** A host without SNP: KVM's per-vCPU pages only, order 0, no RMP. */
export const PLAIN_TRAFFIC: HostTraffic = {
  boot() {},
  launch: (m, g) => vcpuPages(m, g, false),
  teardown: teardownPages,
};
