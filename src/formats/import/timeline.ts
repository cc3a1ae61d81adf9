/**
 * A host's direct-map counters over time, from a fracture-record.sh recording (frec.ts) or from a
 * Prometheus query_range answer (prometheus.ts). One shape for both, so one view draws either.
 *
 * Values are keyed as the kernel names them, whatever the source's unit: "DirectMap4k" … in kB as
 * /proc/meminfo prints them (arch_report_meminfo()), "direct_map_level2_splits" … as counts as
 * /proc/vmstat prints them. Keys a source adds later are kept, never an error.
 */
import { checkInput, type ImportError } from './common';
import { decodeUtf8 } from './utf8';

export interface TimelineSample {
  /** Seconds since the first sample (monotonic for a recording: /proc/uptime). */
  t: number;
  /** Wall-clock time in seconds since the Unix epoch (UTC); NaN when the source has none. */
  wall: number;
  values: Record<string, number>;
}

/** One --ptdump frame: the direct-map region of /sys/kernel/debug/page_tables/kernel. */
export interface PtdumpFrame {
  t: number;
  wall: number;
  /** 1-based line of the "ptdump" line in the recording. */
  line: number;
  /**
   * "offset": addresses are offsets from the direct-map base (parse with pageOffsetBase 0n);
   * "raw": kernel virtual addresses as printed.
   */
  addresses: 'offset' | 'raw';
  /** note_page() lines, the region's "---[ … ]---" marker first. */
  text: string;
  lines: number;
  /** False when the recording stopped inside this dump. */
  complete: boolean;
}

/** One recorded set_memory_*() / set_direct_map_*() / set_mce_nospec() call (--trace). */
export interface TraceEvent {
  t: number;
  line: number;
  fn: string;
  pid: number | null;
  comm: string;
  /** numpages (set_memory_*), nr (set_direct_map_valid_noflush), else 1. */
  pages: number;
  /** Byte offset from the direct-map base (the physical address on x86), when recorded. */
  dmOffset: number | null;
  /** Kernel stack, innermost first, as bpftrace prints it ("symbol+219"); "?" for a raw address left out. */
  stack: string[];
  /** Every field of the line as recorded, including ones this importer does not know. */
  fields: Record<string, string>;
}

export interface TimelineEnd {
  t: number;
  wall: number;
  samples: number | null;
  /** "complete" (the duration ran out), "signal" (Ctrl-C, TERM, HUP), or what a newer recorder says. */
  reason: string;
}

export interface Timeline {
  source: 'frec' | 'prometheus';
  /** Header facts as recorded: kernel_release, machine, cmdline, config.CONFIG_KFENCE, e820.0 … */
  header: Record<string, string>;
  /** Host name (--hostname) or Prometheus instance label; null when not recorded. */
  host: string | null;
  /** Every value key seen, in first-seen order. */
  keys: string[];
  samples: TimelineSample[];
  /** What the recorder could not read ("# note:" lines). */
  notes: string[];
  ptdumps: PtdumpFrame[];
  trace: TraceEvent[];
  /** The recorder's end line; null when the recording was cut short. */
  end: TimelineEnd | null;
}

/**
 * 512 Mi characters: more than V8's longest string (2^29 − 24), so any string a browser can hold
 * is accepted here; a week of 1 s samples is ~120 MB and a 10,000-host day of 5-minute points
 * with five series is ~380 MB. Larger files must be refused before they are read (File.size).
 */
export const MAX_TIMELINE_CHARS = 512 * 1024 * 1024;

export function timelineTooLarge(size: number): ImportError {
  const mib = (size / (1024 * 1024)).toFixed(0);
  return {
    line: 0,
    message: `input is ${mib} MiB, over the 512 MiB limit for a timeline`,
    expected: 'a recording or query answer of at most 512 MiB',
  };
}

/** Size and binary guard for timeline text; the binary check reads the first 64 KiB only. */
export function checkTimelineInput(text: unknown): ImportError | null {
  if (typeof text !== 'string') {
    return { line: 0, message: 'input is not text', expected: 'a string' };
  }
  if (text.length > MAX_TIMELINE_CHARS) return timelineTooLarge(text.length);
  return checkInput(text.length > 65536 ? text.slice(0, 65536) : text);
}

/** checkTimelineInput() of bytes (UTF-8 text): the size, then the first 64 KiB decoded. */
export function checkTimelineBytes(bytes: Uint8Array): ImportError | null {
  if (bytes.length > MAX_TIMELINE_CHARS) return timelineTooLarge(bytes.length);
  return checkInput(decodeUtf8(bytes.subarray(0, 65536)));
}

/** Adds a sample's keys to `keys` (first-seen order) using `seen` as the index. */
export function noteKeys(values: Record<string, number>, seen: Set<string>, keys: string[]): void {
  for (const k in values) {
    if (!seen.has(k)) {
      seen.add(k);
      keys.push(k);
    }
  }
}

/** A timeline's samples as one typed array per key, for drawing and for transfer from a worker. */
export interface TimelineColumns {
  t: Float64Array;
  wall: Float64Array;
  keys: string[];
  /** values[k][i] is keys[k] at sample i; NaN where the sample lacks the key. */
  values: Float64Array[];
}

/**
 * Columns of `tl` (8 bytes per key and sample: a 2.88 M-sample fleet with five keys is ~160 MB
 * against ~425 MiB as sample objects, and its buffers transfer without a structured clone).
 */
export function timelineColumns(tl: Timeline): TimelineColumns {
  const n = tl.samples.length;
  const t = new Float64Array(n);
  const wall = new Float64Array(n);
  const values = tl.keys.map(() => new Float64Array(n).fill(Number.NaN));
  for (let i = 0; i < n; i++) {
    const s = tl.samples[i]!;
    t[i] = s.t;
    wall[i] = s.wall;
    for (let k = 0; k < tl.keys.length; k++) {
      const v = s.values[tl.keys[k]!];
      if (v !== undefined) values[k]![i] = v;
    }
  }
  return { t, wall, keys: [...tl.keys], values };
}
