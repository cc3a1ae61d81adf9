/**
 * Entry points for imported text: detect the format, parse it, and for two snapshots decompose the
 * difference into splits. Pure and total: every outcome, including bad input, is a value.
 */
import type { Meminfo, VmstatSplits } from '../meminfo';
import { checkInput, type ImportError } from './common';
import { type Detection, detectFormat, type ImportFormat } from './detect';
import { type E820Import, parseE820 } from './e820';
import { parseFrec } from './frec';
import {
  decomposeSplits,
  type MeminfoImport,
  parseMeminfo,
  parseVmstat,
  type SplitDecomposition,
  type VmstatCounters,
} from './meminfo';
import { isPrometheusAnswer, parsePrometheus } from './prometheus';
import { type PtdumpImport, parsePtdump } from './ptdump';
import { type ConversionEvent, parseQemuTrace } from './qemu-trace';
import { parseSnp, type SnpImport } from './snp';
import type { Timeline } from './timeline';

export type { ImportError } from './common';
export type { Detection, ImportFormat } from './detect';
export { detectFormat } from './detect';
export type { E820Import } from './e820';
export { ptdumpFrameText } from './frec';
export { decomposeSplits, type SplitDecomposition, type VmstatCounters } from './meminfo';
export type { PtdumpImport } from './ptdump';
export type { ConversionEvent } from './qemu-trace';
export { decodeRmpEntry, type RmpEntry, type SnpImport } from './snp';
export {
  type PtdumpFrame,
  type Timeline,
  type TimelineColumns,
  type TimelineSample,
  type TraceEvent,
  timelineColumns,
} from './timeline';

export interface ImportOptions {
  /** Skip detection and parse as this format. */
  format?: Exclude<ImportFormat, 'unknown'>;
  /** page_offset_base for ptdump and for placing oops addresses. */
  pageOffsetBase?: bigint;
}

export type ImportData =
  | { format: 'ptdump'; ptdump: PtdumpImport; meminfo: Meminfo }
  | { format: 'meminfo'; meminfo: Meminfo; gbpages: boolean; vmstat: VmstatCounters | null }
  | { format: 'vmstat'; vmstat: VmstatCounters }
  | { format: 'e820'; e820: E820Import }
  | { format: 'snp-rmp'; snp: SnpImport }
  | { format: 'qemu-trace'; events: ConversionEvent[] };

export type ImportResult =
  | { ok: true; detection: Detection; data: ImportData; warnings: string[] }
  | { ok: false; detection: Detection; errors: ImportError[]; warnings: string[] };

export type TimelineResult =
  | { ok: true; detection: Detection; timelines: Timeline[]; warnings: string[] }
  | { ok: false; detection: Detection; errors: ImportError[]; warnings: string[] };

/**
 * A fracture-record.sh recording (one timeline) or a Prometheus query_range answer (one per
 * host), up to 512 MiB: unlike importText(), no 64 MiB limit (a week of 1 s samples is ~120 MB).
 */
export function importTimeline(text: string): TimelineResult {
  const prom = typeof text === 'string' && isPrometheusAnswer(text);
  const detection: Detection = prom
    ? { format: 'prometheus', reason: 'a Prometheus API answer (JSON)', also: [] }
    : { format: 'frec', reason: 'read as a fracture-record recording', also: [] };
  const r = prom ? parsePrometheus(text) : parseFrec(text);
  if (!r.ok) return { ok: false, detection, errors: r.errors, warnings: r.warnings };
  const timelines = Array.isArray(r.value) ? r.value : [r.value];
  return { ok: true, detection, timelines, warnings: r.warnings };
}

export function importText(text: string, opts: ImportOptions = {}): ImportResult {
  const bad = checkInput(text);
  const detected = detectFormat(text);
  if (bad) return { ok: false, detection: detected, errors: [bad], warnings: [] };
  const detection: Detection = opts.format
    ? { format: opts.format, reason: 'format given', also: [] }
    : detected;
  const offset = opts.pageOffsetBase === undefined ? {} : { pageOffsetBase: opts.pageOffsetBase };
  const wrap = <T>(
    r:
      | { ok: true; value: T; warnings: string[] }
      | { ok: false; errors: ImportError[]; warnings: string[] },
    data: (v: T) => ImportData,
  ): ImportResult =>
    r.ok
      ? { ok: true, detection, data: data(r.value), warnings: r.warnings }
      : { ok: false, detection, errors: r.errors, warnings: r.warnings };
  switch (detection.format) {
    case 'ptdump':
      return wrap(parsePtdump(text, offset), (p) => ({
        format: 'ptdump',
        ptdump: p,
        meminfo: p.meminfo,
      }));
    case 'meminfo':
      return wrap(parseMeminfo(text), (m: MeminfoImport) => ({ format: 'meminfo', ...m }));
    case 'vmstat':
      return wrap(parseVmstat(text), (v) => ({ format: 'vmstat', vmstat: v }));
    case 'e820':
      return wrap(parseE820(text), (e) => ({ format: 'e820', e820: e }));
    case 'snp-rmp':
      return wrap(parseSnp(text, offset), (s) => ({ format: 'snp-rmp', snp: s }));
    case 'qemu-trace':
      return wrap(parseQemuTrace(text), (events) => ({ format: 'qemu-trace', events }));
    case 'frec':
    case 'prometheus': {
      // A series over time, not one snapshot: importTimeline() reads it; its errors are the errors.
      const t = importTimeline(text);
      if (!t.ok) return t;
      const n = t.timelines.reduce((a, x) => a + x.samples.length, 0);
      const hosts = t.timelines.length > 1 ? ` from ${t.timelines.length} hosts` : '';
      const message = `a timeline of ${n} sample(s)${hosts}, not one snapshot`;
      const errors = [{ line: 0, message, expected: 'importTimeline() for timelines' }];
      return { ok: false, detection, errors, warnings: t.warnings };
    }
    case 'unknown':
      return {
        ok: false,
        detection,
        errors: [
          {
            line: 0,
            message: `unrecognised input: ${detection.reason}`,
            expected:
              'ptdump (/sys/kernel/debug/page_tables/kernel), /proc/meminfo, /proc/vmstat, dmesg e820 lines, SEV-SNP RMP messages or a QEMU kvm_convert_memory trace',
          },
        ],
        warnings: [],
      };
  }
}

