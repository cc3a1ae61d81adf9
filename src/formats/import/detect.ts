/**
 * Which kind of kernel or QEMU text was pasted. One linear pass counts the lines that only one
 * format prints; when several are present (a whole dmesg holds e820 lines and maybe an oops), the
 * most specific wins: SNP messages, then QEMU trace, ptdump, meminfo, vmstat, e820.
 */
import { checkInput, kernelLines } from './common';
import { isFrec } from './frec';
import { isPrometheusAnswer } from './prometheus';

export type ImportFormat =
  | 'ptdump'
  | 'meminfo'
  | 'vmstat'
  | 'e820'
  | 'snp-rmp'
  | 'qemu-trace'
  | 'frec'
  | 'prometheus'
  | 'unknown';

export interface Detection {
  format: ImportFormat;
  reason: string;
  /** Other formats seen in the same text, in priority order. */
  also: ImportFormat[];
}

const SIGNS: { format: Exclude<ImportFormat, 'unknown'>; re: RegExp; what: string }[] = [
  {
    format: 'snp-rmp',
    re: /^(?:#PF: error_code\(0x[0-9a-fA-F]+\) - RMP violation|SEV-SNP: (?:PFN|RMPUPDATE failed|Failed to split direct map))/,
    what: 'SEV-SNP RMP messages',
  },
  {
    format: 'qemu-trace',
    re: /kvm_convert_memory\s+start 0x/,
    what: 'QEMU kvm_convert_memory trace',
  },
  {
    format: 'ptdump',
    re: /^(?:0x[0-9a-fA-F]{8,16}-0x[0-9a-fA-F]{8,16}\s+\d+[BKMGTPE]\s|---\[ [^\]]{1,80} \]---)/,
    what: 'page-table dump (note_page format)',
  },
  { format: 'meminfo', re: /^(?:DirectMap\d+[kMG]:|MemTotal:\s)/, what: '/proc/meminfo' },
  {
    format: 'vmstat',
    re: /^(?:direct_map_level[23]_splits|nr_free_pages)\s+\d/,
    what: '/proc/vmstat',
  },
  {
    format: 'e820',
    re: /^(?:BIOS-e820|user): \[mem 0x|^node\s+\d+: \[mem 0x/,
    what: 'e820 / node memory ranges',
  },
];

export function detectFormat(text: string): Detection {
  const bad = checkInput(text);
  if (bad) return { format: 'unknown', reason: bad.message, also: [] };
  // Timelines announce themselves at the start (one over 64 MiB goes to importTimeline() directly).
  if (isFrec(text)) return { format: 'frec', reason: 'first line "# fracture-record …"', also: [] };
  if (isPrometheusAnswer(text))
    return { format: 'prometheus', reason: 'a Prometheus API answer (JSON)', also: [] };
  const { lines } = kernelLines(text);
  const counts = new Map<ImportFormat, number>();
  for (const raw of lines) {
    const s = raw.trim();
    if (s === '') continue;
    for (const sign of SIGNS) {
      if (sign.re.test(s)) {
        counts.set(sign.format, (counts.get(sign.format) ?? 0) + 1);
        break;
      }
    }
  }
  const seen = SIGNS.filter((s) => (counts.get(s.format) ?? 0) > 0);
  const first = seen[0];
  if (!first) {
    return {
      format: 'unknown',
      reason:
        'no line looks like ptdump, /proc/meminfo, /proc/vmstat, e820, SEV-SNP or QEMU trace output',
      also: [],
    };
  }
  const n = counts.get(first.format) ?? 0;
  return {
    format: first.format,
    // Only the lines that mark the format are counted (MemTotal and DirectMap*, not every line).
    reason: `recognised by ${n} ${first.what} line${n === 1 ? '' : 's'}`,
    also: seen.slice(1).map((s) => s.format),
  };
}
