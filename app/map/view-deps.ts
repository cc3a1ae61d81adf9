/**
 * What the explorer's map is wired to (MapDeps): the explorer's engine client, the run it loaded
 * last, and the painters over the host layers. The one place app/map reaches the engine client;
 * compare's maps are given their snapshots instead. Painters are registered by the entry
 * (app/boot.tsx registers the import overlay), so app/map does not import app/import.
 */
import { currentRun, getEngine, onRunChange } from '../engine-client';
import type { MapPainter } from './draw';
import type { MapDeps } from './view';

const hostOverlays: MapPainter[] = [];

/** A painter drawn over the host layers of the explorer's map (not the guest view). */
export function addHostOverlay(p: MapPainter): void {
  if (!hostOverlays.includes(p)) hostOverlays.push(p);
}

export function explorerDeps(): MapDeps {
  return { source: getEngine(), run: currentRun, onRunChange, hostOverlays };
}
