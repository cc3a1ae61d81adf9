import { describe, expect, it } from 'vitest';
import {
  CELL_FREE,
  CELL_KERNEL,
  CELL_PRIVATE,
  CELL_SHARED,
  LEVEL_1G,
  LEVEL_2M,
  LEVEL_4K,
  LEVEL_NONE,
  type MapLayer,
  type MapSnapshot,
  RF_ASSIGNED,
  RF_RMP2M,
} from '../../src/worker/protocol';
import { layoutFor } from './geometry';
import { paletteFor } from './palette';
import { buildRegionRaster, type PxRect, updateRegionRaster } from './raster';

// Vitest runs in node: a minimal ImageData (width, height, RGBA bytes) is all the raster uses.
class FakeImageData {
  readonly data: Uint8ClampedArray;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8ClampedArray(width * height * 4);
  }
}
(globalThis as { ImageData?: unknown }).ImageData ??= FakeImageData;

/** A seeded snapshot: every region gets a code, levels and flags from a small LCG. */
function snapshot(regions: number, seed: number): MapSnapshot {
  let x = seed;
  const next = (n: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
  const codes = [CELL_FREE, CELL_KERNEL, CELL_SHARED | (1 << 4), CELL_PRIVATE | (2 << 4)];
  const levels = [LEVEL_1G, LEVEL_2M, LEVEL_4K];
  const snap: MapSnapshot = {
    step: 0,
    regions,
    regionCode: new Uint8Array(regions),
    regionLevel: new Uint8Array(regions),
    regionFlags: new Uint8Array(regions),
    regionUserLevel: new Uint8Array(regions),
  };
  for (let r = 0; r < regions; r++) {
    snap.regionCode[r] = codes[next(codes.length)]!;
    snap.regionLevel[r] = levels[next(levels.length)]!;
    snap.regionUserLevel[r] = [LEVEL_NONE, LEVEL_2M, LEVEL_4K][next(3)]!;
    snap.regionFlags[r] = [0, RF_ASSIGNED, RF_ASSIGNED | RF_RMP2M][next(3)]!;
  }
  return snap;
}

/** A copy of `snap` where each picked region changes one array (code, level, flags, VMM level in turn). */
function mutate(snap: MapSnapshot, picks: number[]): MapSnapshot {
  const out: MapSnapshot = {
    ...snap,
    regionCode: snap.regionCode.slice(),
    regionLevel: snap.regionLevel.slice(),
    regionFlags: snap.regionFlags.slice(),
    regionUserLevel: snap.regionUserLevel.slice(),
  };
  picks.forEach((r, i) => {
    if (i % 4 === 0) out.regionCode[r] = CELL_PRIVATE | (5 << 4);
    if (i % 4 === 1) out.regionLevel[r] = out.regionLevel[r] === LEVEL_4K ? LEVEL_2M : LEVEL_4K;
    if (i % 4 === 2) out.regionFlags[r] = out.regionFlags[r]! ^ RF_RMP2M ^ RF_ASSIGNED;
    if (i % 4 === 3) out.regionUserLevel[r] = LEVEL_4K;
  });
  return out;
}

const pixels = (img: ImageData) => new Uint32Array(img.data.buffer);

const inside = (rects: PxRect[], x: number, y: number) =>
  rects.some((b) => x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h);

describe('updateRegionRaster', () => {
  // 3.5 blocks of 1 GiB, so the layout has a partial last block and two rows of blocks.
  const regions = 512 * 3 + 256;
  const layout = layoutFor(regions);
  const layers: MapLayer[] = ['direct-map', 'vmm', 'rmp', 'guest'];

  for (const layer of layers)
    it(`leaves the same pixels as a full rebuild (${layer} layer)`, () => {
      const p = paletteFor('dark');
      const a = snapshot(regions, 7);
      const b = mutate(a, [0, 31, 32, 511, 512, 1000, 1600, regions - 1]);
      const { image } = buildRegionRaster(layout, a, layer, p);
      updateRegionRaster(image, layout, a, b, layer, p);
      const full = buildRegionRaster(layout, b, layer, p).image;
      const got = pixels(image);
      const want = pixels(full);
      let differ = 0;
      for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) differ++;
      expect(differ).toBe(0);
      expect(got.length).toBe(want.length);
    });

  it('reports dirty rectangles that cover every pixel that changed, and nothing when none did', () => {
    const p = paletteFor('light');
    const a = snapshot(regions, 11);
    const b = mutate(a, [5, 700, 900, 901, 1700]);
    const before = buildRegionRaster(layout, a, 'direct-map', p).image;
    const image = buildRegionRaster(layout, a, 'direct-map', p).image;
    const rects = updateRegionRaster(image, layout, a, b, 'direct-map', p);
    const old = pixels(before);
    const now = pixels(image);
    let changed = 0;
    for (let y = 0; y < image.height; y++)
      for (let x = 0; x < image.width; x++) {
        const i = y * image.width + x;
        if (old[i] === now[i]) continue;
        changed++;
        expect(inside(rects, x, y)).toBe(true);
      }
    expect(changed).toBeGreaterThan(0);
    // One rectangle per row of blocks with a change: regions 5 and 700 share row 0, 1700 is in row 1.
    expect(rects).toHaveLength(2);
    expect(updateRegionRaster(image, layout, b, b, 'direct-map', p)).toEqual([]);
  });
});
