/**
 * Rebuild the direct map (1G/2M/4K runs in physical addresses) and its DirectMap totals from an
 * x86-64 ptdump.
 *
 * The direct map is found by address and level, never by flags or markers: the markers are set by
 * pt_dump_init(), an initcall, so a dump printed earlier (efi=debug dumps efi_mm from
 * efi_enter_virtual_mode()) advances one marker per line while their addresses are still 0 and
 * files the direct map under "Vmemmap" or later; with PTI no kernel mapping has GLB; a direct map
 * may start with a long 4K run (debug_pagealloc) or hold no large page at all. So:
 *   1. an explicit page_offset_base; else
 *   2. the lowest present mapping at or above the layout's lowest direct-map base
 *      (0xffff880000000000, or 0xff10000000000000 with 5-level paging: p4d lines or addresses
 *      below 0xffff800000000000), which must start on a 1 GiB boundary with present pte lines
 *      over its first 1 MiB: the direct map maps physical 0 to 1 MiB there with 4K pages (the
 *      ISA range), which tells it from vmalloc and vmemmap, and nothing lies between that floor and
 *      page_offset_base (kernel_randomize_memory() places the direct map first, 1 GiB aligned,
 *      then vmalloc and vmemmap above it).
 * A base at a layout constant (Documentation/arch/x86/x86_64/mm.rst: 0xffff888000000000 since
 * 4.20, 0xff11000000000000 with 5-level paging, 0xffff880000000000 and 0xff10000000000000 before)
 * is "known" and spans the layout's direct-map size (64 TiB, or 32 PiB with 5-level paging);
 * another (KASLR) ends at the first run of holes of 1 TiB or more (KASLR pads at least 10 TiB
 * after RAM), and is "marker" when it is the first line after Low Kernel Mapping, else "detected".
 *
 * Totals count present leaves only. An entry removed with set_direct_map_invalid_noflush() prints
 * the same blank columns as an empty one, so it cannot be told apart; /proc/meminfo still counts it
 * (direct_pages_count changes on splits, not on removal), which is where the two can differ.
 */
import { countPieces, type MapPiece } from '../../machine/boot-layout';
import { ISA_END_ADDRESS, PAGE_OFFSET, type PageLevel } from '../../machine/units';
import { type Meminfo, meminfoFromCounts } from '../meminfo';
import { fail, type ImportError, type Parsed } from './common';
import { type PtLine, type PtLines, readPtdumpLines } from './ptdump-lines';

export interface PtdumpImportOptions {
  /** page_offset_base of the machine, when known (e.g. from /proc/kallsyms or a crash dump). */
  pageOffsetBase?: bigint;
}

export type BaseSource = 'option' | 'known' | 'marker' | 'detected';

export interface PtdumpImport {
  pageOffsetBase: bigint;
  baseSource: BaseSource;
  fiveLevel: boolean;
  /** Present direct-map runs in physical bytes, sorted, merged per level. */
  pieces: MapPiece[];
  meminfo: Meminfo;
  /** True when any 1G mapping is present (the kernel prints DirectMap1G only with gbpages). */
  gbpages: boolean;
  /** The marker the direct map was printed under ("Low Kernel Mapping" unless printed early). */
  marker: string | null;
  /** Virtual end of the region taken as the direct map. */
  regionEnd: bigint;
}

const KNOWN_BASES = [PAGE_OFFSET, 0xff11000000000000n, 0xffff880000000000n, 0xff10000000000000n];
/** The lowest direct-map base of each layout (before 4.20 the direct map started here). */
const FLOOR_L4 = 0xffff880000000000n;
const FLOOR_L5 = 0xff10000000000000n;
const KERNEL_HALF = 0xff00000000000000n;
const LA57_TOP = 0xffff800000000000n;
/** __START_KERNEL_map: the kernel image and modules are above the direct map. */
const HIGH_KERNEL_MAP = 0xffffffff80000000n;
const SZ_1G = 1n << 30n;
const SZ_2M = 1n << 21n;
const SZ_1T = 1n << 40n;
const ISA_END = BigInt(ISA_END_ADDRESS);
const SPAN_L4 = 1n << 46n;
const SPAN_L5 = 1n << 55n;
const MAX_PHYS = BigInt(Number.MAX_SAFE_INTEGER);

