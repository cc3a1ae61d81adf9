/**
 * The tools worker's half of the protocol (protocol.ts re-exports it): ToolsApi and what it answers
 * with — sweeps, reconcile, scenario files, timelines of recordings and Prometheus answers.
 * tools-worker.ts and the app's tools client derive their types from here.
 *
 * Bump TOOLS_PROTOCOL_VERSION when a call changes shape.
 */

import type { FleetHost } from '../formats/import/fleet';
import type {
  ConversionEvent,
  ImportOptions,
  ImportResult,
  PairResult,
} from '../formats/import/index';
import type { MeminfoComparison, RegionReconcile } from '../formats/import/reconcile';
import type { TimelineColumns, TimelineEnd } from '../formats/import/timeline';
import type { Meminfo } from '../formats/meminfo';
import { BACKINGS, type Backing, KERNEL_DESIGNS, type KernelDesign } from '../machine/events';
import type { Scenario } from '../scenario/types';
import type { SweepCell } from '../sim/sweep';
import type { ReportRequest, ReportResult } from './report';

export const TOOLS_PROTOCOL_VERSION = 1;

/** A scenario to work on: the explorer's current one (RunInfo.scenario) or a preset. */
export type ToolsSource =
  | { kind: 'scenario'; scenario: unknown }
  | { kind: 'preset'; preset: string };

export type SweepRow = SweepCell;

export type SweepResult = { ok: true; rows: SweepRow[] } | { ok: false; errors: string[] };

export type SweepCellResult = { ok: true; row: SweepRow } | { ok: false; errors: string[] };

/**
 * Every kernel design × backing of a sweep, the designs measured slowest first (upstream-2024
 * and unmap-2023 cells take the longest under many guests), so that on a pool of workers the
 * last cell to finish is a short one. A sweep's rows are shown in KERNEL_DESIGNS × BACKINGS
 * order whatever order they ran in.
 */
export function sweepCombinations(): { kernel: KernelDesign; backing: Backing }[] {
  const slow: readonly string[] = ['upstream-2024', 'unmap-2023'];
  const all: { kernel: KernelDesign; backing: Backing }[] = [];
  for (const kernel of KERNEL_DESIGNS)
    for (const backing of BACKINGS) all.push({ kernel, backing });
  return [
    ...all.filter((c) => slow.includes(c.kernel)),
    ...all.filter((c) => !slow.includes(c.kernel)),
  ];
}

export type ReconcileResult =
  | {
      ok: true;
      format: 'ptdump' | 'meminfo';
      step: number;
      /** Totals comparison (always present). */
      meminfo: MeminfoComparison;
      /** Region by region, when the import carries a layout (ptdump). */
      regions: Omit<RegionReconcile, 'status' | 'meminfo'> | null;
      /**
       * Per 2 MiB region, for the map overlay: 0 unmapped on both sides, 1 agree, 2 differ
       * (null without a layout). Region r covers physical [r × 2 MiB, (r + 1) × 2 MiB).
       */
      overlay: Uint8Array | null;
    }
  | { ok: false; errors: string[] };

export type ScenarioResult = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

/**
 * 128 MiB: a scenario the browser can run has at most MAX_WORKER_EVENTS (2 M) events, about
 * 60 bytes each written out, so 120 MB; a scenario file or `#src=` answer past this is refused as
 * too large before it is read to the end (the app checks Content-Length and reads a capped stream).
 */
export const MAX_SCENARIO_BYTES = 128 * 1024 * 1024;

const mib = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MiB`;

/** The one wording of "too large" for a scenario file (null: its size is not known, only > cap). */
export function tooLargeScenarioMessage(bytes: number | null): string {
  const size = bytes === null ? `over ${mib(MAX_SCENARIO_BYTES)}` : mib(bytes);
  return `the file is too large: ${size}; scenario files open up to ${mib(MAX_SCENARIO_BYTES)} (run larger ones with the CLI: npm run sim -- run <file>)`;
}

/**
 * A cheap look at the start of a text: a JSON object naming a scenario's fields. The import sheet
 * and the page's drop and paste ask the tools worker (openScenario with `detect`) only then.
 */
export function mayBeScenarioText(head: string): boolean {
  const t = head.trimStart();
  return t.startsWith('{') && /"(guests|host|version)"\s*:/.test(t.slice(0, 65_536));
}

/**
 * A scenario file opened in the app (a downloaded `.fracture.json`, a `#src=` body), parsed in the
 * tools worker (open-scenario.ts). errors are `sim run`'s per-field messages after the file's
 * name; a repaired file carries the scenario repairScenario salvaged and each fix in words.
 */
export type OpenScenarioResult =
  | { kind: 'scenario'; scenario: Scenario; warnings: string[] }
  | { kind: 'repaired'; scenario: Scenario; errors: string[]; repairs: string[] }
  | {
      kind: 'refused';
      reason: 'too-large' | 'not-json' | 'invalid';
      errors: string[];
    }
  /** Asked with `detect`: not JSON, or JSON not shaped like a scenario (import it as text). */
  | { kind: 'not-scenario' };

