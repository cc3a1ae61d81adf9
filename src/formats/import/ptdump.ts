/**
 * Rebuild the direct map (1G/2M/4K runs in physical addresses) and its DirectMap totals from an
 * x86-64 ptdump.
 *
 * The direct map is found by address, not by marker: the markers are set by pt_dump_init(), an
 * initcall, so a dump printed earlier (efi=debug dumps efi_mm from efi_enter_virtual_mode())
 * advances one marker per line while their addresses are still 0 and files the direct map under
 * "Vmemmap" or later. In order:
 *   1. an explicit page_offset_base;
 *   2. a known base (Documentation/arch/x86/x86_64/mm.rst): 0xffff888000000000 (4-level, since
 *      4.20), 0xff11000000000000 (5-level), 0xffff880000000000 and 0xff10000000000000 (older);
 *   3. the line after "Low Kernel Mapping", if it looks like the start of the direct map;
 *   4. KASLR (kernel_randomize_memory() keeps page_offset_base 1 GiB aligned and puts the direct
 *      map below vmalloc and vmemmap): the lowest 1 GiB-aligned RW NX mapping in the kernel half
 *      whose region holds an RW NX GLB large page.
 * With a base found by 1, 3 or 4 the region ends at the next marker or at the first run of holes of
 * 1 TiB or more (KASLR pads at least 10 TiB after RAM); with a known base it spans the layout's
 * direct-map size (64 TiB, or 32 PiB with 5-level paging).
 *
 * Totals count present leaves only. An entry removed with set_direct_map_invalid_noflush() prints
 * the same blank columns as an empty one, so it cannot be told apart; /proc/meminfo still counts it
 * (direct_pages_count changes on splits, not on removal), which is where the two can differ.
 */
import { countPieces, type MapPiece } from '../../machine/boot-layout';
import { PAGE_OFFSET, type PageLevel } from '../../machine/units';
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
const KERNEL_HALF = 0xff00000000000000n;
const LA57_TOP = 0xffff800000000000n;
/** __START_KERNEL_map: the kernel image and modules are above the direct map. */
const HIGH_KERNEL_MAP = 0xffffffff80000000n;
const SZ_1G = 1n << 30n;
const SZ_2M = 1n << 21n;
const SZ_1T = 1n << 40n;
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
  for (const base of KNOWN_BASES) {
    const span = base < LA57_TOP ? SPAN_L5 : SPAN_L4;
    // init_mem_mapping() always maps physical 0 (the ISA range), so the base itself is present.
    if (lines.some((l) => l.present && l.start === base)) {
      return { base, source: 'known', end: base + span };
    }
  }
  const low = pt.markers.find((m) => m.name === 'Low Kernel Mapping');
  const first = low ? lines[low.nextIndex] : undefined;
  if (low && first && looksLikeBase(first)) {
    const next = pt.markers.find((m) => m.line > low.line && m.nextIndex > low.nextIndex);
    const nextLine = next ? lines[next.nextIndex] : undefined;
    const end = nextLine ? nextLine.start : regionEnd(lines, low.nextIndex, first.start);
    return { base: first.start, source: 'marker', end };
  }
  return detectKaslrBase(lines);
}

function looksLikeBase(l: PtLine): boolean {
  return (
    l.present &&
    l.rw &&
    l.nx &&
    l.start % SZ_1G === 0n &&
    l.start >= KERNEL_HALF &&
    l.start < HIGH_KERNEL_MAP
  );
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

function detectKaslrBase(lines: readonly PtLine[]): Base | ImportError {
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    if (!looksLikeBase(l)) {
      i++;
      continue;
    }
    const end = regionEnd(lines, i, l.start);
    let j = i;
    let large = false;
    for (; j < lines.length && lines[j]!.start < end; j++) {
      const m = lines[j]!;
      if (m.present && m.rw && m.nx && m.glb && (m.level === 'pmd' || m.level === 'pud'))
        large = true;
    }
    if (large) return { base: l.start, source: 'detected', end };
    i = Math.max(j, i + 1);
  }
  return {
    line: 0,
    message: 'cannot find the direct map: no 1 GiB-aligned RW NX region with large pages',
    expected: 'a dump that includes the Low Kernel Mapping, or an explicit page_offset_base',
  };
}
