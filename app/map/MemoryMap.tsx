/**
 * The host memory map: a thin React shell around MapView (view.ts), which draws on a canvas and
 * handles zoom, pan, hover and keys without React re-rendering. Every prop change is passed on;
 * the view fetches what it needs from the engine worker it is handed (view-deps.ts).
 */
import { useEffect, useRef } from 'react';
import type { MapLayer } from '../../src/worker/protocol';
import { testHooks } from '../test-hooks';
import { Legend } from './Legend';
import { MapView, type MapViewProps } from './view';
import { explorerDeps } from './view-deps';
import './map.css';

export interface MemoryMapProps {
  snapshotStep: number;
  layer: MapLayer;
  selectedPfn: number | null;
  onSelect(pfn: number | null): void;
  /** Physical address range [start, end) in bytes to show (from a share link). */
  zoom?: { start: number; end: number };
  /** The address range in view, reported when a zoom or pan gesture ends. */
  onZoomChange?(z: { start: number; end: number }): void;
  /** Guest shown by the 'guest' layer (GPA order). */
  guestIndex?: number;
  theme: 'light' | 'dark';
  animate: boolean;
}

export function MemoryMap(props: MemoryMapProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const miniRef = useRef<HTMLCanvasElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<MapView | null>(null);
  const propsRef = useRef<MapViewProps>(props);
  propsRef.current = props;

  useEffect(() => {
    const canvas = canvasRef.current;
    const minimap = miniRef.current;
    const tooltip = tipRef.current;
    if (!canvas || !minimap || !tooltip) return;
    const view = new MapView({ canvas, minimap, tooltip }, propsRef.current, explorerDeps());
    viewRef.current = view;
    testHooks().map = view.debugHandle();
    return () => {
      view.destroy();
      viewRef.current = null;
    };
  }, []);

  useEffect(() => {
    viewRef.current?.setProps(props);
  });

  return (
    <div className={`fmap fmap-${props.theme}`}>
      <canvas
        ref={canvasRef}
        className="fmap-canvas"
        role="img"
        aria-label="Host memory map"
        aria-describedby="fmap-keys"
        tabIndex={0}
      />
      <div className="fmap-mini-wrap" aria-hidden="true">
        <canvas ref={miniRef} className="fmap-mini" title="Overview: click to jump" />
      </div>
      <div ref={tipRef} className="fmap-tip" role="tooltip" hidden />
      <Legend layer={props.layer} theme={props.theme} />
      <p id="fmap-keys" className="fmap-sr">
        Arrow keys pan, plus and minus zoom, 0 fits the whole host, Enter selects the frame under
        the dashed cursor, Escape clears the selection.
      </p>
    </div>
  );
}