const LEVEL_OF: Partial<Record<PtLine['level'], PageLevel>> = { pte: '4K', pmd: '2M', pud: '1G' };

export function parsePtdump(text: string, opts: PtdumpImportOptions = {}): Parsed<PtdumpImport> {
  const read = readPtdumpLines(text);
  if (!read.ok) return read;
  const pt = read.value;
  const found = findBase(pt, opts);
  if ('message' in found) return { ok: false, errors: [found], warnings: [] };
  const { base, source, end } = found;
  const fiveLevel =
    (base >= KERNEL_HALF && base < LA57_TOP) || pt.lines.some((l) => l.level === 'p4d');
  const warnings: string[] = [];
  const pieces: MapPiece[] = [];
  let marker: string | null = null;
  for (const l of pt.lines) {
    if (!l.present || l.end <= base || l.start >= end) continue;
    if (l.start < base || l.end > end) {
      warnings.push(`line ${l.line} crosses the edge of the direct map; only its inside is used`);
    }
    const level = LEVEL_OF[l.level];
    if (level === undefined) {
      return fail(
        l.line,
        `a present ${l.level} leaf cannot be in the x86 direct map`,
        'pte, pmd or pud',
      );
    }
    const s = bigMax(l.start, base) - base;
    const e = bigMin(l.end, end) - base;
    const align = level === '1G' ? SZ_1G : level === '2M' ? SZ_2M : 4096n;
    if (s % align !== 0n || e % align !== 0n) {
      return fail(
        l.line,
        `${l.level} run is not ${level} aligned`,
        `start and end multiples of ${level}`,
      );
    }
    if (e > MAX_PHYS) {
      return fail(l.line, 'physical address above 2^53 bytes', 'a direct map under 8 PiB');
    }
    marker ??= l.marker;
    pushPiece(pieces, { start: Number(s), end: Number(e), level });
  }
  if (pieces.length === 0) {
    return fail(
      0,
      `no present mappings at the direct map (0x${base.toString(16)})`,
      'RW NX lines of the direct map',
    );
  }
  for (const g of pt.gaps) {
    if (g.end > base && g.start < end) {
      const why = g.skipped ? 'entries were skipped' : 'lines are missing';
      warnings.push(
        `after line ${g.afterLine} ${why}: 0x${g.start.toString(16)}-0x${g.end.toString(16)} is unknown and counted as unmapped`,
      );
    }
  }
  if (source === 'detected') {
    warnings.push(
      `direct map detected at 0x${base.toString(16)} (KASLR); pass page_offset_base to override`,
    );
  }
  const meminfo = meminfoFromCounts(countPieces(pieces));
  const value: PtdumpImport = {
    pageOffsetBase: base,
    baseSource: source,
    fiveLevel,
    pieces,
    meminfo,
    gbpages: meminfo.DirectMap1G > 0,
    marker,
    regionEnd: end,
  };
  return { ok: true, value, warnings };
}

const bigMax = (a: bigint, b: bigint) => (a > b ? a : b);
const bigMin = (a: bigint, b: bigint) => (a < b ? a : b);

function pushPiece(pieces: MapPiece[], p: MapPiece): void {
  const last = pieces[pieces.length - 1];
  if (last && last.level === p.level && last.end === p.start) last.end = p.end;
  else pieces.push(p);
}

interface Base {
  base: bigint;
  source: BaseSource;
  end: bigint;
}