export type PairError = ImportError & { which: 'before' | 'after' };

export type PairResult =
  | {
      ok: true;
      before: ImportData;
      after: ImportData;
      /** DirectMap totals of both sides, when both carry them (meminfo or ptdump). */
      meminfo: { before: Meminfo; after: Meminfo } | null;
      /** Splits derived from the DirectMap change. */
      decomposition: SplitDecomposition | null;
      /** Counter difference when both sides carry /proc/vmstat counters. */
      measured: VmstatSplits | null;
      /** The answer: decomposition if possible, else measured counters, else null. */
      vmstat: VmstatSplits | null;
      notes: string[];
      warnings: string[];
    }
  | { ok: false; errors: PairError[] };

function meminfoOf(d: ImportData): Meminfo | null {
  return d.format === 'ptdump' || d.format === 'meminfo' ? d.meminfo : null;
}

function countersOf(d: ImportData): VmstatCounters | null {
  if (d.format === 'vmstat') return d.vmstat;
  return d.format === 'meminfo' ? d.vmstat : null;
}

/** Before/after snapshots (meminfo, ptdump or vmstat, in any mix that shares a measure). */
export function importPair(before: string, after: string, opts: ImportOptions = {}): PairResult {
  const a = importText(before, opts);
  const b = importText(after, opts);
  const errors: PairError[] = [];
  if (!a.ok) errors.push(...a.errors.map((e) => ({ ...e, which: 'before' as const })));
  if (!b.ok) errors.push(...b.errors.map((e) => ({ ...e, which: 'after' as const })));
  if (!a.ok || !b.ok) return { ok: false, errors };
  const ma = meminfoOf(a.data);
  const mb = meminfoOf(b.data);
  const ca = countersOf(a.data);
  const cb = countersOf(b.data);
  if (!(ma && mb) && !(ca && cb)) {
    const msg = `cannot compare ${a.data.format} with ${b.data.format}`;
    const expected = 'two /proc/meminfo, two ptdump or two /proc/vmstat snapshots';
    return { ok: false, errors: [{ line: 0, message: msg, expected, which: 'after' }] };
  }
  const notes: string[] = [];
  const decomposition = ma && mb ? decomposeSplits(ma, mb) : null;
  let measured: VmstatSplits | null = null;
  if (ca && cb) {
    measured = {
      direct_map_level2_splits: cb.direct_map_level2_splits - ca.direct_map_level2_splits,
      direct_map_level3_splits: cb.direct_map_level3_splits - ca.direct_map_level3_splits,
    };
    if (measured.direct_map_level2_splits < 0 || measured.direct_map_level3_splits < 0) {
      notes.push('the vmstat counters went down: the snapshots come from different boots');
    }
  }
  if (decomposition && !decomposition.ok) notes.push(decomposition.reason);
  if (decomposition?.ok && measured) {
    const d = decomposition.splits;
    const same =
      d.direct_map_level2_splits === measured.direct_map_level2_splits &&
      d.direct_map_level3_splits === measured.direct_map_level3_splits;
    notes.push(
      same
        ? 'the vmstat counters agree with the DirectMap change'
        : 'the vmstat counters differ from the DirectMap change: collapses, or splits outside the direct map counters',
    );
  }
  const vmstat = decomposition?.ok ? decomposition.splits : decomposition ? null : measured;
  const meminfo = ma && mb ? { before: ma, after: mb } : null;
  const warnings = [
    ...a.warnings.map((w) => `before: ${w}`),
    ...b.warnings.map((w) => `after: ${w}`),
  ];
  return {
    ok: true,
    before: a.data,
    after: b.data,
    meminfo,
    decomposition,
    measured,
    vmstat,
    notes,
    warnings,
  };
}
