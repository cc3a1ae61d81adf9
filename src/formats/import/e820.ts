/**
 * The host's RAM layout from dmesg, to start a scenario on the same ranges.
 *
 * - e820__print_table() (arch/x86/kernel/e820.c): "BIOS-e820: [mem %#018Lx-%#018Lx] <type>" with
 *   an inclusive end; a "user-defined physical RAM map" (mem=, memmap=) prints the same lines with
 *   the "user:" prefix and replaces the firmware map.
 * - free_area_init() (mm/mm_init.c), "Early memory node ranges":
 *   "  node %3d: [mem %#018Lx-%#018Lx]", inclusive end: memblock memory, i.e. what gets mapped.
 * Only E820_TYPE_RAM ("usable") is mapped into the direct map (init_range_memory_mapping()).
 */
import type { PhysRange } from '../../machine/boot-layout';
import { fail, kernelLines, type Parsed, parseHex } from './common';
import { bannerRelease, hostLinuxOf } from './kernel-release';

export interface E820Entry {
  start: number;
  /** Exclusive. */
  end: number;
  type: string;
  line: number;
}

export interface E820Import {
  source: 'e820' | 'user' | 'node';
  /** Usable RAM [start, end), sorted and merged. */
  ranges: PhysRange[];
  /** Every entry of the map that was used (all types), for display. */
  entries: E820Entry[];
  usableBytes: number;
  /** The release in the dmesg's linux_banner line ("6.11.0-…"), when the paste has it. */
  release: string | null;
  /** That release as host.linux ("6.11", "6.12-rhel10"), for a scenario on this host. */
  linux: string | null;
}

const E820 = /^(BIOS-e820|user): \[mem 0x([0-9a-fA-F]{1,16})-0x([0-9a-fA-F]{1,16})\] (.{1,40})$/;
const NODE = /^node\s+(\d{1,4}): \[mem 0x([0-9a-fA-F]{1,16})-0x([0-9a-fA-F]{1,16})\]$/;
const EXPECTED = '"BIOS-e820: [mem 0x...-0x...] usable" or "  node   0: [mem 0x...-0x...]"';
/** The start of a line that e820__print_table() or free_area_init() printed, whatever follows. */
const LOOKS_LIKE = /^(?:(?:BIOS-e820|user): \[mem |node\s+\S{1,8}: \[mem )/;

export function parseE820(text: string): Parsed<E820Import> {
  const { lines } = kernelLines(text);
  const found: Record<E820Import['source'], E820Entry[]> = { e820: [], user: [], node: [] };
  for (let i = 0; i < lines.length; i++) {
    const s = lines[i]!.trim();
    const e = E820.exec(s) ?? NODE.exec(s);
    if (!e) {
      // A range with a non-hex, overlong or cut-off address would change the layout if skipped.
      if (LOOKS_LIKE.test(s)) {
        return fail(i + 1, `malformed memory range "${s.slice(0, 80)}"`, EXPECTED);
      }
      continue;
    }
    const isNode = s.startsWith('node');
    const start = parseHex(e[2]!);
    const last = parseHex(e[3]!);
    if (start === null || last === null || last < start) {
      return fail(i + 1, `range ${e[2]}-${e[3]} is empty or reversed`, 'start ≤ inclusive end');
    }
    if (last + 1n > BigInt(Number.MAX_SAFE_INTEGER)) {
      return fail(i + 1, 'address above 2^53 bytes', 'physical addresses of real RAM');
    }
    const entry = {
      start: Number(start),
      end: Number(last + 1n),
      type: isNode ? 'usable' : e[4]!.trim(),
      line: i + 1,
    };
    const source = isNode ? 'node' : e[1] === 'user' ? 'user' : 'e820';
    found[source].push(entry);
  }
  // memblock's node ranges are what the kernel mapped; a user map overrides the firmware's.
  const source = found.node.length > 0 ? 'node' : found.user.length > 0 ? 'user' : 'e820';
  const entries = found[source];
  if (entries.length === 0) return fail(0, 'no e820 or node memory ranges found', EXPECTED);
  const usable = entries
    .filter((e) => e.type === 'usable')
    .map((e) => ({ start: e.start, end: e.end }))
    .sort((a, b) => a.start - b.start);
  const warnings: string[] = [];
  const ranges: PhysRange[] = [];
  for (const r of usable) {
    const last = ranges[ranges.length - 1];
    if (last && r.start < last.end)
      warnings.push(`overlapping usable ranges at 0x${r.start.toString(16)}`);
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else ranges.push({ ...r });
  }
  if (ranges.length === 0) return fail(0, 'the memory map lists no usable RAM', EXPECTED);
  const usableBytes = ranges.reduce((n, r) => n + (r.end - r.start), 0);
  const release = bannerRelease(lines);
  const linux = release === null ? null : hostLinuxOf(release);
  const value: E820Import = { source, ranges, entries, usableBytes, release, linux };
  return { ok: true, value, warnings };
}
