/**
 * Reading the lines of an x86 ptdump (/sys/kernel/debug/page_tables/kernel, the older
 * /sys/kernel/debug/kernel_page_tables, or a dmesg copy), as note_page() and printk_prot() in
 * arch/x86/mm/dump_pagetables.c print them:
 *   "0x%016lx-0x%016lx   %9lu%c " + flag columns (or 30 blanks) + level name,
 *   "---[ %s ]---" address markers, and "... %lu entr%s skipped ... " after a marker whose
 *   max_lines was reached (the ESPfix area, 16 lines).
 * Flags are read as words, so a copy whose blanks were squeezed still parses.
 */
import { fail, type ImportError, kernelLines, type Parsed, parseHex } from './common';

export type PtLevelName = 'cr3' | 'pgd' | 'p4d' | 'pud' | 'pmd' | 'pte';

export interface PtLine {
  line: number;
  start: bigint;
  end: bigint;
  present: boolean;
  rw: boolean;
  nx: boolean;
  glb: boolean;
  pse: boolean;
  level: PtLevelName;
  /** The marker printed last before this line. */
  marker: string | null;
}

export interface PtMarker {
  line: number;
  name: string;
  /** Index into lines of the first range line after this marker. */
  nextIndex: number;
}

export interface PtLines {
  lines: PtLine[];
  markers: PtMarker[];
  /** Address ranges with no line (after "entries skipped" or a lost dmesg line). */
  gaps: { start: bigint; end: bigint; afterLine: number; skipped: boolean }[];
}

const RANGE = /^0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\s+(\d{1,20})([BKMGTPE])(?:\s+(.*))?$/;
const RANGE_START = /^0x[0-9a-fA-F]+-/;
const MARKER = /^---\[ (.{1,80}) \]---\s*$/;
const SKIPPED = /^\.\.\. (\d{1,20}) entr(?:y|ies) skipped \.\.\.\s*$/;
const LEVELS: readonly string[] = ['cr3', 'pgd', 'p4d', 'pud', 'pmd', 'pte'];
/** printk_prot() words, as bits of a small mask (not page-table bits). */
const F = {
  USR: 1,
  RW: 2,
  ro: 4,
  PWT: 8,
  PCD: 16,
  PSE: 32,
  PAT: 64,
  GLB: 128,
  NX: 256,
  x: 512,
} as const;
const FLAG_BITS = new Map<string, number>(Object.entries(F));
const UNIT_SHIFT: Record<string, bigint> = {
  B: 0n,
  K: 10n,
  M: 20n,
  G: 30n,
  T: 40n,
  P: 50n,
  E: 60n,
};
const ARM64_WORDS = /\b(?:PTE|PMD|PUD|PGD|BLK|UXN|MEM\/NORMAL\S*|DEVICE\/\S+)\b/;

const EXPECT_LINE =
  '"0x<16 hex digits>-0x<16 hex digits>   <size><B|K|M|G|T|P|E> <flags> <pgd|p4d|pud|pmd|pte>"';

export function readPtdumpLines(text: string): Parsed<PtLines> {
  const { lines: raw } = kernelLines(text);
  const out: PtLines = { lines: [], markers: [], gaps: [] };
  const errors: ImportError[] = [];
  let marker: string | null = null;
  let skipped = false;
  let prevEnd: bigint | null = null;
  const lastHex: HexCache = { text: '', value: 0n };
  for (let i = 0; i < raw.length && errors.length < 20; i++) {
    const s = raw[i]!.trim();
    const lineNo = i + 1;
    if (s === '') continue;
    const mk = MARKER.exec(s);
    if (mk) {
      marker = mk[1]!;
      out.markers.push({ line: lineNo, name: marker, nextIndex: out.lines.length });
      continue;
    }
    if (SKIPPED.test(s)) {
      skipped = true;
      continue;
    }
    if (!RANGE_START.test(s)) continue; // other dmesg messages between the lines
    const parsed = parseRangeLine(s, lineNo, marker, lastHex);
    if ('message' in parsed) {
      errors.push(parsed);
      continue;
    }
    if (prevEnd !== null && parsed.start < prevEnd) {
      errors.push({
        line: lineNo,
        message: `range starts at 0x${parsed.start.toString(16)}, before the previous line ended (0x${prevEnd.toString(16)}): a second dump or reordered lines`,
        expected: 'one dump, lines in address order',
      });
      continue;
    }
    if (prevEnd !== null && parsed.start > prevEnd) {
      out.gaps.push({ start: prevEnd, end: parsed.start, afterLine: lineNo - 1, skipped });
    }
    skipped = false;
    prevEnd = parsed.end;
    out.lines.push(parsed);
  }
  if (errors.length > 0) return { ok: false, errors, warnings: [] };
  if (out.lines.length === 0) {
    return fail(0, 'no page-table lines found', EXPECT_LINE);
  }
  return { ok: true, value: out, warnings: [] };
}

