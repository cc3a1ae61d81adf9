/**
 * The app's test hooks as the tests see them: `window.__fracture` (written by the app, typed
 * for the app in app/test-hooks.ts). Only what e2e/ and bench/ call is listed here.
 */
import type { MapSnapshot, StepView } from '../../src/worker/protocol';

export interface MapHook {
  transform(): { k: number; x: number; y: number };
  ready(): boolean;
  stats: {
    drawMs: number[];
    slow: Record<string, number>[];
    draws: number;
    firstDataFrameAt: number | null;
    reset(): void;
  };
  zoomBy(f: number): void;
  panBy(dx: number, dy: number): void;
  fit(): void;
  /** Labels the last frame drew, CSS px from the canvas's top-left (tests hit-test them). */
  labelBoxes(): { x: number; y: number; w: number; h: number; text: string; cell?: number }[];
  /** Where region r's tile is on screen (CSS px), null before a snapshot. */
  tileRect(r: number): { x: number; y: number; w: number; h: number } | null;
  /** The whole grid on screen and the canvas's CSS size. */
  gridRect(): {
    x: number;
    y: number;
    w: number;
    h: number;
    stageW: number;
    stageH: number;
    /** CSS px of the address ruler at the left: tiles under it are hidden. */
    gutter: number;
    /** CSS px at the top the column heads' strip hides (0 when it is not over the grid). */
    head: number;
  } | null;
  /** What the shown step changed, in words ('' until known). */
  changeText(): string;
  /** The follow camera is away from the view it left. */
  following(): boolean;
  /** The go-to box's action: an error message, or null. */
  goTo(text: string): string | null;
}

export interface FractureHooks {
  /** The explorer's engine (only the calls the tests make). */
  engine?: {
    snapshot(step: number): Promise<MapSnapshot>;
    stepViews(step: number): Promise<{ view: StepView; prev: StepView | null }>;
    progress(): Promise<{ settled: boolean; computed: number; steps: number } | null>;
  };
  killEngine?: (message?: string) => void;
  killTools?: (message?: string) => void;
  map?: MapHook;
  importOverlay?: { outlined: number; step: number; differ: number; agree: number };
}

declare global {
  interface Window {
    __fracture?: FractureHooks;
  }
}
