/**
 * The one declaration of everything the app may call or read from the engine: the engine
 * worker's API (EngineApi), the tools worker's (ToolsApi, declared in tools-protocol.ts and
 * re-exported here), and the values they answer with. worker.ts, tools-worker.ts and the app's
 * clients derive their types from here; comlink carries the calls. The UI never walks engine
 * objects: it gets compact snapshots (typed arrays, transferred) and plain rows.
 *
 * Bump PROTOCOL_VERSION when a call changes shape.
 */

import type { Meminfo, VmstatSplits } from '../formats/meminfo';
import type { Backing, KernelDesign } from '../machine/events';
import type { Repair } from '../scenario/repair-codes';
import type { CauseRow, Metrics, OutcomeCounts, ZenGeneration } from '../sim/metrics';
import type { SeriesColumn } from '../sim/timeline';

export const PROTOCOL_VERSION = 4;

export { MAX_INPUT_CHARS } from '../formats/import/common';
// The vocabularies the controls and the log offer (plain arrays, no engine code behind them).
export { BACKINGS, KERNEL_DESIGNS } from '../machine/events';
// What a host kernel version changes (the host kernel control says it; pure functions of a string).
export { DESIGN_LINUX, effectiveLinux, type LinuxRules, linuxRules } from '../machine/linux';
export { OUTCOME_KINDS, type OutcomeKind } from '../machine/outcomes';
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

/** A run's source in the form the controls edit: a preset (with overrides) or a scenario. */
export type RunSource =
  | {
      kind: 'preset';
      preset: string;
      kernel?: KernelDesign;
      backing?: Backing;
      /** host.linux override ("6.15"), the link's `linux=`. */
      linux?: string;
    }
  | { kind: 'scenario'; scenario: unknown };

/** What to load: a share-URL fragment, a scenario object (parsed JSON), or a preset name. */
export type LoadSource = { kind: 'fragment'; fragment: string } | RunSource;

/**
 * What a load resolved its source to. The worker decodes share fragments (the main thread never
 * does): a link naming a preset that needed no repair stays that preset with its overrides;
 * any other link is the scenario the engine ran.
 */
export interface ResolvedSource {
  source: RunSource;
  /**
   * The share fragment's source part, `#preset=…&kernel=…&backing=…` or `#v=1&s=…`: the app
   * appends the view (shareFragmentOf), so the scenario codec stays in the worker.
   */
  link: string;
}

/**
 * Why a load changed what it was given, one code per kind of repair (the app classifies by code;
 * the text is for people). link-repaired: the share-link decoder fixed or ignored part of the
 * link; link-invalid: the link's scenario had errors (repaired around); preset-unknown: the
 * link's preset does not exist; link-unusable: nothing usable, the default preset opened;
 * layer-ignored: not a map layer; scenario-warning: a scenario's ignored fields;
 * step-past-end: the view's step is past the run's end, opened at its last step.
 */
export { REPAIR_CODES, type Repair, type RepairCode } from '../scenario/repair-codes';

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
  /** 'e820-typical': the scenario gave `ram` and the engine laid it out (src/machine/e820.ts). */
  layout: 'e820-typical' | 'ranges';
  gbpages: boolean;
  guests: GuestInfo[];
  /**
   * The host kernel the run runs (host.linux, its design's era when the scenario does not say)
   * and the one it would run without a `linux=` override under the same design (the preset's
   * own): the host kernel control drops an override that picks the latter. `known`: the
   * versions with rule sets (KNOWN_LINUX_VERSIONS), `nearest`: the one whose rules `runs` uses.
   */
  linux: { runs: string; era: string; base: string; known: string[]; nearest: string };
  /**
   * The fragmentation causes by slot (0 the boot layout, 1 the kernel design's SNP splits, then
   * the host-cause registry): what MapSnapshot.regionCause and StepView.byCause name.
   */
  causes?: CauseInfo[];
  /**
   * Captions by step; `auto` marks one written from a what-if's outcomes where the preset's
   * caption no longer holds. A what-if's grow as its run is computed (RunProgress.captions).
   */
  captions: { step: number; text: string; auto?: true }[];
  /**
   * Set when the link overrides a preset's kernel or backing: how its captions were chosen (the
   * preset's where a step turns out the same, automatic ones where it does not), and what the
   * title's "rerun …" means.
   */
  narrativeNote?: string;
  series: SeriesData;
  marks: OutcomeMarks;
  /**
   * Stable digest of the scenario (scenarioDigest). Empty while a long run's events are still
   * being generated (over LAZY_EVENTS, see event-feed.ts): progress() sends it once it is known.
   */
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
  /** RunInfo.scenarioDigest, present once known when load answered without it. */
  scenarioDigest?: string;
  /** A what-if's captions so far (RunInfo.captions), present when they grew since load. */
  captions?: RunInfo['captions'];
}

export interface LoadResult {
  ok: boolean;
  /** Human messages: what is wrong (ok false) — each names the field, value and what is allowed. */
  errors: string[];
  /** What was repaired or dropped to make a broken link load (never silent). */
  repairs: Repair[];
  view: ViewState;
  info: RunInfo | null;
  /** The source the run came from (null when ok is false). */
  source: ResolvedSource | null;
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
/**
 * A guest's frame that is not assigned in the RMP: hypervisor-owned, because the guest has not
 * accepted it yet (or shared it back; the snapshot does not tell the two apart).
 */
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
  'hypervisor-owned (not yet accepted)',
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
  /**
   * Host map only: 1 + the cause slot (RunInfo.causes) whose split makes the region what it is:
   * the 2 MiB split to 4K (its pmd site; the boot layout's own 4K is slot 0), or a 2M region of
   * a 1 GiB block a cause split (its pud site); 0 where nothing split it.
   */
  regionCause?: Uint8Array;
}

