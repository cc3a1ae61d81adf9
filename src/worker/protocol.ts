/**
 * The one message protocol between the UI thread and the engine worker. Both sides import only
 * this file's types (and the pure helpers below); comlink carries the calls. The UI never walks
 * engine objects: it gets compact snapshots (typed arrays, transferred) and plain rows.
 *
 * Bump PROTOCOL_VERSION when a call changes shape.
 */
import type { Meminfo, VmstatSplits } from '../formats/meminfo';
import type { Backing, KernelDesign } from '../machine/events';
import type { Metrics, OutcomeCounts, ZenGeneration } from '../sim/metrics';
import type { SeriesColumn } from '../sim/timeline';

export const PROTOCOL_VERSION = 3;

export type {
  Backing,
  KernelDesign,
  Meminfo,
  Metrics,
  OutcomeCounts,
  SeriesColumn,
  VmstatSplits,
  ZenGeneration,
};

/** What to load: a share-URL fragment, a scenario object (parsed JSON), or a preset name. */
export type LoadSource =
  | { kind: 'fragment'; fragment: string }
  | { kind: 'scenario'; scenario: unknown }
  | { kind: 'preset'; preset: string; kernel?: KernelDesign; backing?: Backing };

/** View state carried in share links (all optional). */
export interface ViewState {
  step?: number;
  layer?: MapLayer;
  /** Zoomed physical address range [start, end) in bytes. */
  zoom?: { start: number; end: number };
  /** Selected host frame. */
  sel?: number;
}

export type MapLayer = 'direct-map' | 'vmm' | 'rmp' | 'guest';

export interface DesignInfo {
  id: KernelDesign;
  label: string;
  summary: string;
}

export interface GuestInfo {
  name: string;
  memoryBytes: number;
  vcpus: number;
  backing: Backing;
  snp: boolean;
}

/** Per-step series for charts: steps[i] is the step of sample i. Float64Arrays are transferred. */
export interface SeriesData {
  steps: Float64Array;
  columns: Record<SeriesColumn, Float64Array>;
}

/** Where notable outcomes happen along the run, for the scrubber (downsampled if huge). */
export interface OutcomeMarks {
  steps: Float64Array;
  /** Index into MARK_KINDS. */
  kinds: Uint8Array;
}

export const MARK_KINDS = [
  'dm-split',
  'rmp-fault',
  'thp-split',
  'guest-killed',
  'launch-refused',
  'host-oops',
  'psmash',
] as const;
export type MarkKind = (typeof MARK_KINDS)[number];

export interface RunInfo {
  /** The scenario as loaded (valid v1 JSON), for the share link and the controls. */
  scenario: unknown;
  title: string;
  description: string;
  kernel: KernelDesign;
  designs: DesignInfo[];
  steps: number;
  /** Host frames covered by the map (a multiple of 512), regions = totalPages / 512. */
  totalPages: number;
  regions: number;
  ramBytes: number;
  gbpages: boolean;
  guests: GuestInfo[];
  captions: { step: number; text: string }[];
  /**
   * Set when the link overrides a preset's kernel or backing: why the preset's captions are not
   * shown (they narrate the preset as written), and what the title's "rerun …" means.
   */
  narrativeNote?: string;
  series: SeriesData;
  marks: OutcomeMarks;
  /** Stable digest of the scenario (scenarioDigest). */
  scenarioDigest: string;
  /** Milliseconds the worker spent running the scenario (so far, while it runs progressively). */
  runMs: number;
  /**
   * Steps computed when this answer was made (= steps unless loaded progressively): every call
   * answers for steps 0..computed, and clamps later steps to it. progress() tells how it grows.
   */
  computed: number;
}

/** How to load: progressive runs answer once `step` (default 0) is computed and go on running. */
export interface LoadOptions {
  progressive?: boolean;
  /** The step the caller shows first: load() answers once it is computed. */
  step?: number;
}

/** A progressive run's state: the series and marks so far (transferred). */
export interface RunProgress {
  computed: number;
  steps: number;
  done: boolean;
  series: SeriesData;
  marks: OutcomeMarks;
  runMs: number;
  /**
   * Done, and the worker has no background work left for the run (its checkpoints are placed
   * for seeking): a benchmark that seeks waits for this.
   */
  settled: boolean;
  /** The engine failed at `computed` (a bug): the run stops there, and this says why. */
  error?: string;
}

export interface LoadResult {
  ok: boolean;
  /** Human messages: what is wrong (ok false) — each names the field, value and what is allowed. */
  errors: string[];
  /** What was repaired or dropped to make a broken link load (never silent). */
  repairs: string[];
  view: ViewState;
  info: RunInfo | null;
}

/**
 * Cell codes, one byte per 4K frame (or per 2 MiB region as its summary): the low 4 bits are the
 * state (CELL_*), the high 4 bits the owner guest's colour index (guest index % 16) where the
 * state is a guest state.
 */
export const CELL_HOLE = 0;
export const CELL_FREE = 1;
export const CELL_KERNEL = 2;
export const CELL_PAGETABLE = 3;
/** A guest's frame that is not assigned in the RMP (shared, or allocated but not yet private). */
export const CELL_SHARED = 4;
/** Assigned in a 4K RMP entry (guest-private). */
export const CELL_PRIVATE = 5;
/** Assigned in a 2M RMP entry. */
export const CELL_PRIVATE_2M = 6;
/** A page of the sequestered shared area. */
export const CELL_SEQUESTER = 7;
/** Immutable / firmware pages. */
export const CELL_FIRMWARE = 8;
/** Assigned and removed from the direct map (unmap-2023). */
export const CELL_UNMAPPED = 9;
export const CELL_NAMES = [
  'hole',
  'free',
  'host kernel',
  'page table',
  'guest shared',
  'guest private (4K RMP)',
  'guest private (2M RMP)',
  'sequestered shared',
  'firmware',
  'private, unmapped',
] as const;

