/**
 * The hooks a host cause of direct-map fragmentation plugs into (BPF, modules and execmem,
 * kprobes, secretmem, KFENCE, debug_pagealloc, hwpoison, TTM, hotplug, the page cache, the
 * proposals). A cause is one file here plus one line in index.ts, like a kernel design. It changes
 * the direct map only through the CPA rules of cpa.ts (CauseCtx.cpa), so every split and collapse
 * names its rule, its call and its cause; it takes memory only through the machine's allocator
 * (order-0 pages through the per-cpu lists, as vmalloc takes them).
 */
import type { CpaCall, CpaTarget } from '../cpa';
import type { EngineEvent, HostOp } from '../events';
import type { Machine } from '../machine';
import type { RuleId } from '../rules';

/** What a cause may call: the machine's CPA entry point with the cause's provenance filled in. */
export interface CauseCtx {
  /** The cause's slot (frame owner of USE_CAUSE pages, index into per-cause counters). */
  readonly slot: number;
  /** The effective host kernel version (spec.host.linux, or the design's era). */
  readonly linux: string;
  /** `call` on [pfn, pfn + n) through `target`, recorded as this cause's; returns splits made. */
  cpa(pfn: number, n: number, call: CpaCall, target: CpaTarget, rule: RuleId): number;
  /** One call on a vmalloc range whose frames are `pfns` (one cpa_flush for the call). */
  cpaPages(pfns: readonly number[], call: CpaCall, target: CpaTarget, rule: RuleId): number;
  /** n order-0 pages (vmalloc, GFP_KERNEL through the per-cpu lists); pfns or null when OOM. */
  allocPages(n: number): number[] | null;
  /** One 2^order block, or -1. */
  allocBlock(order: number): number;
  free(pfn: number, n: number): void;
  /** The cause's own state (lists of frames it holds), cloned with the machine. */
  readonly held: HeldFrames;
  /**
   * __GFP_UNMAPPED (proposal, gfp-unmapped.ts): pages already out of the direct map, from whole
   * unmapped 2 MiB blocks; null unless the host has `gfpUnmapped`.
   */
  unmapped(): UnmappedPages | null;
}

/** The __GFP_UNMAPPED allocator a cause allocates unmapped pages from. */
export interface UnmappedPages {
  /** One order-0 page, not in the direct map; -1 when out of memory. */
  alloc(): number;
  /** Give a page back (it stays unmapped until its whole block is free). */
  free(pfn: number): void;
  /** Unmapped 2 MiB blocks held. */
  readonly blocks: number;
}

/** Frames a cause holds, by key (a module name, "progs", "cache"): flat pfn lists. */
export interface HeldFrames {
  list(key: string): number[];
  /** Seeded randomness for causes that scatter (page-cache reclaim). */
  random(n: number): number;
}

export interface HostCause {
  id: string;
  label: string;
  /** One line for the UI. */
  summary: string;
  /** Merged behaviour, or a proposal (labelled as such wherever it appears). */
  status: 'merged' | 'proposal';
  /** Kernel sources and lore message ids behind the cause. */
  sources: readonly string[];
  /** The calls it makes (the provenance sites of its splits). */
  calls: readonly CpaCall[];
  /** Host event ops it handles. */
  ops: readonly HostOp[];
  /** Whether its splits can heal at all (by CPA_COLLAPSE from 6.15). */
  heals: boolean;
  /** At boot, before SYSTEM_RUNNING (KFENCE's pool…): splits not in vmstat. */
  boot?(m: Machine, cx: CauseCtx): void;
  /** Early userspace right after SYSTEM_RUNNING (udev loading modules): counted in vmstat. */
  userspace?(m: Machine, cx: CauseCtx): void;
  /** One host event of one of its ops. */
  apply?(m: Machine, ev: EngineEvent, cx: CauseCtx): void;
}
