/**
 * The reference model's version of the SNP host's own RMP traffic (domain.md §4.1), page by
 * page: the RMP table's e820 reservation, the legacy TMR and the platform-status page when ccp /
 * kvm_amd load, and per guest the guest-request pages, the context page, the per-vCPU APIC page,
 * VMCB, VMSA and MSRPM, the launch image and the VMSAs made private at launch finish. Every
 * one of them is a kernel allocation (GFP_KERNEL / GFP_KERNEL_ACCOUNT, or guest_memfd's
 * GFP_HIGHUSER for the image): unmovable, so ZONE_NORMAL first (allocBlock / allocFrames pick
 * that from the frame word).
 */
import {
  frameWord,
  RMP_ASSIGNED,
  RMP_IMMUTABLE,
  RMP_INUSE,
  RMP_VMSA,
  USE_FIRMWARE,
  USE_KERNEL,
} from '../machine/frame-bits';
import { MiB, PAGE_SIZE, PMD_SIZE } from '../machine/units';
import type { G, M } from './reference-alloc';

const R2M = PMD_SIZE / PAGE_SIZE;

/** Reserved [start, end) in bytes for an RMP of 16 B per page plus 16 KiB, or null. */
export function refRmpTable(ranges: { start: number; end: number }[], totalPages: number) {
  const bytes = totalPages * 16 + 16 * 1024;
  for (const r of [...ranges].reverse()) {
    const start = Math.floor((r.end - bytes) / PMD_SIZE) * PMD_SIZE;
    if (start >= Math.max(r.start, MiB)) return { start, end: r.end };
  }
  return null;
}

export interface RefHostPage {
  kind: string;
  pfn: number;
  count: number;
  vcpu: number;
}

/** Pages the host allocated per guest, by guest index. */
const pagesOf = new WeakMap<G, RefHostPage[]>();

function firmwarePage(m: M, owner: number): number {
  const pfn = m.allocBlock(0, frameWord(USE_FIRMWARE, owner));
  if (pfn < 0) return -1;
  m.rmpUpdate(pfn, 1, true, '4K', false, RMP_IMMUTABLE);
  return pfn;
}

/** Page by page: RMPUPDATE to shared each assigned frame, then free the run. */
function release(m: M, p: RefHostPage): void {
  for (let pfn = p.pfn; pfn < p.pfn + p.count; pfn++)
    if (m.word(pfn) & RMP_ASSIGNED) m.rmpUpdate(pfn, 1, false, '4K', false);
  m.freeFrames(p.pfn, p.count);
}

export function refBootTraffic(m: M): void {
  if (!m.rules.snp) return;
  const tmr = m.allocBlock(9, frameWord(USE_FIRMWARE));
  if (tmr >= 0) {
    for (let i = 0; i < R2M; i++) m.rmpUpdate(tmr + i, 1, true, '4K', false, RMP_IMMUTABLE);
  }
  const status = firmwarePage(m, 0);
  if (status >= 0) release(m, { kind: 'status', pfn: status, count: 1, vcpu: -1 });
}

/** snp_safe_alloc_page(): order 1 unmovable, keep the half that is not 2 MiB aligned. */
function safePage(m: M, word: number): number {
  const p = m.alloc.alloc(1, false);
  if (p < 0) return -1;
  const aligned = p % R2M === 0;
  m.alloc.freeBlock(aligned ? p : p + 1, 0);
  const keep = aligned ? p + 1 : p;
  m.setWord(keep, 1, word);
  return keep;
}

export function refLaunchTraffic(m: M, g: G): boolean {
  const pages: RefHostPage[] = [];
  pagesOf.set(g, pages);
  const snpHost = m.rules.snp;
  const snpGuest = snpHost && g.spec.snp;
  const word = frameWord(USE_KERNEL, g.index);
  if (snpGuest) {
    const req = m.allocBlock(0, word);
    if (req < 0) return false;
    pages.push({ kind: 'guest-req', pfn: req, count: 1, vcpu: -1 });
    for (const kind of ['guest-resp', 'context']) {
      const pfn = firmwarePage(m, g.index);
      if (pfn < 0) return false;
      pages.push({ kind, pfn, count: 1, vcpu: -1 });
    }
  }
  for (let v = 0; v < g.spec.vcpus; v++) {
    for (const kind of snpGuest ? ['apic', 'vmcb', 'vmsa'] : ['apic', 'vmcb']) {
      let pfn = -1;
      if (snpHost) pfn = safePage(m, word);
      else {
        pfn = m.allocBlock(0, word);
      }
      if (pfn < 0) return false;
      pages.push({ kind, pfn, count: 1, vcpu: v });
    }
    const msrpm = m.allocBlock(1, word);
    if (msrpm < 0) return false;
    pages.push({ kind: 'msrpm', pfn: msrpm, count: 2, vcpu: v });
  }
  if (!snpHost) return true;
  for (const p of pages) if (p.kind === 'vmcb') m.updateWord(p.pfn, 1, RMP_INUSE, RMP_INUSE);
  if (!snpGuest) return true;
  const image = m.allocFrames((4 * MiB) / PAGE_SIZE, frameWord(USE_FIRMWARE, g.index));
  if (!image) return false;
  for (const r of image) {
    pages.push({ kind: 'image', pfn: r.pfn, count: r.count, vcpu: -1 });
    for (let i = 0; i < r.count; i++) m.rmpUpdate(r.pfn + i, 1, true, '4K', true);
  }
  for (const p of pages) if (p.kind === 'vmsa') m.rmpUpdate(p.pfn, 1, true, '4K', true, RMP_VMSA);
  return true;
}

export function refTeardownTraffic(m: M, g: G): void {
  const pages = pagesOf.get(g) ?? [];
  for (let v = 0; v < g.spec.vcpus; v++)
    for (const kind of ['vmsa', 'vmcb', 'msrpm', 'apic'])
      for (const p of pages) if (p.vcpu === v && p.kind === kind) release(m, p);
  for (const kind of ['guest-resp', 'guest-req', 'context', 'image'])
    for (const p of pages) if (p.kind === kind) release(m, p);
  pagesOf.set(g, []);
}
