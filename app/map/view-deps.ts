/**
 * What the explorer's map is wired to (MapDeps): the explorer's engine client, the run it loaded
 * last, and the import overlay over the host layers. The one place app/map reaches the engine
 * client; compare's maps are given their snapshots instead.
 */
import { currentRun, getEngine, onRunChange } from '../engine-client';
import { drawImportOverlay } from '../import/map-overlay';
import type { MapDeps } from './view';

export function explorerDeps(): MapDeps {
  return { source: getEngine(), run: currentRun, onRunChange, hostOverlays: [drawImportOverlay] };
}
