import { describe, expect, it } from 'vitest';
import { layoutFor, pfnAt, rangeBox } from './geometry';
import { type Box, boxOfRange, rangeOfView } from './view-range';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

/** A seeded LCG, so a failing box can be replayed from the printed seed. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

describe('rangeOfView / boxOfRange', () => {
  // 1 GiB (one block), 3 GiB (a 2 × 2 grid with an empty block), 64 GiB (8 × 8 blocks).
  for (const regions of [512, 1536, 32_768]) {
    const l = layoutFor(regions);
    it(`a view inside the ${regions / 512} GiB map reopens as the same box (seed 7)`, () => {
      const next = rng(7);
      for (let i = 0; i < 2000; i++) {
        const k = 2 ** (next() * 12 - 6); // 1/64 … 64 px a cell
        const w = (200 + next() * 1200) / k;
        const h = (150 + next() * 700) / k;
        if (w >= l.width || h >= l.height) continue;
        const x0 = next() * (l.width - w);
        const y0 = next() * (l.height - h);
        const view = { x0, y0, x1: x0 + w, y1: y0 + h };
        const z = rangeOfView(l, view, k)!;
        const back = boxOfRange(l, z)!;
        // A quarter pixel, but never finer than 1/64 of a cell, nor coarser than a cell.
        const px = Math.max(1 / 64, 1 / Math.max(1, 4 * k)) + 1e-9;
        const where = `seed 7, box ${i}: ${JSON.stringify(view)} at k ${k}`;
        expect(Math.abs(back.box.x0 - view.x0), where).toBeLessThanOrEqual(px);
        expect(Math.abs(back.box.y0 - view.y0), where).toBeLessThanOrEqual(px);
        expect(Math.abs(back.box.x1 - view.x1), where).toBeLessThanOrEqual(px);
        expect(Math.abs(back.box.y1 - view.y1), where).toBeLessThanOrEqual(px);
      }
    });
  }

  it('the range holds every frame on screen', () => {
    const l = layoutFor(1536);
    const next = rng(11);
    for (let i = 0; i < 300; i++) {
      const x0 = next() * 900;
      const y0 = next() * 900;
      const view = { x0, y0, x1: x0 + 1 + next() * 120, y1: y0 + 1 + next() * 120 };
      const z = rangeOfView(l, view, 4)!;
      for (let s = 0; s < 40; s++) {
        const pfn = pfnAt(
          l,
          view.x0 + next() * (view.x1 - view.x0),
          view.y0 + next() * (view.y1 - view.y0),
        );
        if (pfn < 0) continue;
        // The frame overlaps [start, end): the corners' bytes lie inside the corner frames.
        expect(pfn).toBeGreaterThanOrEqual(Math.floor(z.start / 4096));
        expect(pfn).toBeLessThanOrEqual(Math.floor((z.end - 1) / 4096));
      }
    }
  });

  it('4K cells at 47 px a cell: corners to 1/64 of a cell, not whole 2 MiB tiles', () => {
    // The review's view: 14 × 5 cells of regions 0 and 1 (it wrote zoom=0x0-0x400000).
    const l = layoutFor(512);
    const view = { x0: 15.74, y0: 23.69, x1: 29.65, y1: 29.0 };
    const z = rangeOfView(l, view, 47.4)!;
    expect(z.start % (2 * MiB)).not.toBe(0);
    const back = boxOfRange(l, z)!;
    expect(back.exact).toBe(true);
    expect(back.box.x1 - back.box.x0).toBeCloseTo(view.x1 - view.x0, 1);
    expect(back.box.y1 - back.box.y0).toBeCloseTo(view.y1 - view.y0, 1);
  });

  it('zoomed out to 1/4 px a cell or less, both ends are page-aligned', () => {
    const l = layoutFor(32_768);
    const z = rangeOfView(l, { x0: 100.3, y0: 612.7, x1: 1700.2, y1: 2100.9 }, 0.25)!;
    expect(z.start % 4096).toBe(0);
    expect(z.end % 4096).toBe(0);
  });

  it('the whole map is the whole host', () => {
    const l = layoutFor(512);
    expect(rangeOfView(l, { x0: -40, y0: -3, x1: 560, y1: 520 }, 1.2)).toEqual({
      start: 0,
      end: GiB,
    });
  });

  it('a view off the map has no range', () => {
    expect(rangeOfView(layoutFor(512), { x0: 600, y0: 0, x1: 700, y1: 50 }, 2)).toBeNull();
  });

  it('never writes two 2 MiB-aligned ends unless their tiles are the view', () => {
    const l = layoutFor(512);
    // Tiles 5..8 of rows 0 and 1: as a plain range these would be rows 0 and 1 whole.
    const view: Box = { x0: 80, y0: 0, x1: 144, y1: 64 };
    const z = rangeOfView(l, view, 8)!;
    expect(z.start).toBe(5 * 2 * MiB);
    expect(z.end % (2 * MiB)).not.toBe(0);
    const back = boxOfRange(l, z)!;
    expect(back.exact).toBe(true);
    expect(back.box.x0).toBe(80);
    expect(back.box.x1).toBeCloseTo(144, 1);
    // Whole rows of tiles are a plain range already.
    expect(rangeOfView(l, { x0: 0, y0: 32, x1: 512, y1: 96 }, 1)).toEqual({
      start: 32 * 2 * MiB,
      end: 96 * 2 * MiB,
    });
  });

  it('2 MiB-aligned ranges (hand-written, import, older links) show the tiles that hold them', () => {
    const l = layoutFor(2048); // 4 GiB: 64 tiles a row, 32 rows (a block is 8 rows)
    expect(boxOfRange(l, { start: GiB, end: 2 * GiB })).toEqual({
      box: { x0: 0, y0: 256, x1: 1024, y1: 512 },
      exact: false,
    });
    // Blocks 0..2 are whole rows of tiles.
    expect(boxOfRange(l, { start: 0, end: 3 * GiB })?.box).toEqual(
      rangeBox(l, 0, (3 * GiB) / 4096),
    );
    expect(boxOfRange(l, { start: 0, end: 4 * MiB })?.box).toEqual({
      x0: 0,
      y0: 0,
      x1: 32,
      y1: 32,
    });
  });

  it('a page range whose corners cross (a row end, then the next row) shows its tiles', () => {
    const l = layoutFor(512);
    // Frames 10..20 of region 0: the end of cell row 0 and the start of row 1.
    const r = boxOfRange(l, { start: 10 * 4096, end: 21 * 4096 })!;
    expect(r.exact).toBe(false);
    expect(r.box).toEqual(rangeBox(l, 10, 21));
  });

  it('a range beyond the host shows nothing', () => {
    expect(boxOfRange(layoutFor(512), { start: 4 * GiB, end: 8 * GiB })).toBeNull();
  });
});
