/**
 * The inspector's answer for one host frame: addresses, the direct-map level and the ptdump
 * line that covers it, the RMP entry as struct rmpentry holds it, the owner guest and GPA, the
 * VMM's backing page size, and the outcomes that touched the frame or its 2 MiB region.
 */

import { directMapVa } from '../formats/outcomes';
import { hostCause, SITES } from '../machine/causes';
import { canHeal } from '../machine/cpa';
import { PMD_TABLE, PUD_TABLE } from '../machine/direct-map';
import {
  frameUse,
  G_BACKED,
  G_GMEM,
  MAP_NAMES,
  ownerOf,
  RMP_ASSIGNED,
  RMP_IMMUTABLE,
  RMP_INUSE,
  RMP_VALIDATED,
  RMP_VMSA,
  USE_FIRMWARE,
  USE_GMEM,
  USE_KERNEL,
  USE_NAMES,
  USE_SEQ,
  USE_VMM,
} from '../machine/frame-bits';
import type { Guest, HostPage, HostPageKind } from '../machine/guest';
import type { LinearMap } from '../machine/linear-map';
import type { Machine } from '../machine/machine';
import type { OutcomeLog } from '../machine/outcomes';
import {
  hex,
  PAGE_OFFSET,
  PAGE_OFFSET_LA57,
  PAGE_SIZE,
  PAGES_PER_1G,
  PAGES_PER_2M,
} from '../machine/units';
import { outcomeRow } from './messages';
import type { FrameInfo, OutcomeRow, SplitProvenance } from './protocol';
import { frameLevel } from './snapshot';

const REGION = PAGES_PER_2M;
const GIG = PAGES_PER_1G;
/** The inspector shows the newest outcomes; a frame hammered a million times needs no more. */
const MAX_HISTORY = 64;

/** GPA page of host frame `pfn` in one of a guest's maps, or -1: a forward walk per chunk. */
function gfnOf(g: Guest, map: LinearMap, bit: number, pfn: number): number {
  for (let c = 0; c < g.chunks; c++) {
    const first = c * REGION;
    const last = Math.min(first + REGION, g.pages);
    const base = map.linearBase(c);
    if (!Number.isNaN(base)) {
      if (pfn < base || pfn >= base + (last - first)) continue;
      const p = first + (pfn - base);
      if (g.state.get(p) & bit) return p;
      continue;
    }
    for (let p = first; p < last; p++) if (map.get(p) === pfn && g.state.get(p) & bit) return p;
  }
  return -1;
}

interface Owner {
  guest: Guest;
  gfn: number;
  via: 'backing' | 'gmem';
}

function findOwner(m: Machine, pfn: number, w: number): Owner | null {
  const use = frameUse(w);
  if (use !== USE_VMM && use !== USE_GMEM && use !== USE_SEQ) return null;
  const g = m.guests[ownerOf(w)];
  if (!g) return null;
  if (use === USE_VMM) {
    const gfn = gfnOf(g, g.backingMap, G_BACKED, pfn);
    return gfn >= 0 ? { guest: g, gfn, via: 'backing' } : null;
  }
  const gfn = gfnOf(g, g.gmemMap, G_GMEM, pfn);
  return gfn >= 0 ? { guest: g, gfn, via: 'gmem' } : null;
}

const HOST_PAGE_NAMES: Record<HostPageKind, string> = {
  apic: 'APIC backing page',
  vmcb: 'VMCB',
  vmsa: 'VMSA',
  msrpm: 'MSR permission map',
  'guest-req': 'guest-request page',
  'guest-resp': 'guest-request response page',
  context: 'SNP guest context page',
  image: 'launch image (SNP_LAUNCH_UPDATE)',
};

/** The host's own page of a guest (snp-host.ts) that holds this frame, if any. */
function hostPageOf(m: Machine, pfn: number, w: number): { g: Guest; p: HostPage } | null {
  const use = frameUse(w);
  if (use !== USE_KERNEL && use !== USE_FIRMWARE) return null;
  const g = m.guests[ownerOf(w)];
  const p = g?.hostPages.find((x) => pfn >= x.pfn && pfn < x.pfn + x.count);
  return g && p ? { g, p } : null;
}