function findBase(pt: PtLines, opts: PtdumpImportOptions): Base | ImportError {
  const { lines } = pt;
  if (opts.pageOffsetBase !== undefined) {
    const base = opts.pageOffsetBase;
    if (base % SZ_1G !== 0n || base < KERNEL_HALF) {
      return {
        line: 0,
        message: `page_offset_base 0x${base.toString(16)} is not a 1 GiB-aligned kernel address`,
        expected: 'e.g. 0xffff888000000000',
      };
    }
    const i = lines.findIndex((l) => l.end > base);
    return { base, source: 'option', end: i < 0 ? base : regionEnd(lines, i, base) };
  }
  // By address: nothing is mapped between the layout's lowest direct-map base and the direct map
  // (the guard hole and the LDT remap area lie below it; kernel_randomize_memory() places
  // page_offset_base first, then vmalloc and vmemmap above it). By level: the direct map maps
  // physical 0 at its base with 4K pages (init_mem_mapping(): the ISA range and the rest of the
  // first 2 MiB), so its first lines are present pte leaves from a 1 GiB boundary covering at
  // least 1 MiB (mapsIsaRange). Flags, markers and
  // line order inside the region are not used: PTI dumps have no GLB, early dumps misfile markers.
  const fiveLevel = lines.some(
    (l) => l.level === 'p4d' || (l.present && l.start >= KERNEL_HALF && l.start < LA57_TOP),
  );
  const floor = fiveLevel ? FLOOR_L5 : FLOOR_L4;
  const index = lines.findIndex((l) => l.present && l.start >= floor && l.start < HIGH_KERNEL_MAP);
  const first = index >= 0 ? lines[index] : undefined;
  if (first === undefined || first.start % SZ_1G !== 0n || !mapsIsaRange(lines, index)) {
    const what =
      first === undefined
        ? `no present mapping between 0x${floor.toString(16)} and the kernel image`
        : `the lowest kernel mapping (line ${first.line}, 0x${first.start.toString(16)}, ${first.level}) is not a 1 GiB-aligned start mapping its first 1 MiB with 4K pages`;
    return {
      line: first?.line ?? 0,
      message: `cannot find the direct map: ${what}`,
      expected:
        'a dump that includes the start of the direct map (physical 0, mapped 4K), or an explicit page_offset_base',
    };
  }
  const base = first.start;
  if (KNOWN_BASES.includes(base)) {
    return { base, source: 'known', end: base + (base < LA57_TOP ? SPAN_L5 : SPAN_L4) };
  }
  const low = pt.markers.find((m) => m.name === 'Low Kernel Mapping');
  const source: BaseSource = low?.nextIndex === index ? 'marker' : 'detected';
  return { base, source, end: regionEnd(lines, index, base) };
}

/**
 * The first 1 MiB of the region starting at lines[from] is mapped with present 4K pages, as
 * init_mem_mapping() maps the ISA range [0, ISA_END_ADDRESS): what tells the direct map's base
 * from the first vmalloc or vmemmap mapping, which are 1 GiB aligned too.
 */
function mapsIsaRange(lines: readonly PtLine[], from: number): boolean {
  const base = lines[from]!.start;
  let at = base;
  for (let i = from; i < lines.length && at < base + ISA_END; i++) {
    const l = lines[i]!;
    if (!l.present || l.level !== 'pte' || l.start !== at) return false;
    at = l.end;
  }
  return at >= base + ISA_END;
}

/** End of the region starting at lines[from]: the start of the first hole run of ≥ 1 TiB. */
function regionEnd(lines: readonly PtLine[], from: number, base: bigint): bigint {
  let holeStart: bigint | null = null;
  let last = base;
  for (let i = from; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.start >= HIGH_KERNEL_MAP) break;
    if (l.present) {
      holeStart = null;
    } else {
      holeStart ??= l.start;
      if (l.end - holeStart >= SZ_1T) return holeStart;
    }
    last = l.end;
  }
  return holeStart ?? last;
}
