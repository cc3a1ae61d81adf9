/**
 * /proc/meminfo DirectMap lines and /proc/vmstat direct-map counters, and the decomposition of the
 * change between two snapshots into whole splits.
 *
 * arch_report_meminfo() (arch/x86/mm/pat/set_memory.c) prints "DirectMap4k:", "DirectMap2M:" and,
 * with direct_gbpages, "DirectMap1G:" in kB; a 32-bit non-PAE kernel prints "DirectMap4M:". s390
 * prints DirectMap1M/DirectMap2G, other architectures none. /proc/vmstat counts
 * direct_map_level2_splits (2M→4K) and direct_map_level3_splits (1G→2M); v6.15 adds
 * direct_map_level2_collapses / direct_map_level3_collapses.
 */
import type { Meminfo, VmstatSplits } from '../meminfo';
import { fail, type ImportError, kernelLines, type Parsed } from './common';

export interface MeminfoImport {
  meminfo: Meminfo;
  /** A DirectMap1G line was printed: the kernel runs with direct_gbpages. */
  gbpages: boolean;
  /** vmstat counters found in the same text (`cat /proc/meminfo /proc/vmstat`). */
  vmstat: VmstatCounters | null;
}

export interface VmstatCounters extends VmstatSplits {
  direct_map_level2_collapses: number | null;
  direct_map_level3_collapses: number | null;
}

const KB_LINE = /^([A-Za-z][A-Za-z0-9_()]{0,40}):\s+(\d{1,20})(?:\s+kB)?\s*$/;
const VM_LINE = /^([a-z][a-z0-9_]{0,60})\s+(\d{1,20})\s*$/;
const DIRECTMAP_KEYS = ['DirectMap4k', 'DirectMap2M', 'DirectMap1G'] as const;
const FOREIGN: Record<string, string> = {
  DirectMap4M: 'a 32-bit non-PAE x86 kernel (DirectMap4M); Fracture models x86-64',
  DirectMap1M: 'an s390 kernel (DirectMap1M); Fracture models x86-64',
  DirectMap2G: 'an s390 kernel (DirectMap2G); Fracture models x86-64',
};
/** kB per mapping: 4K, 2M and 1G pages. */
const UNIT_KB = { DirectMap4k: 4, DirectMap2M: 2048, DirectMap1G: 1048576 } as const;

interface Field {
  value: number;
  line: number;
}

/**
 * Every field meminfo_proc_show() (fs/proc/meminfo.c), hugetlb_report_meminfo() (mm/hugetlb.c) and
 * arch_report_meminfo() print. All are unsigned (show_val_kb() takes an unsigned long, the hugetlb
 * counts are %lu), so a negative or non-numeric value is a damaged or hand-edited copy.
 */
const MEMINFO_KEYS = new Set([
  'MemTotal',
  'MemFree',
  'MemAvailable',
  'Buffers',
  'Cached',
  'SwapCached',
  'Active',
  'Inactive',
  'Active(anon)',
  'Inactive(anon)',
  'Active(file)',
  'Inactive(file)',
  'Unevictable',
  'Mlocked',
  'HighTotal',
  'HighFree',
  'LowTotal',
  'LowFree',
  'MmapCopy',
  'SwapTotal',
  'SwapFree',
  'Zswap',
  'Zswapped',
  'Dirty',
  'Writeback',
  'AnonPages',
  'Mapped',
  'Shmem',
  'KReclaimable',
  'Slab',
  'SReclaimable',
  'SUnreclaim',
  'KernelStack',
  'ShadowCallStack',
  'PageTables',
  'SecPageTables',
  'NFS_Unstable',
  'Bounce',
  'WritebackTmp',
  'CommitLimit',
  'Committed_AS',
  'VmallocTotal',
  'VmallocUsed',
  'VmallocChunk',
  'Percpu',
  'HardwareCorrupted',
  'AnonHugePages',
  'ShmemHugePages',
  'ShmemPmdMapped',
  'FileHugePages',
  'FilePmdMapped',
  'CmaTotal',
  'CmaFree',
  'Unaccepted',
  'Balloon',
  'HugePages_Total',
  'HugePages_Free',
  'HugePages_Rsvd',
  'HugePages_Surp',
  'Hugepagesize',
  'Hugetlb',
]);
const MEMINFO_FIELD = /^([A-Za-z][A-Za-z0-9_()]{0,40}):\s*(.*)$/;
const DIRECTMAP_FIELD = /^(DirectMap\w+):?\s*(.*)$/;
const VM_DIRECT_MAP = /^(direct_map_\w+)\s*(.*)$/;
/** vmstat_show() prints every counter unsigned; "nr_* -<n>" is never kernel output. */
const VM_NEGATIVE = /^(nr_\w+)\s+(-\d.*)$/;

