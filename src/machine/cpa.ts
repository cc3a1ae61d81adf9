/**
 * The change_page_attr (CPA) rules every host cause shares, as arch/x86/mm/pat/set_memory.c
 * applies them to the direct map. A cause names the call it makes (set_memory_ro on a vmalloc
 * address, set_direct_map_invalid_noflush on a direct-map page, …); this file decides what the
 * direct map sees.
 *
 * Rules (ids in rules.ts):
 * - [cpa.alias] cpa_process_alias(): a change on a vmalloc or module address reaches the direct-map
 *   alias of the same frame for ro/rw, np/p, cache mode and encryption — not for x/nx ("set_memory_nx/x()
 *   on a vmalloced range will not affect direct map but set_memory_ro/rw() will", Aaron Lu, lore
 *   20221107223921.3451913-1-song@kernel.org thread).
 * - [cpa.preserve] try_preserve_large_page(): a large page keeps its size when the change leaves
 *   its attributes as they are, or covers the whole 2M / 1G page; otherwise it splits, 1G→2M then
 *   2M→4K, one table page and one flush each ([dm.split.pud], [dm.split.pmd]).
 * - [cpa.kernel_4k] set_memory_4k() always splits and, from v6.15, marks the PTEs _PAGE_KERNEL_4K:
 *   such a region never collapses (we mark it in every version; before 6.15 nothing collapses).
 * - [cpa.collapse.pmd] / [cpa.collapse.pud] cpa_collapse_large_pages() (v6.15, 41d88484c71c): only
 *   after set_memory_rox() (CPA_COLLAPSE), per 2 MiB region it touched, when all 512 PTEs are present,
 *   physically contiguous (always so in the direct map) and equal in flags and none carries
 *   _PAGE_KERNEL_4K; then, with gbpages, the 1 GiB block when its 512 PMDs are leaves that agree.
 *   The kernel walks the addresses the caller passed; causes.md §1 says the direct-map alias of a
 *   set_memory_rox() range heals the same way, and that is modelled (COLLAPSE_ALIAS, easy to change).
 * - [cpa.vmstat.running] splits and collapses reach /proc/vmstat only after SYSTEM_RUNNING
 *   (DirectMap.running); DirectMap* moves at any time (Saravanan D, 20210218235744.1040634-1-saravanand@fb.com).
 * Each call that changes something costs one cpa_flush() (counted with the split flushes).
 */
import { PMD_LEAF, PMD_TABLE, PUD_LEAF, PUD_TABLE } from './direct-map';
import {
  DM_ATTRS,
  DM_DECRYPTED,
  DM_RO,
  DM_UC,
  DM_UNMAPPED,
  DM_WC,
  frameUse,
  frameWord,
  USE_HOLE,
  USE_PAGETABLE,
} from './frame-bits';
import type { Machine } from './machine';
import type { RuleId } from './rules';
import { PAGES_PER_1G, PAGES_PER_2M } from './units';

export const CPA_CALLS = [
  'set_memory_ro',
  'set_memory_rox',
  'set_memory_rw',
  'set_memory_x',
  'set_memory_nx',
  'set_memory_np',
  'set_memory_p',
  'set_memory_uc',
  'set_memory_wc',
  'set_memory_wb',
  'set_memory_4k',
  'set_memory_encrypted',
  'set_memory_decrypted',
  'set_direct_map_invalid_noflush',
  'set_direct_map_default_noflush',
  'set_pages_array_wc',
  'set_pages_array_uc',
  'set_pages_array_wb',
  'set_mce_nospec',
  'clear_mce_nospec',
  'init_memory_mapping',
  'remove_pagetable',
] as const;
export type CpaCall = (typeof CPA_CALLS)[number];

interface Effect {
  clear: number;
  set: number;
  /** Reaches the direct-map alias of a vmalloc address (cpa_process_alias). */
  alias: boolean;
  collapse?: boolean;
  force4k?: boolean;
  /** set_direct_map_*_noflush(): __change_page_attr_set_clr() without the cpa_flush(). */
  noflush?: boolean;
}

