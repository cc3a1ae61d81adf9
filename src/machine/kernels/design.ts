/**
 * The hooks a kernel design plugs into. The machine implements the mechanics every design shares
 * (RMPUPDATE, PSMASH, the RMP write check, the buddy allocator, the VMM's backing); a design
 * decides where private memory lives, what a page state change does, what happens to the direct
 * map around an RMPUPDATE and how a user RMP fault is resolved. The engine (apply.ts, machine.ts)
 * calls these hooks and never asks which design is active. Adding a design is a new file here,
 * one line in index.ts and its name in events.ts's KERNEL_DESIGNS (see docs/extending.md).
 *
 * Each hook names the kernel (or QEMU) function it models. Hooks take the whole Machine: a design
 * is engine code, not a sandboxed plug-in. Allocating and freeing private memory happens inside
 * a design's conversions through its family's allocator (allocGmem() in gmem.ts models
 * kvm_gmem_get_folio(); SequesteredArea in sequester-area.ts); the VMM's backing is allocBacking()
 * in guest-ops.ts, which the engine also calls to fault a page in on a VMM write.
 */
import type { Backing, KernelDesign } from '../events';
import type { Guest } from '../guest';
import type { Machine } from '../machine';
import type { RuleId } from '../rules';
import type { PageLevel } from '../units';
import type { DesignCaps } from './caps';
import type { HostTraffic } from './snp-host';

/** The direct-map calls a design (and, next, a host cause) makes: set_memory.c's API. */
export interface DesignContext {
  /**
   * set_memory_4k() on [pfn, pfn + n) with the rule that asked for it: the splits' flushes, and
   * from 6.15 one cpa_flush() per split region ([dm.cpa_flush]).
   */
  split4k(pfn: number, n: number, rule: RuleId): void;
  /**
   * set_direct_map_invalid_noflush / _default_noflush on [pfn, pfn + n): splits (each with its
   * flush_tlb_all()) and no flush of its own.
   */
  setDirectMapPresent(pfn: number, n: number, present: boolean, rule: RuleId): void;
}

/** A refused registration: the rule and the reason shown to the user. */
export interface Refusal {
  rule: RuleId;
  reason: string;
}

/**
 * What one guest's events do. A design is one of these for its SNP guests and names another
 * (`plain`) for guests without SNP. Page ranges are GPA pages [gfn, gfn + n) already clipped to
 * the guest; the engine has checked that the guest is running.
 */
export interface GuestKernel {
  /**
   * KVM_MEMORY_ENCRYPT_REG_REGION (sev_mem_enc_register_region() in arch/x86/kvm/svm/sev.c):
   * refuse memory the design cannot handle, or null to accept.
   */
  register(backing: Backing): Refusal | null;
  /**
   * KVM_SEV_SNP_LAUNCH_START plus QEMU's RAM setup: pin the VMM's backing or mark all RAM private
   * (kvm_set_memory_attributes). False when the host ran out of memory.
   */
  launch(m: Machine, g: Guest): boolean;
  /**
   * The guest's page state change to private and PVALIDATE (snp_begin_psc_msr() in the guest,
   * kvm_convert_memory() in QEMU, kvm_gmem_get_pfn() and rmp_make_private() in KVM).
   */
  accept(m: Machine, g: Guest, gfn: number, n: number): void;
  /** PVALIDATE rescind and page state change to shared (rmp_make_shared(), QEMU's conversion). */
  share(m: Machine, g: Guest, gfn: number, n: number): void;
  /** A page state change back to private of pages that are shared. */
  unshare(m: Machine, g: Guest, gfn: number, n: number): void;
  /**
   * The host frame a hypervisor write to GPA page gfn (state word w) lands on when it is not the
   * VMM's backing (a private guest_memfd frame, a sequestered shared page), or -1: through the
   * VMM's backing, which the engine faults in if needed.
   */
  writeTarget(g: Guest, gfn: number, w: number, via: 'user' | 'direct-map'): number;
  /**
   * The host's user RMP fault handler (handle_user_rmp_page_fault(), RFC Part2 07/30): called
   * after a VMM write through a mapping of `level` faulted on `pfn`. Returns null when the fault
   * was resolved and the write retried, or the rule the VMM gets SIGBUS (and the guest dies) by.
   */
  userRmpFault(m: Machine, g: Guest, gfn: number, pfn: number, level: PageLevel): RuleId | null;
  /**
   * Guest exit or death, after the engine has released the VMM's backing: reclaim and free the
   * design's own frames (sev_free_vcpu(), kvm_gmem_release()). Direct-map splits remain.
   */
  teardown(m: Machine, g: Guest): void;
  /** The host frame that holds GPA page gfn now, or -1 (unbacked): for the inspector and map. */
  frameOf(g: Guest, gfn: number): number;
}

/** Per-machine state a design keeps (the sequestered area); cloned with the machine. */
export interface DesignState {
  /** Host pages the design holds outside any guest (stay allocated after every guest exits). */
  readonly heldPages: number;
  clone(): DesignState;
  /** Become a copy of src (restoring a checkpoint). */
  copyFrom(src: DesignState): void;
}

export interface Design extends GuestKernel {
  id: KernelDesign;
  label: string;
  /** One line for the UI. */
  summary: string;
  /** The hooks for a guest without SNP under this design (an ordinary VM). */
  plain: GuestKernel;
  /** Before RMPUPDATE of [pfn, pfn + n) at the given RMP page size (adjust_direct_map() …). */
  beforeRmpUpdate(
    ctx: DesignContext,
    pfn: number,
    n: number,
    size: '4K' | '2M',
    assigned: boolean,
  ): void;
  /** After the RMPUPDATE (the unmap design maps pages back here). */
  afterRmpUpdate(
    ctx: DesignContext,
    pfn: number,
    n: number,
    size: '4K' | '2M',
    assigned: boolean,
  ): void;
  /**
   * A host write (the kernel through the direct map, or the VMM through its mapping of `level`)
   * to pfn: does it fault? The RMP check ([rmp.check.write], Machine.rmpCheckWrite) where the
   * host has an RMP; never without one.
   */
  hostWriteFaults(m: Machine, pfn: number, level: PageLevel): boolean;
  /** Bytes of the RMP table for a host of totalPages frames (0 without SNP). */
  rmpTableBytes(totalPages: number): number;
  /** The host's own pages and RMP traffic at boot, launch and teardown (snp-host.ts). */
  hostTraffic: HostTraffic;
  /** What the frames of Guest.gmemMap are, for the inspector ("guest_memfd (4K folios)"). */
  gmemMapLabel: string;
  /** A fresh per-machine state (NO_STATE for designs that keep none). */
  createState(): DesignState;
  /** What validation must know of the design (caps.ts: this design's DESIGN_CAPS entry). */
  caps: DesignCaps;
}

export const noHook = (): void => {};
export const registerAll = (): null => null;

export const NO_STATE: DesignState = {
  heldPages: 0,
  clone: () => NO_STATE,
  copyFrom: noHook,
};
