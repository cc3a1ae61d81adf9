import { describe, expect, it } from 'vitest';
import { LEVEL_2M, LEVEL_4K, type MapSnapshot } from '../../src/worker/protocol';
import { drawMap, type MapFrame } from './draw';
import { layoutFor } from './geometry';
import type { Placed } from './layers';
import { regionAddress } from './overlays';
import { paletteFor } from './palette';

// Vitest runs in node: overlays.ts batches its lines into Path2D objects, which the recording
// context only needs to tell apart.
class FakePath2D {
  readonly ops: unknown[][] = [];
  moveTo(...a: unknown[]) {
    this.ops.push(['moveTo', ...a]);
  }
  lineTo(...a: unknown[]) {
    this.ops.push(['lineTo', ...a]);
  }
  rect(...a: unknown[]) {
    this.ops.push(['rect', ...a]);
  }
}
(globalThis as { Path2D?: unknown }).Path2D ??= FakePath2D;

type Call = [string, ...unknown[]];

/** A 2D context that records every call and property write, in order. */
function recorder(): { ctx: CanvasRenderingContext2D; calls: Call[] } {
  const calls: Call[] = [];
  const state: Record<string | symbol, unknown> = {};
  const ctx = new Proxy(state, {
    get(_, prop) {
      if (prop in state) return state[prop];
      if (prop === 'measureText') return (text: string) => ({ width: 6.6 * text.length });
      return (...args: unknown[]) => calls.push([String(prop), ...args]);
    },
    set(_, prop, value) {
      state[prop] = value;
      calls.push([`${String(prop)}=`, value]);
      return true;
    },
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls };
}

const palette = paletteFor('light');

/** One 1 GiB block; region 1 split to 4K. */
function scene(): NonNullable<MapFrame['scene']> {
  const regions = 512;
  const snap: MapSnapshot = {
    step: 4,
    regions,
    regionCode: new Uint8Array(regions).fill(1),
    regionLevel: new Uint8Array(regions).fill(LEVEL_2M),
    regionFlags: new Uint8Array(regions),
    regionUserLevel: new Uint8Array(regions),
  };
  snap.regionLevel[1] = LEVEL_4K;
  const layout = layoutFor(regions);
  return {
    layout,
    snap,
    layer: 'direct-map',
    palette,
    cells: new Map(),
    addressLabel: regionAddress,
  };
}

/** The region raster of one block at 8 × 16 px a tile: 256 × 256 px, 2 cells a pixel. */
const region = (): Placed => ({
  image: { width: 256, height: 256 } as never,
  x: 0,
  y: 0,
  worldPerPx: 2,
});

function frame(over: Partial<MapFrame> = {}): MapFrame {
  return {
    dpr: 2,
    width: 800,
    height: 600,
    palette,
    scene: scene(),
    viewport: { k: 1, x: 10, y: 20, width: 800, height: 600 },
    region: region(),
    detail: null,
    overlays: [],
    flash: null,
    selectedPfn: null,
    cursorPfn: null,
    stale: false,
    ...over,
  };
}

const named = (calls: Call[], name: string) => calls.filter((c) => c[0] === name);
const indexOf = (calls: Call[], pred: (c: Call) => boolean) => calls.findIndex(pred);

describe('drawMap', () => {
  it('draws only the ground until a snapshot is loaded', () => {
    const { ctx, calls } = recorder();
    expect(drawMap(ctx, frame({ scene: null }))).toBeNull();
    expect(calls).toEqual([
      ['setTransform', 2, 0, 0, 2, 0, 0],
      ['fillStyle=', palette.background],
      ['fillRect', 0, 0, 800, 600],
    ]);
  });

  it('blits the whole region raster, unsmoothed, at fit zoom', () => {
    const { ctx, calls } = recorder();
    drawMap(ctx, frame());
    expect(indexOf(calls, (c) => c[0] === 'imageSmoothingEnabled=' && c[1] === false)).toBe(3);
    // 256 px × 2 cells a px × k 1 = 512 CSS px, placed at the transform's offset.
    expect(named(calls, 'drawImage')).toEqual([
      ['drawImage', expect.anything(), 0, 0, 256, 256, 10, 20, 512, 512],
    ]);
  });

  it('blits only the part of a raster that is on screen when zoomed in', () => {
    const { ctx, calls } = recorder();
    // k = 8: the view shows world x 100–200, y 50–125 (cells).
    drawMap(ctx, frame({ viewport: { k: 8, x: -800, y: -400, width: 800, height: 600 } }));
    const [, , sx, sy, sw, sh, dx, dy, dw, dh] = named(calls, 'drawImage')[0]!;
    expect([sx, sy, sw, sh]).toEqual([50, 25, 50, 38]);
    expect([dx, dy, dw, dh]).toEqual([0, 0, 800, 608]);
  });

  it('skips a raster wholly off screen', () => {
    const { ctx, calls } = recorder();
    drawMap(ctx, frame({ viewport: { k: 1, x: 2000, y: 0, width: 800, height: 600 } }));
    expect(named(calls, 'drawImage')).toEqual([]);
  });

  it('draws back to front: region, detail, grids, overlays, flash, marks, heads, veil', () => {
    const { ctx, calls } = recorder();
    const detail: Placed = {
      image: { width: 64, height: 64 } as never,
      x: 16,
      y: 0,
      worldPerPx: 1,
    };
    // k = 8 px a cell: tile grids, cell grids in the split tile and its label all show.
    drawMap(
      ctx,
      frame({
        viewport: { k: 8, x: 0, y: 0, width: 800, height: 600 },
        detail,
        overlays: [(c) => c.fillText('overlay', 0, 0)],
        flash: { regions: [1], progress: 0.5 },
        marks: { regions: [1], pfns: [0x21f], age: Number.POSITIVE_INFINITY },
        selectedPfn: 512,
        cursorPfn: 3,
        stale: true,
      }),
    );
    const draws = named(calls, 'drawImage');
    expect(draws).toHaveLength(2);
    expect(draws[1]!.slice(2, 6)).toEqual([0, 0, 64, 64]);
    const at = {
      region: indexOf(calls, (c) => c[0] === 'drawImage'),
      detail: calls.lastIndexOf(draws[1]!),
      grids: indexOf(calls, (c) => c[0] === 'stroke'),
      overlay: indexOf(calls, (c) => c[0] === 'fillText' && c[1] === 'overlay'),
      flash: indexOf(
        calls,
        (c) => c[0] === 'fillStyle=' && String(c[1]).startsWith('rgba(255, 196, 0'),
      ),
      marks: indexOf(calls, (c) => c[0] === 'strokeStyle=' && c[1] === '#c8007a'),
      // Tile heads sit in their strip above the grid, over everything but the selection.
      label: indexOf(calls, (c) => c[0] === 'fillText' && c[1] === '0x200000 4K'),
      selected: indexOf(calls, (c) => c[0] === 'strokeStyle=' && c[1] === palette.accent),
      cursor: indexOf(calls, (c) => c[0] === 'setLineDash' && (c[1] as number[]).length === 2),
      veil: indexOf(calls, (c) => c[0] === 'globalAlpha=' && c[1] === 0.75),
    };
    const order = Object.entries(at).sort((a, b) => a[1] - b[1]);
    expect(order.map(([k]) => k)).toEqual(Object.keys(at));
    expect(Object.values(at).every((i) => i >= 0)).toBe(true);
    // The veil covers the whole canvas in the ground colour, last.
    expect(calls.slice(at.veil + 1, at.veil + 4)).toEqual([
      ['fillStyle=', palette.background],
      ['fillRect', 0, 0, 800, 600],
      ['restore'],
    ]);
  });

  it('marks no selection outside the map', () => {
    for (const selectedPfn of [-1, 512 * 512]) {
      const { ctx, calls } = recorder();
      drawMap(ctx, frame({ selectedPfn }));
      expect(calls.some((c) => c[0] === 'strokeStyle=' && c[1] === palette.accent)).toBe(false);
    }
  });

  it('gives each painter the scene and viewport it draws', () => {
    const { ctx } = recorder();
    const f = frame();
    const seen: unknown[] = [];
    drawMap(ctx, { ...f, overlays: [(_, s, v) => seen.push(s, v)] });
    expect(seen).toEqual([f.scene, f.viewport]);
  });

  it('times its phases with the clock it is given', () => {
    const { ctx } = recorder();
    let t = 0;
    const times = drawMap(ctx, frame({ clock: () => ++t }));
    expect(times).toMatchObject({ raster: 1, detail: 2, grids: 3, labels: 4 });
  });
});
