import { describe, expect, it } from 'vitest';
import {
  layoutFor,
  pfnAt,
  pfnXY,
  rangeBox,
  regionAt,
  regionXY,
  scaleText,
  TILE_H,
  TILE_W,
} from './geometry';

describe('the map layout (geometry.ts): rows of 2 MiB tiles wrap to the stage', () => {
  it('a 1 GiB host is a square of 32 × 16 tiles on a square stage, wider rows on a wide one', () => {
    expect(layoutFor(512, 1)).toMatchObject({ perRow: 32, rows: 16 });
    const wide = layoutFor(512, 16 / 9);
    expect(wide.perRow).toBeGreaterThan(32);
    // The grid's aspect follows the stage's within a row's rounding.
    expect(wide.width / wide.height).toBeGreaterThan(1.3);
    expect(layoutFor(512, 0.4).perRow).toBeLessThan(32);
  });

  it('a many-block host keeps whole 1 GiB blocks in a row unless another length is 10% better', () => {
    const l = layoutFor(512 * 1024, 16 / 9); // 1 TiB
    expect(512 % l.perRow === 0 || l.perRow % 512 === 0).toBe(true);
  });

  it('places regions and frames in address order, row by row, and finds them again', () => {
    const l = layoutFor(512, 2);
    for (const r of [0, 1, l.perRow - 1, l.perRow, 511]) {
      const [x, y] = regionXY(l, r);
      expect([x, y]).toEqual([(r % l.perRow) * TILE_W, Math.floor(r / l.perRow) * TILE_H]);
      expect(regionAt(l, x + 3, y + 5)).toBe(r);
    }
    const [x, y] = pfnXY(l, 0x21f);
    expect(pfnAt(l, x + 0.5, y + 0.5)).toBe(0x21f);
    expect(rangeBox(l, 0, 512 * l.perRow)).toEqual({ x0: 0, y0: 0, x1: l.width, y1: TILE_H });
  });

  it('says its scale', () => {
    expect(scaleText(layoutFor(512, 1))).toBe('one tile = 2 MiB · one row = 64 MiB');
    expect(scaleText({ ...layoutFor(512, 1), perRow: 512 })).toBe(
      'one tile = 2 MiB · one row = 1 GiB',
    );
  });
});
