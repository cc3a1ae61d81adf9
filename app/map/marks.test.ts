import { describe, expect, it } from 'vitest';
import { LEVEL_2M, type MapSnapshot } from '../../src/worker/protocol';
import { layoutFor } from './geometry';
import { drawMarks, FADE_MS, markPhase, PULSE_MS } from './marks';
import { regionAddress } from './overlays';
import { paletteFor } from './palette';

class FakePath2D {
  readonly rects: number[][] = [];
  rect(...a: number[]) {
    this.rects.push(a);
  }
}
(globalThis as { Path2D?: unknown }).Path2D ??= FakePath2D;

/** A context that keeps the paths it strokes. */
function strokes(): { ctx: CanvasRenderingContext2D; paths: FakePath2D[] } {
  const paths: FakePath2D[] = [];
  const ctx = new Proxy({} as Record<string | symbol, unknown>, {
    get: (t, p) =>
      p in t ? t[p] : p === 'stroke' ? (path: FakePath2D) => paths.push(path) : () => {},
    set: (t, p, v) => {
      t[p] = v;
      return true;
    },
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, paths };
}

function scene(regions: number) {
  const snap: MapSnapshot = {
    step: 1,
    regions,
    regionCode: new Uint8Array(regions).fill(1),
    regionLevel: new Uint8Array(regions).fill(LEVEL_2M),
    regionFlags: new Uint8Array(regions),
    regionUserLevel: new Uint8Array(regions),
  };
  return {
    layout: layoutFor(regions),
    snap,
    layer: 'direct-map' as const,
    palette: paletteFor('light'),
    cells: new Map<number, Uint8Array>(),
    addressLabel: regionAddress,
  };
}

describe('marks (what changed at this step)', () => {
  it('on a whole 1 TiB host, changed tiles under a pixel wide still get 9 px rings', () => {
    const s = scene(512 * 1024);
    const k = 600 / s.layout.width; // the host fitted into 600 px
    expect(16 * k).toBeLessThan(1);
    const { ctx, paths } = strokes();
    // Two neighbours (one bucket) and one far away (another).
    const regions = [1000, 1001, 400_000];
    drawMarks(
      ctx,
      s,
      { k, x: 0, y: 0, width: 600, height: 600 },
      {
        regions,
        pfns: [],
        age: Number.POSITIVE_INFINITY,
      },
    );
    const rings = paths[1]!.rects;
    expect(rings).toHaveLength(2);
    for (const r of rings) expect(r[2]).toBeGreaterThanOrEqual(9);
  });

  it('rings a tile around its outline and, from 3 px a cell, each changed cell', () => {
    const s = scene(512);
    const { ctx, paths } = strokes();
    drawMarks(
      ctx,
      s,
      { k: 4, x: 0, y: 0, width: 2048, height: 2048 },
      {
        regions: [1],
        pfns: [0x21f],
        age: Number.POSITIVE_INFINITY,
      },
    );
    expect(paths[1]!.rects).toHaveLength(2);
  });

  it('pulses once, then fades to a steady ring that stays', () => {
    expect(markPhase(0).pulse).toBe(0);
    expect(markPhase(PULSE_MS / 2).pulse).toBeCloseTo(0.5);
    expect(markPhase(PULSE_MS + 1).pulse).toBeNull();
    const steady = markPhase(PULSE_MS + FADE_MS * 10).alpha;
    expect(steady).toBeGreaterThan(0.5);
    expect(markPhase(Number.POSITIVE_INFINITY).alpha).toBe(steady);
  });

  it('rings the tile, not each cell, when most of its cells changed', () => {
    const s = scene(512);
    const { ctx, paths } = strokes();
    const pfns = Array.from({ length: 512 }, (_, i) => 512 + i);
    drawMarks(
      ctx,
      s,
      { k: 8, x: 0, y: 0, width: 4096, height: 4096 },
      {
        regions: [1],
        pfns,
        age: Number.POSITIVE_INFINITY,
      },
    );
    expect(paths[1]!.rects).toHaveLength(1);
  });
});