/** "kernel: VMCB, vCPU 0 (in use while it runs)", "firmware: SEV legacy TMR", "rmp-table". */
function frameUseText(w: number, hp: { p: HostPage } | null): string {
  const base = USE_NAMES[frameUse(w)] ?? 'hole';
  const inUse = w & RMP_INUSE ? ' (in use by the CPU while it runs)' : '';
  if (hp) {
    const v = hp.p.vcpu >= 0 ? `, vCPU ${hp.p.vcpu}` : '';
    return `${base}: ${HOST_PAGE_NAMES[hp.p.kind]}${v}${inUse}`;
  }
  if (frameUse(w) === USE_FIRMWARE && w & RMP_IMMUTABLE) return `${base}: SEV legacy TMR`;
  return base;
}

/** INITIAL_VMSA_GPA in arch/x86/kvm/svm/sev.c. */
const INITIAL_VMSA_GPA = 0xfffffffff000;

function backingText(m: Machine, o: Owner): string {
  if (o.via === 'gmem') return m.design.gmemMapLabel;
  const kind = o.guest.userMap[Math.floor(o.gfn / REGION)] ?? 0;
  return `${MAP_NAMES[kind]} user mapping (${o.guest.spec.backing})`;
}

/** Does outcome i cover this frame: its 4K frame, its 2 MiB region, or its 1 GiB block? */
function touches(log: OutcomeLog, i: number, pfn: number): boolean {
  const o = log.get(i);
  if (o.pfn < 0) return false;
  if (o.pfn === pfn) return true;
  const wide =
    (o.kind === 'dm-split' && o.detail === 1) || (o.kind === 'folio-split' && o.detail === 18);
  if (wide) return Math.floor(o.pfn / GIG) === Math.floor(pfn / GIG);
  return Math.floor(o.pfn / REGION) === Math.floor(pfn / REGION);
}

export function frameHistory(m: Machine, log: OutcomeLog, pfn: number, step: number): OutcomeRow[] {
  const end = log.lowerBound(step + 1);
  const rows: OutcomeRow[] = [];
  for (let i = end - 1; i >= 0 && rows.length < MAX_HISTORY; i--) {
    if (log.kindAt(i) === 'ignored' || !touches(log, i, pfn)) continue;
    rows.push(outcomeRow(m, i, log.get(i)));
  }
  return rows.reverse();
}

export function inspectFrame(
  m: Machine,
  log: OutcomeLog,
  pfn: number,
  step: number,
  ptdumpLine: string,
): FrameInfo {
  const inRange = pfn >= 0 && pfn < m.totalPages && Number.isInteger(pfn);
  const w = inRange ? m.frames.get(pfn) : 0;
  const assigned = (w & RMP_ASSIGNED) !== 0;
  const owner = inRange ? findOwner(m, pfn, w) : null;
  const hp = inRange ? hostPageOf(m, pfn, w) : null;
  const gpa = owner ? hex(owner.gfn * PAGE_SIZE) : null;
  // Firmware pages (immutable, rmp_mark_pages_firmware) have ASID 0 whoever they serve.
  const asid = !assigned || w & RMP_IMMUTABLE ? 0 : ownerOf(w) + 1;
  const rmpGpa = hp?.p.kind === 'vmsa' ? hex(INITIAL_VMSA_GPA) : gpa;
  const rmp2m = inRange && m.rmp2m[Math.floor(pfn / REGION)] === 1;
  return {
    pfn,
    physAddr: hex(pfn * PAGE_SIZE),
    directMapVa: directMapVa(pfn * PAGE_SIZE, m.spec.host.la57),
    dmLevel: inRange ? frameLevel(m, pfn) : null,
    tableWalk: tableWalk(
      inRange ? m.dm.levelOf(pfn) : null,
      m.spec.host.la57 === true,
      inRange && frameLevel(m, pfn) !== null,
    ),
    ptdumpLine,
    use: inRange ? frameUseText(w, hp) : 'hole',
    rmp: {
      assigned,
      pagesize: rmp2m ? '2M' : '4K',
      immutable: (w & RMP_IMMUTABLE) !== 0,
      asid,
      gpa: assigned ? rmpGpa : null,
      validated: (w & RMP_VALIDATED) !== 0,
      vmsa: (w & RMP_VMSA) !== 0,
    },
    guest: owner ? owner.guest.spec.name : hp ? hp.g.spec.name : null,
    gpa,
    vmmBacking: owner ? backingText(m, owner) : null,
    history: inRange ? frameHistory(m, log, pfn, step) : [],
    splitBy: inRange ? splitProvenance(m, log, pfn, step) : { pmd: null, pud: null },
  };
}