const ALL_CACHE = DM_WC | DM_UC;
/** What each call does to a direct-map PTE. */
export const EFFECTS: Readonly<Record<CpaCall, Effect>> = {
  set_memory_ro: { clear: DM_RO, set: DM_RO, alias: true },
  set_memory_rox: { clear: DM_RO, set: DM_RO, alias: true, collapse: true },
  set_memory_rw: { clear: DM_RO, set: 0, alias: true },
  set_memory_x: { clear: 0, set: 0, alias: false },
  set_memory_nx: { clear: 0, set: 0, alias: false },
  set_memory_np: { clear: DM_UNMAPPED, set: DM_UNMAPPED, alias: true },
  set_memory_p: { clear: DM_UNMAPPED, set: 0, alias: true },
  set_memory_uc: { clear: ALL_CACHE, set: DM_UC, alias: true },
  set_memory_wc: { clear: ALL_CACHE, set: DM_WC, alias: true },
  set_memory_wb: { clear: ALL_CACHE, set: 0, alias: true },
  set_memory_4k: { clear: 0, set: 0, alias: true, force4k: true },
  set_memory_encrypted: { clear: DM_DECRYPTED, set: 0, alias: true },
  set_memory_decrypted: { clear: DM_DECRYPTED, set: DM_DECRYPTED, alias: true },
  set_direct_map_invalid_noflush: {
    clear: DM_UNMAPPED,
    set: DM_UNMAPPED,
    alias: true,
    noflush: true,
  },
  set_direct_map_default_noflush: {
    clear: DM_UNMAPPED | DM_RO,
    set: 0,
    alias: true,
    noflush: true,
  },
  set_pages_array_wc: { clear: ALL_CACHE, set: DM_WC, alias: true },
  set_pages_array_uc: { clear: ALL_CACHE, set: DM_UC, alias: true },
  set_pages_array_wb: { clear: ALL_CACHE, set: 0, alias: true },
  // set_mce_nospec() → set_memory_np() on the whole page (jane.chu 20220420020435.90326-4).
  set_mce_nospec: { clear: DM_UNMAPPED, set: DM_UNMAPPED, alias: true },
  clear_mce_nospec: { clear: DM_UNMAPPED, set: 0, alias: true },
  init_memory_mapping: { clear: 0, set: 0, alias: false },
  remove_pagetable: { clear: 0, set: 0, alias: false },
};

/** The direct-map alias of a set_memory_rox() range heals like the range (causes.md §1). */
export const COLLAPSE_ALIAS = true;

/** Where the call is made: a vmalloc/module address (alias rules apply) or the direct map. */
export type CpaTarget = 'vmalloc' | 'direct-map';

const starts = new Uint16Array(513);
const words = new Uint32Array(513);

/**
 * `call` on the frames [pfn, pfn + n) (through their vmalloc alias or directly), attributed to
 * call site `site`; split outcomes carry `rule`. Returns the number of splits.
 */
export function cpa(
  m: Machine,
  pfn: number,
  n: number,
  call: CpaCall,
  target: CpaTarget,
  site: number,
  rule: RuleId,
): number {
  const e = EFFECTS[call];
  if (n <= 0 || (target === 'vmalloc' && !e.alias)) return 0;
  const acc = walk(m, pfn, n, e, site, rule, { splits: 0, changed: false, newly4k: false });
  finish(m, e, acc);
  if (e.collapse && COLLAPSE_ALIAS && m.linux.kernel4k) collapseRange(m, pfn, n, site);
  return acc.splits;
}

/**
 * One call on a virtually contiguous range whose frames are scattered (a module section's
 * vmalloc pages): each frame's alias as cpa() does it, but one cpa_flush() for the call.
 */
export function cpaPages(
  m: Machine,
  pfns: readonly number[],
  call: CpaCall,
  target: CpaTarget,
  site: number,
  rule: RuleId,
): number {
  const e = EFFECTS[call];
  if (pfns.length === 0 || (target === 'vmalloc' && !e.alias)) return 0;
  const acc: Acc = { splits: 0, changed: false, newly4k: false };
  for (const pfn of pfns) walk(m, pfn, 1, e, site, rule, acc);
  finish(m, e, acc);
  if (e.collapse && COLLAPSE_ALIAS && m.linux.kernel4k)
    for (const pfn of pfns) collapseRange(m, pfn, 1, site);
  return acc.splits;
}

interface Acc {
  splits: number;
  changed: boolean;
  newly4k: boolean;
}

function walk(
  m: Machine,
  pfn: number,
  n: number,
  e: Effect,
  site: number,
  rule: RuleId,
  acc: Acc,
): Acc {
  const dm = m.dm;
  const end = pfn + n;
  const prevSite = dm.site;
  dm.site = site;
  for (let r = Math.floor(pfn / PAGES_PER_2M); r * PAGES_PER_2M < end; r++) {
    const rs = r * PAGES_PER_2M;
    const s = Math.max(pfn, rs);
    const t = Math.min(end, rs + PAGES_PER_2M);
    const g = Math.floor(r / 512);
    if (dm.pud[g] === PUD_LEAF) {
      const old = m.frames.get(s) & DM_ATTRS;
      if (!e.force4k && ((old & ~e.clear) | e.set) === old) continue;
      const gs = g * PAGES_PER_1G;
      if (!e.force4k && pfn <= gs && end >= gs + PAGES_PER_1G) {
        // [cpa.preserve] the whole 1 GiB page changes in place.
        m.frames.update(gs, PAGES_PER_1G, e.clear, e.set);
        acc.changed = true;
        r = (g + 1) * 512 - 1;
        continue;
      }
      splitPud(m, g, rule);
      acc.splits++;
    }
    const pmd = dm.pmd[r];
    if (pmd === PMD_LEAF) {
      const old = m.frames.get(s) & DM_ATTRS;
      if (!e.force4k && ((old & ~e.clear) | e.set) === old) continue;
      if (e.force4k || s !== rs || t !== rs + PAGES_PER_2M) {
        splitPmd(m, r, rule);
        acc.splits++;
      }
    } else if (pmd !== PMD_TABLE) continue;
    if (e.force4k) {
      if (dm.kernel4k[r] === 0) acc.newly4k = true;
      dm.kernel4k[r] = 1;
    }
    if (e.clear !== 0) m.frames.update(s, t - s, e.clear, e.set);
    acc.changed = true;
  }
  dm.site = prevSite;
  return acc;
}

