/**
 * The hooks a kernel design plugs into. The machine implements the mechanics (RMPUPDATE, PSMASH,
 * the RMP write check, allocation); a design decides where private memory lives, what happens to
 * the direct map around an RMPUPDATE, and how a user RMP fault is resolved. Adding a design is a
 * new file here plus one line in index.ts; no other design changes.
 */
import type { Backing, KernelDesign } from '../events';

export interface DesignContext {
  /** set_memory_4k() on [pfn, pfn + n) with the rule that asked for it. */
  split4k(pfn: number, n: number, rule: string): void;
  /** set_direct_map_invalid_noflush / _default_noflush on [pfn, pfn + n), then one TLB flush. */
  setDirectMapPresent(pfn: number, n: number, present: boolean, rule: string): void;
}

export interface Design {
  id: KernelDesign;
  label: string;
  /** One line for the UI. */
  summary: string;
  /** false: no RMP at all (the no-snp baseline). */
  snp: boolean;
  /**
   * 'backing': private pages are the VMM's own pages, converted in place (2021–22 designs).
   * 'gmem': private pages come from guest_memfd, separate from the VMM's shared memory.
   */
  privateMemory: 'backing' | 'gmem';
  /** Largest guest_memfd folio (gmem designs). */
  gmemFolio: '4k' | '2m' | '1g';
  /** gmem-1g: shared pages are converted in place inside guest_memfd, no separate shared copy. */
  inPlaceShared: boolean;
  /** Dave's contract: shared pages move to one dedicated area; guest memory stays in 2M units. */
  sequester: boolean;
  /** At registration: a refusal reason and rule, or null to accept. */
  onRegister(backing: Backing): { rule: string; reason: string } | null;
  /** Before RMPUPDATE of [pfn, pfn + n) at the given RMP page size. */
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
}

export const noHook = (): void => {};
