/**
 * The registry of host causes: one line per cause, in the order the by-cause views list them.
 * Slots: 0 is "boot" (the layout itself), 1 "snp" (the kernel design's RMP splits), then the
 * registry. A call site is (cause, call); DirectMap records the site of each split.
 */
import { type CpaCall, type CpaTarget, cpa, cpaPages } from '../cpa';
import type { EngineEvent, HostOp } from '../events';
import { frameWord, USE_CAUSE } from '../frame-bits';
import type { Machine } from '../machine';
import type { RuleId } from '../rules';
import { bpf } from './bpf';
import type { CauseCtx, HostCause } from './cause';
import { debugPagealloc } from './debug-pagealloc';
import { gfpUnmapped, unmappedPages } from './gfp-unmapped';
import { gmemNoDirectMapCause } from './gmem-no-direct-map';
import { hwpoison } from './hwpoison';
import { iommu } from './iommu';
import { kfence } from './kfence';
import { kprobes } from './kprobe';
import { modules } from './module';
import { pageCache } from './page-cache';
import { recorded } from './recorded';
import { kernelImage } from './rodata';
import { secretmem } from './secretmem';
import { ttm } from './ttm';

export const CAUSES: readonly HostCause[] = [
  kernelImage,
  kfence,
  iommu,
  debugPagealloc,
  modules,
  bpf,
  kprobes,
  secretmem,
  hwpoison,
  ttm,
  pageCache,
  gmemNoDirectMapCause,
  gfpUnmapped,
  recorded,
];

/** Cause ids by slot: "boot", "snp", then the registry. */
export const CAUSE_IDS: readonly string[] = ['boot', 'snp', ...CAUSES.map((c) => c.id)];
export const causeSlot = (id: string): number => CAUSE_IDS.indexOf(id);

export interface Site {
  cause: string;
  call: CpaCall | 'layout';
}

/** Call sites; index 0 is "never split", 1 and 2 the SNP design's calls. */
export const SITES: readonly Site[] = [
  { cause: 'boot', call: 'layout' },
  { cause: 'snp', call: 'set_memory_4k' },
  { cause: 'snp', call: 'set_direct_map_invalid_noflush' },
  ...CAUSES.flatMap((c) =>
    (c.calls.length > 0 ? c.calls : ['set_memory_4k' as const]).map((call) => ({
      cause: c.id,
      call,
    })),
  ),
];
export const SITE_SNP_4K = 1;
export const SITE_SNP_UNMAP = 2;

const SITE_INDEX = new Map(SITES.map((s, i) => [`${s.cause}/${s.call}`, i]));
function siteOf(cause: string, call: CpaCall): number {
  return (
    SITE_INDEX.get(`${cause}/${call}`) ??
    SITE_INDEX.get(`${cause}/${CAUSES.find((c) => c.id === cause)?.calls[0] ?? 'set_memory_4k'}`) ??
    0
  );
}

const BY_OP = new Map<HostOp, HostCause>(
  CAUSES.flatMap((c) => c.ops.map((op) => [op, c] as const)),
);

/** The context a cause's hooks get (cheap: built per event). */
export function causeCtx(m: Machine, c: HostCause): CauseCtx {
  const slot = causeSlot(c.id);
  const word = frameWord(USE_CAUSE, slot);
  return {
    slot,
    linux: m.linux.version,
    held: m.held,
    cpa: (pfn: number, n: number, call: CpaCall, target: CpaTarget, rule: RuleId) =>
      cpa(m, pfn, n, call, target, siteOf(c.id, call), rule),
    cpaPages: (pfns: readonly number[], call: CpaCall, target: CpaTarget, rule: RuleId) =>
      cpaPages(m, pfns, call, target, siteOf(c.id, call), rule),
    allocPages(n) {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const run = m.allocFrames(1, word);
        if (!run) {
          for (const pfn of out) m.freeFrames(pfn, 1);
          return null;
        }
        out.push(run[0]!.pfn);
      }
      return out;
    },
    allocBlock: (order) => m.allocBlock(order, word),
    free: (pfn, n) => m.freeFrames(pfn, n),
    unmapped: () =>
      m.spec.host.gfpUnmapped === true ? unmappedPages(m, causeCtx(m, gfpUnmapped)) : null,
  };
}

/** A host-cause event: the cause that owns the op applies it. */
export function applyHostEvent(m: Machine, ev: EngineEvent): void {
  const c = BY_OP.get(ev.op as HostOp);
  if (!c?.apply) return m.emit('ignored', 'guest.not_running', -1, 0);
  c.apply(m, ev, causeCtx(m, c));
}

/** The booted machine's step 0: every cause's boot hook, before SYSTEM_RUNNING. */
export function bootCauses(m: Machine): void {
  for (const c of CAUSES) if (c.boot) c.boot(m, causeCtx(m, c));
}

/** Early userspace after SYSTEM_RUNNING (udev loading modules): counted in vmstat. */
export function userspaceCauses(m: Machine): void {
  for (const c of CAUSES) if (c.userspace) c.userspace(m, causeCtx(m, c));
}

export { gmemNoDirectMapCause };

export function hostCause(id: string): HostCause | undefined {
  return CAUSES.find((c) => c.id === id);
}