/**
 * [dm.cpa_flush] one cpa_flush() per call that changed a PTE (DirectMap.cpaFlush, the one
 * counter), none for the *_noflush calls (their callers flush later, or not at all). set_memory_4k()
 * changes one only from 6.15, and only where _PAGE_KERNEL_4K is not set yet; before, its splits'
 * own flush_tlb_all() are all it costs. So tlbFlushes = splits + collapses + cpaFlushes.
 */
function finish(m: Machine, e: Effect, acc: Acc): void {
  if (e.noflush) return;
  if (e.force4k ? m.linux.kernel4k && acc.newly4k : acc.changed) m.dm.cpaFlush();
}

function splitPud(m: Machine, g: number, rule: RuleId): void {
  m.dm.splitPud(g);
  m.emit('dm-split', rule, g * PAGES_PER_1G, 1);
  m.allocBlock(0, frameWord(USE_PAGETABLE));
}

function splitPmd(m: Machine, r: number, rule: RuleId): void {
  m.dm.splitPmd(r);
  m.emit('dm-split', rule, r * PAGES_PER_2M, 0);
  m.allocBlock(0, frameWord(USE_PAGETABLE));
}

/** Attributes of a region if its 512 PTEs are present and agree, else -1. */
function uniformAttrs(m: Machine, r: number): number {
  const k = m.frames.runsOf(r, starts, words);
  const first = words[0]! & DM_ATTRS;
  for (let j = 0; j < k; j++) {
    const w = words[j]!;
    if ((w & DM_ATTRS) !== first || w & DM_UNMAPPED || frameUse(w) === USE_HOLE) return -1;
  }
  return first;
}

/** Can this split region still collapse: v6.15+, no _PAGE_KERNEL_4K PTE, all 512 PTEs mapped. */
export function canHeal(m: Machine, r: number): boolean {
  const dm = m.dm;
  return (
    m.linux.kernel4k &&
    dm.pmd[r] === PMD_TABLE &&
    dm.kernel4k[r] === 0 &&
    dm.ptesInRegion[r] === PAGES_PER_2M
  );
}

/** [cpa.collapse.pmd] then [cpa.collapse.pud] over every region [pfn, pfn + n) touches. */
function collapseRange(m: Machine, pfn: number, n: number, site: number): void {
  const dm = m.dm;
  let collapsed = 0;
  for (let r = Math.floor(pfn / PAGES_PER_2M); r * PAGES_PER_2M < pfn + n; r++) {
    if (!canHeal(m, r)) continue;
    const attrs = uniformAttrs(m, r);
    if (attrs < 0) continue;
    dm.site = site;
    dm.collapsePmd(r);
    m.emit('dm-collapse', 'cpa.collapse.pmd', r * PAGES_PER_2M, 0);
    collapsed++;
    const g = Math.floor(r / 512);
    if (m.spec.host.gbpages && dm.pud[g] === PUD_TABLE && gigUniform(m, g, attrs)) {
      dm.collapsePud(g);
      m.emit('dm-collapse', 'cpa.collapse.pud', g * PAGES_PER_1G, 1);
      collapsed++;
    }
  }
  // cpa_collapse_large_pages(): one flush_tlb_all() before the tables are freed.
  if (collapsed > 0) dm.tlbFlushes++;
}

function gigUniform(m: Machine, g: number, attrs: number): boolean {
  const dm = m.dm;
  if ((g + 1) * 512 > dm.pmd.length) return false;
  for (let r = g * 512; r < (g + 1) * 512; r++) {
    if (dm.pmd[r] !== PMD_LEAF) return false;
    const w = m.frames.uniformWord(r);
    if (w < 0 || (w & DM_ATTRS) !== attrs || frameUse(w) === USE_HOLE) {
      if (uniformAttrs(m, r) !== attrs) return false;
    }
  }
  return true;
}