type Malformed = (line: string) => { key: string; found: string; expected: string } | null;

const KB_EXPECTED = 'a number of kB, as "MemTotal:    2048 kB" (meminfo values are unsigned)';
const COUNT_EXPECTED = 'a count, as "direct_map_level2_splits 12" (vmstat counters are unsigned)';

/**
 * A line that names a field this file knows but does not have its form (a value that is negative
 * or not a count): the error names the line and what is wrong, rather than skipping it.
 */
const MALFORMED = new Map<RegExp, Malformed>([
  [
    KB_LINE,
    (line) => {
      const d = DIRECTMAP_FIELD.exec(line);
      if (d) return { key: d[1]!, found: d[2]!, expected: KB_EXPECTED };
      const f = MEMINFO_FIELD.exec(line);
      if (f && MEMINFO_KEYS.has(f[1]!)) return { key: f[1]!, found: f[2]!, expected: KB_EXPECTED };
      return null;
    },
  ],
  [
    VM_LINE,
    (line) => {
      const f = VM_DIRECT_MAP.exec(line) ?? VM_NEGATIVE.exec(line);
      return f ? { key: f[1]!, found: f[2]!, expected: COUNT_EXPECTED } : null;
    },
  ],
]);

/** The message keeps the line's own text; `expected` says why a negative value cannot be real. */
function malformedError(line: number, key: string, found: string, expected: string): ImportError {
  const negative = /^-\s*\d/.test(found);
  return {
    line,
    message: `${key}: found "${found.slice(0, 40)}"`,
    expected: negative ? `${expected}; a negative value is never kernel output` : expected,
  };
}

function collect(text: string, re: RegExp): Map<string, Field> | ImportError {
  const fields = new Map<string, Field>();
  const { lines } = kernelLines(text);
  const malformed = MALFORMED.get(re);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const m = re.exec(line);
    if (!m) {
      const bad = malformed?.(line);
      if (bad) return malformedError(i + 1, bad.key, bad.found, bad.expected);
      continue;
    }
    const [, key = '', num = ''] = m;
    const value = Number(num);
    const seen = fields.get(key);
    if (seen && (key.startsWith('DirectMap') || key.startsWith('direct_map_'))) {
      return {
        line: i + 1,
        message: `${key} appears twice (lines ${seen.line} and ${i + 1}): two snapshots in one text`,
        expected: 'one snapshot per text; give before and after separately',
      };
    }
    if (!Number.isSafeInteger(value)) {
      return {
        line: i + 1,
        message: `${key} value ${num} is too large`,
        expected: 'a count below 2^53',
      };
    }
    if (!seen) fields.set(key, { value, line: i + 1 });
  }
  return fields;
}

export function parseMeminfo(text: string): Parsed<MeminfoImport> {
  const fields = collect(text, KB_LINE);
  if (!(fields instanceof Map)) return { ok: false, errors: [fields], warnings: [] };
  for (const [key, why] of Object.entries(FOREIGN)) {
    const f = fields.get(key);
    if (f)
      return fail(
        f.line,
        `this meminfo is from ${why}`,
        'DirectMap4k/2M/1G lines of an x86-64 kernel',
      );
  }
  const four = fields.get('DirectMap4k');
  const two = fields.get('DirectMap2M');
  if (!four || !two) {
    const total = fields.get('MemTotal');
    if (total) {
      return fail(
        total.line,
        'this meminfo has no DirectMap4k/DirectMap2M lines: another architecture (arm64, riscv, …) or not x86',
        'x86 meminfo with DirectMap4k and DirectMap2M (arch_report_meminfo)',
      );
    }
    return fail(
      0,
      'no /proc/meminfo lines found',
      '"DirectMap4k:    <n> kB" and "DirectMap2M:    <n> kB"',
    );
  }
  const one = fields.get('DirectMap1G');
  const meminfo: Meminfo = {
    DirectMap4k: four.value,
    DirectMap2M: two.value,
    DirectMap1G: one?.value ?? 0,
  };
  for (const key of DIRECTMAP_KEYS) {
    const f = fields.get(key);
    if (f && f.value % UNIT_KB[key] !== 0) {
      return fail(
        f.line,
        `${key} ${f.value} kB is not a whole number of pages`,
        `a multiple of ${UNIT_KB[key]} kB`,
      );
    }
  }
  const vm = collect(text, VM_LINE);
  const vmstat = vm instanceof Map ? countersFrom(vm) : null;
  return { ok: true, value: { meminfo, gbpages: one !== undefined, vmstat }, warnings: [] };
}