/** The newest dm-split outcome at or before `step` for this region (pud: detail 1) or null. */
function splitOutcome(log: OutcomeLog, first: number, pud: boolean, step: number) {
  for (let i = log.lowerBound(step + 1) - 1; i >= 0; i--) {
    if (log.kindAt(i) !== 'dm-split') continue;
    const o = log.get(i);
    if (o.pfn === first && (o.detail === 1) === pud) return o;
  }
  return null;
}

/** Who split the frame's region and block, by which call, at which step, and can it heal. */
export function splitProvenance(
  m: Machine,
  log: OutcomeLog,
  pfn: number,
  step: number,
): { pmd: SplitProvenance | null; pud: SplitProvenance | null } {
  const r = Math.floor(pfn / REGION);
  const g = Math.floor(pfn / GIG);
  const one = (
    site: number,
    first: number,
    pud: boolean,
    heal: boolean,
  ): SplitProvenance | null => {
    const s = SITES[site];
    if (!s || site === 0) return null;
    const c = hostCause(s.cause);
    const o = splitOutcome(log, first, pud, step);
    return {
      cause: s.cause,
      label: c?.label ?? (s.cause === 'snp' ? `SEV-SNP (${m.design.label})` : 'boot layout'),
      status: c?.status ?? 'merged',
      call: s.call,
      step: o ? o.step : null,
      rule: o ? o.rule : null,
      canHeal: heal && (c?.heals ?? false),
    };
  };
  const dm = m.dm;
  return {
    pmd: dm.pmd[r] === PMD_TABLE ? one(dm.pmdSite[r]!, r * REGION, false, canHeal(m, r)) : null,
    pud: dm.pud[g] === PUD_TABLE ? one(dm.pudSite[g]!, g * GIG, true, canHeal(m, r)) : null,
  };
}

/**
 * The levels a walk of a direct-map address visits (pgd, p4d only with 5-level paging, pud,
 * pmd, pte; lookup_address() in arch/x86/mm/pat/set_memory.c), ending at the entry of `level`
 * (the table structure, DirectMap.levelOf()); `present` false: that entry is not present
 * (set_direct_map_invalid_noflush). `level` null: no table maps the address (a hole).
 */
export function tableWalk(level: '4K' | '2M' | '1G' | null, la57: boolean, present = true): string {
  const upper = la57 ? ['pgd', 'p4d', 'pud'] : ['pgd', 'pud'];
  const paging = la57 ? '5-level paging' : '4-level paging, p4d folded';
  if (level === null) return `${upper.join(' → ')} → … (not mapped; ${paging})`;
  const leaf = present ? '' : ', not present';
  const path =
    level === '1G'
      ? [...upper.slice(0, -1), `pud (1G leaf${leaf})`]
      : level === '2M'
        ? [...upper, `pmd (2M leaf${leaf})`]
        : [...upper, 'pmd', `pte (4K${leaf})`];
  return `${path.join(' → ')} (${paging})`;
}

/** The ptdump line covering a frame: addresses are fixed-width hex, so strings compare. */
export function ptdumpLineOf(lines: readonly string[], pfn: number, la57 = false): string {
  const base = la57 ? PAGE_OFFSET_LA57 : PAGE_OFFSET;
  const va = `0x${(base + BigInt(pfn) * BigInt(PAGE_SIZE)).toString(16).padStart(16, '0')}`;
  let lo = 1;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lines[mid]!.slice(19, 37) <= va) lo = mid + 1;
    else hi = mid;
  }
  const line = lines[lo] ?? '';
  return line.startsWith('0x') && line.slice(0, 18) <= va ? line : '';
}
