/**
 * The kernel direct map printed exactly as /sys/kernel/debug/page_tables/kernel prints it.
 *
 * Sources (arch/x86/mm/dump_pagetables.c, mm/ptdump.c, mm/pagewalk.c):
 * - note_page(): one line per run of entries with equal prot, equal effective prot and equal
 *   level; a run also breaks at an address marker. Line format "0x%016lx-0x%016lx   %9lu%c "
 *   where the size is divided by 1024 only while it stays divisible
 *   (`while (!(delta & 1023) && unit[1])`), so 1022M, 2008K and a zero-length 0E are printed as is.
 * - printk_prot(): eight columns USR, RW/ro, PWT, PCD, PSE (levels pgd..pmd only), PAT, GLB, NX/x;
 *   thirty blanks when the entry is not present; then the level name pgd/p4d/pud/pmd/pte.
 * - ptdump_hole(): an empty entry is noted with val 0 at the depth of the table that holds it
 *   (walk_*_range → pte_hole(addr, next, depth)); on a 4-level host the folded p4d makes a top-level
 *   hole "pgd" (real_depth()), on a 5-level host empty p4d entries print "p4d".
 * - ptdump_pte_entry(): every entry of a PTE table is noted, so holes inside a split 2 MiB region
 *   are "pte" lines.
 *
 * Direct-map leaves are PAGE_KERNEL (RW, GLB, NX; PSE on 2M/1G leaves); AMD hosts run without PTI,
 * so GLB is set. Addresses are virtual: page_offset_base + physical address, 64-bit, so BigInt.
 */
import { PAGE_OFFSET, PAGE_OFFSET_LA57, type PageLevel } from '../machine/units';

export type PtdumpLevel = 'pgd' | 'p4d' | 'pud' | 'pmd' | 'pte';

/** One run of the direct map in physical bytes [start, end), mapped or removed at one page size. */
export interface DirectMapEntry {
  start: number;
  end: number;
  level: PageLevel;
  /** false: the entries exist but are not present (set_direct_map_invalid_noflush). Default true. */
  present?: boolean;
  /** Default true (PAGE_KERNEL). */
  nx?: boolean;
  /** Default true (PAGE_KERNEL). */
  rw?: boolean;
  /** Default true (PAGE_KERNEL without PTI). */
  glb?: boolean;
}

export interface PtdumpWriteOptions {
  /** page_offset_base; default 0xffff888000000000 (4-level) or 0xff11000000000000 (5-level). */
  pageOffset?: bigint;
  /** 5-level paging (LA57): 256 TiB pgd entries and p4d tables. */
  fiveLevel?: boolean;
  /** Where the next marker (vmalloc() Area) starts; default VMALLOC_START of the layout. */
  end?: bigint;
}

/** Documentation/arch/x86/x86_64/mm.rst. */
export const PAGE_OFFSET_L4 = PAGE_OFFSET;
export const PAGE_OFFSET_L5 = PAGE_OFFSET_LA57;
export const VMALLOC_START_L4 = 0xffffc90000000000n;
export const VMALLOC_START_L5 = 0xffa0000000000000n;

const SZ_4K = 1n << 12n;
const SZ_2M = 1n << 21n;
const SZ_1G = 1n << 30n;
const SZ_512G = 1n << 39n;
const SZ_256T = 1n << 48n;

const LEAF_LEVEL: Record<PageLevel, PtdumpLevel> = { '4K': 'pte', '2M': 'pmd', '1G': 'pud' };
const LEVEL_BYTES: Record<PageLevel, bigint> = { '4K': SZ_4K, '2M': SZ_2M, '1G': SZ_1G };
const NOT_PRESENT = ' '.repeat(30);
/** note_page(): static const char units[] = "BKMGTPE". */
const UNITS = 'BKMGTPE';

/** "%9lu%c" of note_page(): divide by 1024 while divisible, up to E (0 prints as 0E). */
export function formatPtdumpSize(bytes: bigint): string {
  let delta = bytes;
  let unit = 0;
  while ((delta & 1023n) === 0n && unit < UNITS.length - 1) {
    delta >>= 10n;
    unit++;
  }
  return `${delta.toString().padStart(9, ' ')}${UNITS[unit]}`;
}

/** printk_prot() for a present entry. PSE is shown for pgd..pmd leaves only ("Bit 7 ... PAT"). */
export function formatPtdumpFlags(f: {
  usr?: boolean;
  rw: boolean;
  pwt?: boolean;
  pcd?: boolean;
  pse: boolean;
  pat?: boolean;
  glb: boolean;
  nx: boolean;
}): string {
  return (
    (f.usr ? 'USR ' : '    ') +
    (f.rw ? 'RW ' : 'ro ') +
    (f.pwt ? 'PWT ' : '    ') +
    (f.pcd ? 'PCD ' : '    ') +
    (f.pse ? 'PSE ' : '    ') +
    (f.pat ? 'PAT ' : '    ') +
    (f.glb ? 'GLB ' : '    ') +
    (f.nx ? 'NX ' : 'x  ')
  );
}

/** One ptdump line: note_page()'s address and size columns, then printk_prot(). */
export function formatPtdumpLine(
  start: bigint,
  end: bigint,
  flags: string | null,
  level: PtdumpLevel,
): string {
  const hex = (v: bigint) => `0x${v.toString(16).padStart(16, '0')}`;
  return `${hex(start)}-${hex(end)}   ${formatPtdumpSize(end - start)} ${flags ?? NOT_PRESENT}${level}`;
}

