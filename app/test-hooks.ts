/**
 * The one object tests and the benchmark reach the app through (`window.__fracture`): the
 * explorer's engine calls, ways to kill the workers (e2e/worker-failure.spec.ts), the memory
 * map's handle and what the import overlay drew last. The app writes these; nothing in it reads
 * them back.
 */

import type { Engine } from './engine-client';
import type { OverlayDrawStats } from './import/map-overlay';
import type { MapView } from './map/view';

export interface TestHooks {
  /** The explorer's engine (bench/map.bench.spec.ts: seek round trips through the worker). */
  engine?: Engine;
  /** Kill the engine worker or the tools worker, as a crash would (terminate + error event). */
  killEngine?: (message?: string) => void;
  killTools?: (message?: string) => void;
  /** The memory map's handle (transform, stats, ready). */
  map?: ReturnType<MapView['debugHandle']>;
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