/** One fragmentation cause (src/machine/causes): its id, label and whether it is merged code. */
export interface CauseInfo {
  id: string;
  label: string;
  status: 'merged' | 'proposal' | 'layout';
}

/**
 * One cause's share of the direct map at a step ("Where does DirectMap4k come from"): `sim run
 * --by-cause`'s row (CauseRow: DirectMap4k, splits, collapses, healing) and the DirectMap2M and
 * 1G kB that exist because of it (the boot layout holds the rest, so each column sums to
 * /proc/meminfo's line).
 */
export interface CauseShare extends CauseRow {
  directMap2MKb: number;
  directMap1GKb: number;
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
  /**
   * Where DirectMap4k comes from at this step, one row per cause (the boot layout, SNP, then the
   * registry in src/machine/causes/index.ts): the same rows as `sim run --json`'s `byCause`,
   * with the DirectMap2M and 1G each cause accounts for (src/worker/by-cause.ts).
   */
  byCause: CauseShare[];
  /** The event this step applied, in words ("bpf-load: 2048 programs"); null at step 0. */
  event?: string | null;
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
  /**
   * With `collapse`: this row stands for a run of `repeat` consecutive outcomes that print the
   * same line (src/sim/outcome-runs.ts); the row is the first, lastIndex/lastStep the last.
   */
  repeat?: number;
  lastIndex?: number;
  lastStep?: number;
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
  /** Direct-map virtual address (0xffff888000000000 + phys; 0xff11000000000000 with LA57), hex. */
  directMapVa: string;
  dmLevel: '4K' | '2M' | '1G' | null;
  /**
   * The page-table levels a walk of that address visits, down to its leaf: "pgd → pud → pmd (2M
   * leaf)" on a 4-level host (p4d folded), "pgd → p4d → pud → pmd → pte (4K)" with 5-level paging.
   */
  tableWalk: string;
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
  /**
   * Why the frame's 2 MiB region (pmd) and 1 GiB block (pud) are split, or null where they are
   * not: the cause, the call, the step of the split and whether it can still heal.
   */
  splitBy?: { pmd: SplitProvenance | null; pud: SplitProvenance | null };
}

export interface SplitProvenance {
  /** The cause's id ("bpf", "module", "snp", "kfence") and label. */
  cause: string;
  label: string;
  status: 'merged' | 'proposal' | 'layout';
  /** The call that split it: set_memory_ro, set_memory_4k, set_direct_map_invalid_noflush, … */
  call: string;
  /** The step whose event split it (0: while booting) and the rule its outcome names, if logged. */
  step: number | null;
  rule: string | null;
  /** Whether a later set_memory_rox can still collapse it (6.15+, no _PAGE_KERNEL_4K, all present). */
  canHeal: boolean;
  /** A recorded call's caller (cause "recorded"): the top stack frame as recorded, "fn [kvm]". */
  caller?: string;
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
  /** 512 cell codes for each listed host region (at most 4096): the map asks for what it shows. */
  cellsAt(step: number, regions: readonly number[]): Promise<Uint8Array>;
  /** Per-guest GPA-order view: 512 codes per GPA chunk for chunks [first, first + count). */
  guestCells(step: number, guest: number, firstChunk: number, count: number): Promise<Uint8Array>;
  /** 512 cell codes for each listed GPA chunk of one guest (at most 4096). */
  guestCellsAt(step: number, guest: number, chunks: readonly number[]): Promise<Uint8Array>;
  /** A guest's GPA space summarised per 2 MiB chunk, in MapSnapshot form (transferred). */
  guestSnapshot(step: number, guest: number): Promise<MapSnapshot>;
  stepView(step: number): Promise<StepView>;
  /** The views at a step and at the step before it (null at step 0), for deltas. */
  stepViews(step: number): Promise<{ view: StepView; prev: StepView | null }>;
  /**
   * Outcomes with index in [from, from + count), optionally only kinds in `kinds`, up to
   * `maxStep`; with `collapse`, runs of the same line count as one row (OutcomeRow.repeat),
   * from, count and total count rows, and `outcomes` counts the outcomes they stand for.
   */
  outcomes(query: {
    from: number;
    count: number;
    kinds?: string[];
    maxStep?: number;
    collapse?: boolean;
  }): Promise<{ rows: OutcomeRow[]; total: number; outcomes?: number }>;
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
export function stepPastEndRepair(step: number, steps: number): Repair {
  const text = `parameter step=${step}: the run has ${steps.toLocaleString('en-US')} steps; opened at its last step`;
  return { code: 'step-past-end', text };
}

const hexAddr = (n: number) => `0x${n.toString(16)}`;

/**
 * A share fragment: a resolved source's link with a view's parameters, in the order and form
 * encodeShareFragment writes them (src/scenario/url.ts; the two are tested equal).
 */
export function shareFragmentOf(link: string, view: ViewState): string {
  let f = link;
  if (view.step !== undefined && view.step > 0) f += `&step=${view.step}`;
  if (view.zoom !== undefined) f += `&zoom=${hexAddr(view.zoom.start)}-${hexAddr(view.zoom.end)}`;
  if (view.layer !== undefined && view.layer !== 'direct-map')
    f += `&layer=${encodeURIComponent(view.layer)}`;
  if (view.sel !== undefined) f += `&sel=${hexAddr(view.sel)}`;
  return f;
}

export * from './tools-protocol';