interface Segment {
  start: bigint;
  end: bigint;
  level: PtdumpLevel;
  /** printk_prot() columns, or null when not present. */
  flags: string | null;
  /** What note_page() compares: prot and effective prot (a removed entry keeps GLB/NX bits). */
  key: string;
}

interface VEntry {
  start: bigint;
  end: bigint;
  level: PageLevel;
}

const roundDown = (x: bigint, a: bigint) => x - (x % a);
const roundUp = (x: bigint, a: bigint) => roundDown(x + a - 1n, a);

/**
 * The level name note_page() receives for an empty entry at x, between the entries prev and next
 * (the gap holds no entry). A table exists for a region only where some entry intersects it, and
 * only prev or next can intersect a region that also touches the gap.
 */
function holeLevel(
  x: bigint,
  prev: VEntry | undefined,
  next: VEntry | undefined,
  fiveLevel: boolean,
): PtdumpLevel {
  const hasTable = (size: bigint, levels: readonly PageLevel[]) => {
    const rs = roundDown(x, size);
    const re = rs + size;
    return (
      (prev !== undefined && prev.end > rs && levels.includes(prev.level)) ||
      (next !== undefined && next.start < re && levels.includes(next.level))
    );
  };
  if (hasTable(SZ_2M, ['4K'])) return 'pte';
  if (hasTable(SZ_1G, ['4K', '2M'])) return 'pmd';
  if (hasTable(SZ_512G, ['4K', '2M', '1G'])) return 'pud';
  if (fiveLevel && hasTable(SZ_256T, ['4K', '2M', '1G'])) return 'p4d';
  return 'pgd';
}

function holeSegments(
  a: bigint,
  b: bigint,
  prev: VEntry | undefined,
  next: VEntry | undefined,
  fiveLevel: boolean,
): Segment[] {
  const sizes = fiveLevel ? [SZ_2M, SZ_1G, SZ_512G, SZ_256T] : [SZ_2M, SZ_1G, SZ_512G];
  const points = new Set<bigint>([a, b]);
  for (const s of sizes) {
    for (const p of [roundUp(a, s), roundDown(b, s)]) if (p > a && p < b) points.add(p);
  }
  const sorted = [...points].sort((p, q) => (p < q ? -1 : p > q ? 1 : 0));
  const out: Segment[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const s = sorted[i]!;
    const level = holeLevel(s, prev, next, fiveLevel);
    out.push({ start: s, end: sorted[i + 1]!, level, flags: null, key: 'none' });
  }
  return out;
}

function entrySegment(e: DirectMapEntry, v: VEntry): Segment {
  const rw = e.rw ?? true;
  const nx = e.nx ?? true;
  const glb = e.glb ?? true;
  const level = LEAF_LEVEL[e.level];
  if (e.present === false) {
    // __set_pages_np() clears _PAGE_PRESENT|_PAGE_RW; GLB/NX remain, so it is not a hole.
    return { start: v.start, end: v.end, level, flags: null, key: `np:${glb}:${nx}` };
  }
  const flags = formatPtdumpFlags({ rw, pse: e.level !== '4K', glb, nx });
  return { start: v.start, end: v.end, level, flags, key: flags };
}

function checkEntries(entries: readonly DirectMapEntry[], span: bigint): void {
  let lastEnd = 0;
  for (const e of entries) {
    const size = Number(LEVEL_BYTES[e.level]);
    const bad =
      !Number.isSafeInteger(e.start) ||
      !Number.isSafeInteger(e.end) ||
      e.start < lastEnd ||
      e.end <= e.start ||
      e.start % size !== 0 ||
      e.end % size !== 0 ||
      BigInt(e.end) > span;
    if (bad) {
      throw new RangeError(
        `direct-map entry [${e.start}, ${e.end}) ${e.level} is unsorted, overlapping or unaligned`,
      );
    }
    lastEnd = e.end;
  }
}

/** The Low Kernel Mapping section of the kernel's ptdump for these direct-map entries. */
export function formatPtdump(
  entries: readonly DirectMapEntry[],
  opts: PtdumpWriteOptions = {},
): string {
  const fiveLevel = opts.fiveLevel ?? false;
  const defaultBase = fiveLevel ? PAGE_OFFSET_L5 : PAGE_OFFSET_L4;
  const base = opts.pageOffset ?? defaultBase;
  // Without KASLR the next marker is VMALLOC_START; keep the same distance for a moved base.
  const end = opts.end ?? base + ((fiveLevel ? VMALLOC_START_L5 : VMALLOC_START_L4) - defaultBase);
  checkEntries(entries, end - base);

  const segs: Segment[] = [];
  let prev: VEntry | undefined;
  let cursor = base;
  for (const e of entries) {
    const v: VEntry = { start: base + BigInt(e.start), end: base + BigInt(e.end), level: e.level };
    if (v.start > cursor) segs.push(...holeSegments(cursor, v.start, prev, v, fiveLevel));
    segs.push(entrySegment(e, v));
    prev = v;
    cursor = v.end;
  }
  if (end > cursor) segs.push(...holeSegments(cursor, end, prev, undefined, fiveLevel));

  const lines = ['---[ Low Kernel Mapping ]---'];
  let run: Segment | undefined;
  for (const s of segs) {
    if (run && run.level === s.level && run.key === s.key && run.end === s.start) {
      run.end = s.end;
      continue;
    }
    if (run) lines.push(formatPtdumpLine(run.start, run.end, run.flags, run.level));
    run = { ...s };
  }
  if (run) lines.push(formatPtdumpLine(run.start, run.end, run.flags, run.level));
  lines.push('---[ vmalloc() Area ]---');
  return `${lines.join('\n')}\n`;
}