function countersFrom(fields: Map<string, Field>): VmstatCounters | null {
  const l2 = fields.get('direct_map_level2_splits');
  const l3 = fields.get('direct_map_level3_splits');
  if (!l2 || !l3) return null;
  return {
    direct_map_level2_splits: l2.value,
    direct_map_level3_splits: l3.value,
    direct_map_level2_collapses: fields.get('direct_map_level2_collapses')?.value ?? null,
    direct_map_level3_collapses: fields.get('direct_map_level3_collapses')?.value ?? null,
  };
}

export function parseVmstat(text: string): Parsed<VmstatCounters> {
  const fields = collect(text, VM_LINE);
  if (!(fields instanceof Map)) return { ok: false, errors: [fields], warnings: [] };
  const counters = countersFrom(fields);
  if (counters) return { ok: true, value: counters, warnings: [] };
  const any = fields.get('nr_free_pages');
  if (any) {
    return fail(
      any.line,
      'this vmstat has no direct_map_level2_splits / direct_map_level3_splits lines (not x86, or an older kernel)',
      'x86 /proc/vmstat with the direct_map_* counters',
    );
  }
  return fail(
    0,
    'no /proc/vmstat lines found',
    '"direct_map_level2_splits <n>" and "direct_map_level3_splits <n>"',
  );
}

export type SplitDecomposition =
  | { ok: true; splits: VmstatSplits; explanation: string }
  | { ok: false; reason: string; delta: Meminfo };

const KB_1G = 1048576;
const KB_2M = 2048;

/**
 * The whole splits that turn `before` into `after`. A 1G→2M split moves 1048576 kB from DirectMap1G
 * to DirectMap2M; a 2M→4K split moves 2048 kB from DirectMap2M to DirectMap4k (split_large_page()
 * → update_page_count()). The answer is unique: level3 = −Δ1G / 1 GiB, level2 = Δ4k / 2 MiB. It is
 * net of any collapse in between, which moves pages the other way.
 */
export function decomposeSplits(before: Meminfo, after: Meminfo): SplitDecomposition {
  const delta: Meminfo = {
    DirectMap4k: after.DirectMap4k - before.DirectMap4k,
    DirectMap2M: after.DirectMap2M - before.DirectMap2M,
    DirectMap1G: after.DirectMap1G - before.DirectMap1G,
  };
  const total = delta.DirectMap4k + delta.DirectMap2M + delta.DirectMap1G;
  const no = (reason: string): SplitDecomposition => ({ ok: false, reason, delta });
  if (total !== 0) {
    return no(
      `the mapped total changed by ${total} kB; splits never change it, so this is memory hot-(un)plug or snapshots from different boots, not splits alone`,
    );
  }
  if (delta.DirectMap1G > 0) {
    return no(
      `DirectMap1G grew by ${delta.DirectMap1G} kB; splits only shrink it (collapse or hot-plug, not splits alone)`,
    );
  }
  if (delta.DirectMap4k < 0) {
    return no(
      `DirectMap4k shrank by ${-delta.DirectMap4k} kB; splits only grow it (a collapse, v6.15 set_memory_rox(), not splits alone)`,
    );
  }
  if (delta.DirectMap1G % KB_1G !== 0 || delta.DirectMap4k % KB_2M !== 0) {
    return no('the change is not a whole number of 1 GiB and 2 MiB splits');
  }
  const level3 = (0 - delta.DirectMap1G) / KB_1G; // 0 - Δ, not -Δ, which gives -0
  const level2 = delta.DirectMap4k / KB_2M;
  const explanation =
    level2 === 0 && level3 === 0
      ? 'no change: no splits between the snapshots'
      : `${level3} 1G→2M split(s) and ${level2} 2M→4K split(s) (net of any collapse in between)`;
  return {
    ok: true,
    splits: { direct_map_level2_splits: level2, direct_map_level3_splits: level3 },
    explanation,
  };
}
