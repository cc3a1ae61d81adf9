/**
 * A still memory map of one MapSnapshot, for A and B side by side. The explorer's MemoryMap is
 * bound to the explorer's engine; compare's snapshots come from workers of their own, so this
 * draws them with the same pieces (region raster, grids, selection mark) but no zoom gestures,
 * hover or cell fetches: it fits the whole host, or a byte range when given one (share links'
 * `zoom`, an embed's setView). Drawn on mount, on resize and on every prop change.
 */
import { useEffect, useRef } from 'react';
import type { MapLayer, MapSnapshot } from '../../src/worker/protocol';
import { CELLS_PER_REGION, layoutFor, rangeBox } from '../map/geometry';
import { drawFrameMark, drawGrids, drawLabels, type OverlayState } from '../map/overlays';
import { paletteFor } from '../map/palette';
import { buildRegionRaster } from '../map/raster';
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

export function SnapshotMap(props: SnapshotMapProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { snap, theme, zoom, selectedPfn } = props;
  const layer: MapLayer = props.layer === 'guest' ? 'direct-map' : props.layer;

  useEffect(() => {
    const wrap = wrapRef.current;
    const canvas = canvasRef.current;
    if (!wrap || !canvas) return;
    const layout = layoutFor(snap.regions);
    const palette = paletteFor(theme);
    const { image, worldPerPx } = buildRegionRaster(layout, snap, layer, palette);
    const raster = document.createElement('canvas');
    raster.width = image.width;
    raster.height = image.height;
    raster.getContext('2d')?.putImageData(image, 0, 0);

    const draw = () => {
      const r = wrap.getBoundingClientRect();
      const cssW = Math.max(1, Math.floor(r.width));
      const cssH = Math.max(1, Math.floor(r.height));
      const dpr = Math.min(2, window.devicePixelRatio || 1);
      canvas.width = Math.round(cssW * dpr);
      canvas.height = Math.round(cssH * dpr);
      canvas.style.width = `${cssW}px`;
      canvas.style.height = `${cssH}px`;
      const ctx = canvas.getContext('2d', { alpha: false });
      if (!ctx) return;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.fillStyle = palette.background;
      ctx.fillRect(0, 0, cssW, cssH);
      const pages = layout.regions * CELLS_PER_REGION;
      const box =
        zoom && zoom.end > zoom.start
          ? rangeBox(
              layout,
              Math.min(pages - 1, Math.floor(zoom.start / 4096)),
              Math.min(pages, Math.ceil(zoom.end / 4096)),
            )
          : { x0: 0, y0: 0, x1: layout.width, y1: layout.height };
      const bw = Math.max(1, box.x1 - box.x0);
      const bh = Math.max(1, box.y1 - box.y0);
      const k = Math.min(64, Math.min(cssW / bw, cssH / bh) * 0.96);
      const v = {
        k,
        x: (cssW - k * (box.x0 + box.x1)) / 2,
        y: (cssH - k * (box.y0 + box.y1)) / 2,
        width: cssW,
        height: cssH,
      };
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(
        raster,
        v.x,
        v.y,
        raster.width * worldPerPx * k,
        raster.height * worldPerPx * k,
      );
      const s: OverlayState = {
        layout,
        snap,
        layer,
        palette,
        cells: new Map(),
        addressLabel: (region) => `0x${(region * 2 ** 21).toString(16)}`,
        importOverlay: false,
      };
      drawGrids(ctx, s, v);
      drawLabels(ctx, s, v);
      if (selectedPfn !== null && selectedPfn !== undefined && selectedPfn < pages)
        drawFrameMark(ctx, s, v, selectedPfn, 'selected');
    };
    draw();
    const ro = new ResizeObserver(draw);
    ro.observe(wrap);
    return () => ro.disconnect();
  }, [snap, layer, theme, zoom, selectedPfn]);

  return (
    <div ref={wrapRef} className="snapshot-map">
      <canvas ref={canvasRef} role="img" aria-label={props.label} />
    </div>
  );
}
