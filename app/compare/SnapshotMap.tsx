/**
 * A still memory map of one MapSnapshot, for A and B side by side. The explorer's MemoryMap is
 * bound to the explorer's engine; compare's snapshots come from workers of their own, so this
 * wires the map's parts without the loader: a camera with no gestures (it fits the whole host, or
 * a byte range when given one: share links' `zoom`, an embed's setView), the region layer (a step
 * repaints only the tiles it changed) and drawMap, with no hover, minimap or cell fetches. Drawn
 * on resize and on every prop change.
 */
import { useEffect, useRef } from 'react';
import type { MapLayer, MapSnapshot } from '../../src/worker/protocol';
import { Camera } from '../map/camera';
import { drawMap } from '../map/draw';
import { CELLS_PER_REGION, layoutFor, rangeBox } from '../map/geometry';
import { RegionLayer } from '../map/layers';
import { regionAddress } from '../map/overlays';
import { paletteFor } from '../map/palette';
import './snapshot-map.css';

export interface SnapshotMapProps {
  snap: MapSnapshot;
  /** 'guest' has no host snapshot: drawn as the direct map. */
  layer: MapLayer;
  theme: 'light' | 'dark';
  zoom?: { start: number; end: number } | null;
  selectedPfn?: number | null;
  label: string;
}

const NO_CELLS: ReadonlyMap<number, Uint8Array> = new Map();

export function SnapshotMap(props: SnapshotMapProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  const drawRef = useRef<(() => void) | null>(null);

  useEffect(() => {
    const wrap = wrapRef.current;
    const canvas = canvasRef.current;
    if (!wrap || !canvas) return;
    const region = new RegionLayer();
    const draw = () => {
      const { snap, theme, zoom, selectedPfn } = propsRef.current;
      const layer: MapLayer =
        propsRef.current.layer === 'guest' ? 'direct-map' : propsRef.current.layer;
      const layout = layoutFor(snap.regions);
      const palette = paletteFor(theme);
      region.show(`${layout.regions}|${layer}|${theme}`, layout, snap, layer, palette);
      camera.measure();
      camera.setWorld(layout);
      const pages = layout.regions * CELLS_PER_REGION;
      camera.zoomTo(
        zoom && zoom.end > zoom.start
          ? rangeBox(
              layout,
              Math.min(pages - 1, Math.floor(zoom.start / 4096)),
              Math.min(pages, Math.ceil(zoom.end / 4096)),
            )
          : { x0: 0, y0: 0, x1: layout.width, y1: layout.height },
        0.02,
      );
      const ctx = canvas.getContext('2d', { alpha: false });
      if (!ctx) return;
      drawMap(ctx, {
        dpr: camera.dpr,
        width: camera.cssW,
        height: camera.cssH,
        palette,
        scene: { layout, snap, layer, palette, cells: NO_CELLS, addressLabel: regionAddress },
        viewport: camera.viewport(),
        region: region.placed,
        detail: null,
        overlays: [],
        flash: null,
        selectedPfn: selectedPfn ?? null,
        cursorPfn: null,
        stale: false,
      });
    };
    const camera = new Camera({ canvas, stage: wrap, gestures: false, onResize: draw });
    drawRef.current = draw;
    return () => {
      drawRef.current = null;
      camera.dispose();
    };
  }, []);

  const { snap, layer, theme, zoom, selectedPfn } = props;
  // biome-ignore lint/correctness/useExhaustiveDependencies: draw reads the props through propsRef
  useEffect(() => drawRef.current?.(), [snap, layer, theme, zoom, selectedPfn]);

  return (
    <div ref={wrapRef} className="snapshot-map">
      <canvas ref={canvasRef} role="img" aria-label={props.label} />
    </div>
  );
}
