/**
 * The one object tests and the benchmark reach the app through (`window.__fracture`): the
 * explorer's engine calls, ways to kill the workers (e2e/worker-failure.spec.ts), the memory
 * map's handle and what the import overlay drew last. The app writes these; nothing in it reads
 * them back.
 */

import type { Engine } from './engine-client';

/**
 * The memory map's handle (app/map: MapView.debugHandle() is checked against it). Declared here,
 * not taken from the map, so the app's root modules import nothing from its folders.
 */
export interface MapHook {
  stats: {
    readonly drawMs: number[];
    readonly slow: Record<string, number>[];
    draws: number;
    firstDataFrameAt: number | null;
    reset(): void;
  };
  zoomBy(f: number): void;
  panBy(dx: number, dy: number): void;
  fit(): void;
  transform(): { k: number; x: number; y: number };
  ready(): boolean;
  regionAt(x: number, y: number): number;
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

/** What the import overlay drew in its last frame (for tests: the map is a canvas). */
export interface OverlayDrawStats {
  frames: number;
  step: number;
  differ: number;
  agree: number;
  /** Differing regions outlined in the last frame (visible and big enough). */
  outlined: number;
  pfns: number;
}

export interface TestHooks {
  /** The explorer's engine (bench/map.bench.spec.ts: seek round trips through the worker). */
  engine?: Engine;
  /** Kill the engine worker or the tools worker, as a crash would (terminate + error event). */
  killEngine?: (message?: string) => void;
  killTools?: (message?: string) => void;
  /** The memory map's handle (transform, stats, ready). */
  map?: MapHook;
  /** What the import overlay drew in its last frame. */
  importOverlay?: OverlayDrawStats;
}

declare global {
  interface Window {
    __fracture?: TestHooks;
  }
}

export function testHooks(): TestHooks {
  window.__fracture ??= {};
  return window.__fracture;
}
