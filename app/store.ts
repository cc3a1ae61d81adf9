/**
 * UI state only (zustand): where the user is in the run and what they are looking at. Engine data
 * (RunInfo, StepView, outcome rows) never lives here; it comes from the worker on demand.
 */
import { create } from 'zustand';
import type { MapLayer, ZenGeneration } from '../src/worker/protocol';

export type Theme = 'light' | 'dark';

export type ColourBy = 'state' | 'cause';

/** Steps per second while playing. */
export const SPEEDS = [1, 2, 5, 10, 30, 100, 1000] as const;
export type Speed = (typeof SPEEDS)[number];

/**
 * The default speed for a run: the slowest (at least 2 steps/s) that plays it in about a minute;
 * the fastest for longer runs. At 2 steps/s a 200,000-step run looked as if nothing happened.
 */
export function speedFor(steps: number): Speed {
  return SPEEDS.find((s) => s >= 2 && steps / s <= 60) ?? SPEEDS[SPEEDS.length - 1]!;
}

export interface Zoom {
  start: number;
  end: number;
}

export interface Panels {
  /** Left column: counters and guests. */
  counters: boolean;
  /** Right column: outcome log and explanation. */
  log: boolean;
  charts: boolean;
  /** The `?` overlay. */
  help: boolean;
}

/** The tools opened over the explorer (lazy-loaded: app/compare, app/import). */
export type Tool = 'compare' | 'sweep' | 'import';

export interface UiState {
  step: number;
  /** Last step of the loaded run (0 before a run is loaded). */
  maxStep: number;
  /**
   * Last step the worker has computed (= maxStep once the run is done): bounds every seek, and
   * playing waits here while the run goes on.
   */
  computed: number;
  playing: boolean;
  speed: Speed;
  /** The user picked the speed: a new run keeps it instead of taking one suited to its length. */
  speedChosen: boolean;
  layer: MapLayer;
  /** The direct map coloured by each split's cause instead of by frame state (issue 17). */
  colourBy: ColourBy;
  guestIndex: number;
  selectedPfn: number | null;
  /** Index (OutcomeRow.index) of the outcome the explanation panel shows. */
  selectedOutcome: number | null;
  zoom: Zoom | null;
  theme: Theme;
  zen: ZenGeneration;
  /** Outcome kinds hidden from the log. */
  hiddenKinds: readonly string[];
  panels: Panels;
  tool: Tool | null;
  /** The open modal dialog (share, export), if any. */
  dialog: Dialog;
  /** Lecture mode: the captions drive the keys (PageDown/PageUp, arrows) and the strip. */
  lecture: boolean;
}

export type Dialog = 'share' | 'export' | null;

export interface UiActions {
  seek(step: number): void;
  stepBy(delta: number): void;
  /** A new run: its last step and how far it is computed. */
  setMaxStep(maxStep: number, computed?: number): void;
  setComputed(computed: number): void;
  setPlaying(playing: boolean): void;
  togglePlaying(): void;
  setSpeed(speed: Speed): void;
  /** A speed for a new run of `steps` events, unless the user has chosen one. */
  suggestSpeed(steps: number): void;
  setLayer(layer: MapLayer): void;
  setColourBy(colourBy: ColourBy): void;
  setGuestIndex(i: number): void;
  selectPfn(pfn: number | null): void;
  selectOutcome(index: number | null): void;
  setZoom(zoom: Zoom | null): void;
  setTheme(theme: Theme): void;
  setZen(zen: ZenGeneration): void;
  toggleKind(kind: string): void;
  setHiddenKinds(kinds: readonly string[]): void;
  togglePanel(panel: keyof Panels, open?: boolean): void;
  setTool(tool: Tool | null): void;
  setDialog(dialog: Dialog): void;
  setLecture(lecture: boolean): void;
}

const clamp = (step: number, max: number) => Math.max(0, Math.min(max, Math.round(step) || 0));

function initialTheme(): Theme {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return 'light';
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** A compare link (`?cmpKernel=…&cmpBacking=…`) opens compare on load. */
function initialTool(): Tool | null {
  if (typeof window === 'undefined') return null;
  const q = new URLSearchParams(window.location.search);
  return q.has('cmpKernel') || q.has('cmpBacking') || q.get('compare') === '1' ? 'compare' : null;
}

export const useUi = create<UiState & UiActions>()((set, get) => ({
  step: 0,
  maxStep: 0,
  computed: 0,
  playing: false,
  speed: 2,
  speedChosen: false,
  layer: 'direct-map',
  colourBy: 'state',
  guestIndex: 0,
  selectedPfn: null,
  selectedOutcome: null,
  zoom: null,
  theme: initialTheme(),
  zen: 'zen4',
  hiddenKinds: [],
  panels: { counters: true, log: true, charts: true, help: false },
  dialog: null,
  lecture: false,
  tool: initialTool(),

  seek: (step) => set({ step: clamp(step, get().computed) }),
  stepBy: (delta) => set({ step: clamp(get().step + delta, get().computed), playing: false }),
  setMaxStep: (maxStep, computed = maxStep) =>
    set({ maxStep, computed, step: clamp(get().step, computed) }),
  setComputed: (computed) => set({ computed: Math.min(computed, get().maxStep) }),
  setPlaying: (playing) => set({ playing }),
  togglePlaying: () => {
    const { playing, step, maxStep } = get();
    // Play from the end starts over, as a video player does.
    if (!playing && step >= maxStep) set({ step: 0, playing: maxStep > 0 });
    else set({ playing: !playing });
  },
  setSpeed: (speed) => set({ speed, speedChosen: true }),
  suggestSpeed: (steps) => {
    if (!get().speedChosen) set({ speed: speedFor(steps) });
  },
  setLayer: (layer) => set({ layer }),
  setColourBy: (colourBy) => set({ colourBy }),
  setGuestIndex: (guestIndex) => set({ guestIndex }),
  selectPfn: (selectedPfn) => set({ selectedPfn }),
  selectOutcome: (selectedOutcome) => set({ selectedOutcome }),
  setZoom: (zoom) => set({ zoom }),
  setTheme: (theme) => set({ theme }),
  setZen: (zen) => set({ zen }),
  toggleKind: (kind) => {
    const hidden = get().hiddenKinds;
    set({
      hiddenKinds: hidden.includes(kind) ? hidden.filter((k) => k !== kind) : [...hidden, kind],
    });
  },
  setHiddenKinds: (hiddenKinds) => set({ hiddenKinds }),
  togglePanel: (panel, open) => {
    const panels = get().panels;
    set({ panels: { ...panels, [panel]: open ?? !panels[panel] } });
  },
  setTool: (tool) => set({ tool, playing: false }),
  setDialog: (dialog) => set({ dialog }),
  setLecture: (lecture) => set({ lecture }),
}));