/** Structured-cloneable progress callback (comlink proxies it across the worker boundary). */
export type Progress = (done: number, total: number, label: string) => void;

/** The tools worker's calls, answered synchronously by ToolsHost (comlink makes them async). */
export interface ToolsApi {
  protocolVersion(): number;
  sweep(source: ToolsSource, onProgress?: Progress): SweepResult;
  /** One sweep cell: the app runs these on a pool of tools workers (app/compare/sweep-pool.ts). */
  sweepCell(source: ToolsSource, kernel: KernelDesign, backing: Backing): SweepCellResult;
  importText(text: string, opts?: ImportOptions): ImportResult;
  importPair(before: string, after: string, opts?: ImportOptions): PairResult;
  /** A file's bytes (transferred, decoded as UTF-8 here): the import sheet's files. */
  importBytes(bytes: ArrayBuffer, opts?: ImportOptions): ImportResult;
  /** A scenario file's text or bytes (transferred); `detect`: say not-scenario for other input. */
  openScenario(
    input: string | ArrayBuffer,
    name: string,
    options?: { detect?: boolean },
  ): OpenScenarioResult;
  reconcile(source: ToolsSource, text: string, step?: number): ReconcileResult;
  /**
   * The scenario with its host RAM replaced by imported usable ranges (e820 / node lines), and
   * its host.linux by the imported kernel's when given.
   */
  onHostLayout(
    source: ToolsSource,
    ranges: { start: number; end: number }[],
    linux?: string | null,
  ): ScenarioResult;
  /** The scenario with QEMU conversions appended as share/unshare events of one guest. */
  withConversions(source: ToolsSource, events: ConversionEvent[], guest?: number): ScenarioResult;
  /** The 80-column mailing-list report at a step (report.ts). */
  report(req: ReportRequest): ReportResult;
  /** Parse a recording or a Prometheus answer: one host's timeline, or a fleet (kept for host()). */
  openTimeline(input: TimelineInput): Promise<TimelineOpenResult>;
  /** Host `index` of the last fleet opened, as its own timeline; null when there is none. */
  timelineHost(index: number): TimelineView | null;
}

// ---- timelines: a recording or a Prometheus answer (timeline-host.ts) ----------------------------

export type { FleetHost, FleetOrder } from '../formats/import/fleet';
export type { TimelineColumns, TimelineEnd } from '../formats/import/timeline';

/** One --ptdump sample as a map frame: the direct map's level per 2 MiB region (RL_* codes). */
export interface TimelineFrame {
  t: number;
  wall: number;
  complete: boolean;
  lines: number;
  regions: number;
  /** 0 unmapped, 1 1G, 2 2M, 3 4K (reconcile.ts RL_*), region r = physical [r × 2 MiB, …). */
  levels: Uint8Array;
  /** Why the dump could not be read as a direct map; null when it could. */
  error: string | null;
  meminfo: Meminfo | null;
}

/** Recorded calls (--trace) with one caller: the first stack frame that is not the traced function. */
export interface TraceGroup {
  caller: string;
  fns: string[];
  comms: string[];
  calls: number;
  pages: number;
  /** The first call's kernel stack, innermost first. */
  stack: string[];
  first: number;
  last: number;
}

/** One host's timeline as the view draws it (typed arrays transferred). */
export interface TimelineView {
  source: 'frec' | 'prometheus';
  host: string | null;
  header: Record<string, string>;
  notes: string[];
  warnings: string[];
  end: TimelineEnd | null;
  columns: TimelineColumns;
  frames: TimelineFrame[];
  /** Each recorded call's time (s, the samples' t clock) and group index into groups. */
  trace: { t: Float64Array; group: Uint32Array; groups: TraceGroup[] };
  /**
   * The recorded calls as a scenario (trace-scenario.ts: recorded-call events, no guests,
   * no-snp) and the calls it left out; null without trace lines or a RAM size.
   */
  traceScenario: { scenario: Record<string, unknown>; skipped: string[] } | null;
}

/** A Prometheus answer with many instances: the hosts to rank and their shares on one axis. */
export interface FleetView {
  hosts: FleetHost[];
  samples: number;
  warnings: string[];
  /** Wall-clock range (s) of the shared axis and its bucket count. */
  t0: number;
  t1: number;
  points: number;
  /** share[h × points + p]: host h's DirectMap4k share in bucket p (NaN: no sample). */
  share: Float32Array;
}

export type TimelineOpenResult =
  | { ok: true; kind: 'one'; view: TimelineView }
  | { ok: true; kind: 'fleet'; fleet: FleetView }
  | { ok: false; errors: string[]; warnings: string[] };

/**
 * A File or a fetched body (a Blob: structurally this, so src/ needs no DOM types) or text: the
 * tools worker reads it, the main thread never does.
 */
export type TimelineInput =
  | string
  | {
      readonly size: number;
      text(): Promise<string>;
      /** Blob.stream(): read in chunks into one buffer of `size` bytes (no decoded copy). */
      stream?(): unknown;
    };
