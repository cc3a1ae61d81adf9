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
