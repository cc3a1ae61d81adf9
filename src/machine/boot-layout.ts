/**
 * The direct map as the kernel builds it at boot (arch/x86/mm/init.c).
 *
 * init_mem_mapping() always maps [0, ISA_END_ADDRESS) with 4K pages, then every usable
 * memblock range. Each range goes through split_mem_range(): 4K up to the first 2 MiB boundary
 * (the whole first 2 MiB when the range starts at PFN 0), 2M up to the first 1 GiB boundary,
 * 1G across the aligned middle (2M without gbpages), then 2M, then a 4K tail.
 * adjust_range_page_size_mask() only widens a piece when the enclosing aligned region is all
 * memory, which cannot happen once adjacent ranges are merged as memblock merges them, so cutting
 * each merged range is exact.
 *
 * Invariant: the pieces are disjoint, sorted, and cover exactly [0,1M) ∪ usable ranges.
 */
import { ISA_END_ADDRESS, type PageLevel, PMD_SIZE, PUD_SIZE, roundDown, roundUp } from './units';

/** A usable physical range [start, end) in bytes, like an e820 "usable" line. */
export interface PhysRange {
  start: number;
  end: number;
}

/** One run of the boot-time direct map mapped at a single page size. */
export interface MapPiece {
  start: number;
  end: number;
  level: PageLevel;
}

/** Sort, clip to whole 4K pages, and merge touching ranges (memblock_add merges neighbours). */
export function normalizeRanges(ranges: readonly PhysRange[]): PhysRange[] {
  const sorted = ranges
    .map((r) => ({ start: roundUp(r.start, 4096), end: roundDown(r.end, 4096) }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  const out: PhysRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/** split_mem_range() for one range, 64-bit. Rule id: dm.boot.split_mem_range. */
export function splitMemRange(start: number, end: number, gbpages: boolean): MapPiece[] {
  const pieces: MapPiece[] = [];
  const save = (s: number, e: number, level: PageLevel) => {
    if (s < e) pieces.push({ start: s, end: e, level });
  };
  let pos = start;
  // Head: "Don't use a large page for the first 2/4MB of memory" (fixed-size MTRRs).
  let headEnd = pos === 0 ? PMD_SIZE : roundUp(pos, PMD_SIZE);
  headEnd = Math.min(headEnd, end);
  if (pos < headEnd) {
    save(pos, headEnd, '4K');
    pos = headEnd;
  }
  // 2M up to the first 1 GiB boundary.
  let s = roundUp(pos, PMD_SIZE);
  let e = Math.min(roundUp(pos, PUD_SIZE), roundDown(end, PMD_SIZE));
  if (s < e) {
    save(s, e, '2M');
    pos = e;
  }
  // 1G across the aligned middle.
  s = roundUp(pos, PUD_SIZE);
  e = roundDown(end, PUD_SIZE);
  if (s < e) {
    save(s, e, gbpages ? '1G' : '2M');
    pos = e;
  }
  // 2M tail, then 4K tail.
  s = roundUp(pos, PMD_SIZE);
  e = roundDown(end, PMD_SIZE);
  if (s < e) {
    save(s, e, '2M');
    pos = e;
  }
  save(pos, end, '4K');
  return mergePieces(pieces);
}

function mergePieces(pieces: MapPiece[]): MapPiece[] {
  const out: MapPiece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last && last.level === p.level && last.end === p.start) last.end = p.end;
    else out.push({ ...p });
  }
  return out;
}

/** The whole boot-time direct map for a host's usable ranges. */
export function bootDirectMap(usable: readonly PhysRange[], gbpages: boolean): MapPiece[] {
  const ranges = normalizeRanges([...usable, { start: 0, end: ISA_END_ADDRESS }]);
  const pieces: MapPiece[] = [];
  for (const r of ranges) {
    if (r.start < ISA_END_ADDRESS) {
      // init_memory_mapping(0, ISA_END_ADDRESS): 4K, and the rest of this range from 1M on.
      pieces.push({ start: r.start, end: Math.min(r.end, ISA_END_ADDRESS), level: '4K' });
      if (r.end > ISA_END_ADDRESS) {
        // A range that starts at PFN 0 keeps its whole first 2 MiB at 4K: the PTE page made for
        // the ISA range stays (phys_pmd_init fills an existing PTE table instead of a leaf).
        const head = r.start === 0 ? Math.min(PMD_SIZE, r.end) : ISA_END_ADDRESS;
        if (head > ISA_END_ADDRESS) pieces.push({ start: ISA_END_ADDRESS, end: head, level: '4K' });
        pieces.push(...splitMemRange(head, r.end, gbpages));
      }
    } else {
      pieces.push(...splitMemRange(r.start, r.end, gbpages));
    }
  }
  return mergePieces(pieces);
}

export interface DirectMapCounts {
  /** direct_pages_count[PG_LEVEL_4K], [PG_LEVEL_2M], [PG_LEVEL_1G]: mappings, not bytes. */
  pages4k: number;
  pages2m: number;
  pages1g: number;
}

export function countPieces(pieces: readonly MapPiece[]): DirectMapCounts {
  const c = { pages4k: 0, pages2m: 0, pages1g: 0 };
  for (const p of pieces) {
    const len = p.end - p.start;
    if (p.level === '4K') c.pages4k += len / 4096;
    else if (p.level === '2M') c.pages2m += len / PMD_SIZE;
    else c.pages1g += len / PUD_SIZE;
  }
  return c;
}