export const cellState = (code: number): number => code & 0x0f;
export const cellGuest = (code: number): number => code >> 4;

/** Direct-map level of a 2 MiB region (regionLevel). */
export const LEVEL_NONE = 0;
export const LEVEL_1G = 1;
export const LEVEL_2M = 2;
export const LEVEL_4K = 3;

/** regionFlags bits. */
export const RF_MIXED = 1;
export const RF_ASSIGNED = 2;
export const RF_RMP2M = 4;
/** The 2 MiB region holds at least one guest-shared frame next to an assigned one. */
export const RF_SHARED_AND_PRIVATE = 8;
/** Split by an event at or before this step (outcomes exist for it). */
export const RF_SPLIT_AFTER_BOOT = 16;

/**
 * The whole host at one step, one byte per 2 MiB region (16 TiB → 8 Mi entries, transferred).
 * Renderers draw regions from this and ask for 4K cells only for the regions in view.
 */
export interface MapSnapshot {
  step: number;
  regions: number;
  /** Summary cell code of each region (its dominant frame state). */
  regionCode: Uint8Array;
  /** LEVEL_* of each region's direct mapping. */
  regionLevel: Uint8Array;
  /** RF_* bits. */
  regionFlags: Uint8Array;
  /** VMM user-mapping level per region (LEVEL_*; NONE for non-guest memory). */
  regionUserLevel: Uint8Array;
}

/** Step-dependent panel data. */
export interface StepView {
  step: number;
  metrics: Metrics;
  meminfoText: string;
  vmstatText: string;
  guests: {
    name: string;
    status: string;
    reason: string;
    privatePages: number;
    doubleBackedBytes: number;
  }[];
  /** Caption at this step (exact match), if any. */
  caption: string | null;
}

/** One outcome as the log shows it. */
export interface OutcomeRow {
  index: number;
  step: number;
  kind: string;
  rule: string;
  guest: string | null;
  pfn: number;
  gpa: number;
  /** A dmesg-like line, e.g. "[     4] SEV-SNP: RMP violation: user write to GPA 0x205000 (PFN 0x4a205)". */
  message: string;
}

export interface RuleInfo {
  id: string;
  title: string;
  source: string;
  url: string;
  explain: string;
}

/** Everything the inspector shows for one host frame at one step. */
export interface FrameInfo {
  pfn: number;
  physAddr: string;
  /** Direct-map virtual address (0xffff888000000000 + phys), hex. */
  directMapVa: string;
  dmLevel: '4K' | '2M' | '1G' | null;
  /** The ptdump line that covers this frame. */
  ptdumpLine: string;
  use: string;
  rmp: {
    assigned: boolean;
    pagesize: '4K' | '2M';
    immutable: boolean;
    asid: number;
    gpa: string | null;
    validated: boolean;
    vmsa: boolean;
  };
  guest: string | null;
  gpa: string | null;
  vmmBacking: string | null;
  /** Outcomes up to this step that touched this frame or its 2 MiB region, newest last. */
  history: OutcomeRow[];
}

export interface EngineApi {
  protocolVersion(): number;
  /**
   * Load and run a scenario; replaces the current run. With `progressive`, it answers once the
   * asked step is computed and the worker keeps running the rest between calls.
   */
  load(source: LoadSource, options?: LoadOptions): Promise<LoadResult>;
  /** The current run's progress (computed steps, series and marks so far). */
  progress(): Promise<RunProgress | null>;
  /** Map snapshot at a step (transferred). */
  snapshot(step: number): Promise<MapSnapshot>;
  /** 512 cell codes per region for regions [firstRegion, firstRegion + count) at a step. */
  cells(step: number, firstRegion: number, count: number): Promise<Uint8Array>;
  /** Per-guest GPA-order view: 512 codes per GPA chunk for chunks [first, first + count). */
  guestCells(step: number, guest: number, firstChunk: number, count: number): Promise<Uint8Array>;
  stepView(step: number): Promise<StepView>;
  /** The views at a step and at the step before it (null at step 0), for deltas. */
  stepViews(step: number): Promise<{ view: StepView; prev: StepView | null }>;
  /** Outcomes with index in [from, from + count), optionally only kinds in `kinds`, up to `maxStep`. */
  outcomes(query: {
    from: number;
    count: number;
    kinds?: string[];
    maxStep?: number;
  }): Promise<{ rows: OutcomeRow[]; total: number }>;
  /** Index of the first outcome at or after a step (to scroll the log). */
  outcomeIndexAt(step: number): Promise<number>;
  /** Step of the next (dir 1) or previous (dir -1) outcome of a kind after/before `step`, or -1. */
  findOutcome(step: number, kind: string, dir: 1 | -1): Promise<number>;
  inspect(step: number, pfn: number): Promise<FrameInfo>;
  rule(id: string): Promise<RuleInfo | null>;
  /** Text exports at a step. */
  texts(step: number): Promise<{ meminfo: string; vmstat: string; ptdump: string }>;
  /** Share-URL fragment for the current scenario and a view. */
  shareFragment(view: ViewState): Promise<string>;
}

/**
 * The repair a load reports for a view's step past the end of its run (the engine for a link's
 * step, the app for a `#src=` link's): one wording wherever it is said.
 */
export function stepPastEndRepair(step: number, steps: number): string {
  return `parameter step=${step}: the run has ${steps.toLocaleString('en-US')} steps; opened at its last step`;
}
