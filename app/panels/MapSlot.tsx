/**
 * Where the memory map and its inspector go (app/map, built alongside). Until they land this
 * shows a plain placeholder with the same accessible name, so layout and tests can proceed.
 */
import type { MapLayer } from '../../src/worker/protocol';

export interface MapSlotProps {
  snapshotStep: number;
  layer: MapLayer;
  selectedPfn: number | null;
  onSelect(pfn: number | null): void;
  zoom?: { start: number; end: number };
  onZoomChange?(z: { start: number; end: number }): void;
  guestIndex?: number;
  theme: 'light' | 'dark';
  animate: boolean;
}

export function MapSlot(props: MapSlotProps) {
  return (
    <div className="map-placeholder">
      <canvas aria-label="Host memory map" width={1} height={1} />
      <p>Memory map at step {props.snapshotStep}</p>
    </div>
  );
}