/** The last address converted to BigInt, by its hex text. */
interface HexCache {
  text: string;
  value: bigint;
}

function parseRangeLine(
  s: string,
  line: number,
  marker: string | null,
  lastHex: HexCache,
): PtLine | ImportError {
  const m = RANGE.exec(s);
  if (!m) {
    return {
      line,
      message: `truncated or malformed page-table line "${clip(s)}"`,
      expected: EXPECT_LINE,
    };
  }
  const [, a = '', b = '', num = '', unit = '', rest = ''] = m;
  if (a.length === 8 && b.length === 8) {
    return {
      line,
      message: '32-bit page-table dump (8-digit addresses); Fracture models the x86-64 direct map',
      expected: 'a dump from a 64-bit x86 kernel (16-digit addresses)',
    };
  }
  // Consecutive lines share an address (end of one = start of the next): convert it once.
  const start = a === lastHex.text ? lastHex.value : parseHex(a);
  let end = parseHex(b);
  if (end !== null) {
    lastHex.text = b;
    lastHex.value = end;
  }
  // The final flush, note_page(st, 0, -1, 0), ends at address 0: the range wraps past 2^64.
  if (end === 0n && start !== null && start > 0n) end = 1n << 64n;
  if (start === null || end === null || a.length !== 16 || b.length !== 16) {
    return { line, message: `addresses "${clip(s)}" are not 64-bit`, expected: EXPECT_LINE };
  }
  const words = rest.split(/\s+/);
  let level = words.pop();
  if (level === '' && words.length > 0) level = words.pop();
  let flags = 0;
  let unknown: string | undefined;
  for (const w of words) {
    const bit = FLAG_BITS.get(w);
    if (bit !== undefined) flags |= bit;
    else if (w !== '') unknown ??= w;
  }
  if ((unknown !== undefined || !LEVELS.includes(level ?? '')) && ARM64_WORDS.test(rest)) {
    return {
      line,
      message: 'this is an arm64 page-table dump; Fracture models the x86-64 direct map',
      expected: 'an x86-64 dump (/sys/kernel/debug/page_tables/kernel)',
    };
  }
  if (level === undefined || !LEVELS.includes(level)) {
    return {
      line,
      message: `line ends with "${level ?? ''}" instead of a level name`,
      expected: 'pgd, p4d, pud, pmd or pte at the end of the line',
    };
  }
  if (unknown !== undefined) {
    return {
      line,
      message: `unknown flag "${clip(unknown)}"`,
      expected: `flags among ${Object.keys(F).join(' ')} (printk_prot)`,
    };
  }
  const size = BigInt(num) << (UNIT_SHIFT[unit] ?? 0n);
  if (end - start !== size) {
    return {
      line,
      message: `size ${num}${unit} does not match the range (0x${(end - start).toString(16)} bytes)`,
      expected: 'the size column equal to end - start',
    };
  }
  const present = (flags & (F.RW | F.ro)) !== 0;
  if (!present && flags !== 0) {
    return { line, message: 'flags without RW or ro', expected: 'RW or ro on every present line' };
  }
  return {
    line,
    start,
    end,
    present,
    rw: (flags & F.RW) !== 0,
    nx: (flags & F.NX) !== 0,
    glb: (flags & F.GLB) !== 0,
    pse: (flags & F.PSE) !== 0,
    level: level as PtLevelName,
    marker,
  };
}

function clip(s: string): string {
  return s.length > 100 ? `${s.slice(0, 100)}…` : s;
}
