/**
 * The map's geometry (app/map/geometry.ts): a 2 MiB tile is 16 × 32 cells of 4 KiB, tiles sit
 * in rows of consecutive addresses whose length follows the stage; world units are cells. The map exposes its d3-zoom transform
 * as window.__fracture.map for tests and benchmarks (helpers/hooks.ts).
 */
export const TILE_W = 16;
export const TILE_H = 32;

/**
 * World cell of a frame in the map's first row of tiles: the first 8 regions (16 MiB) start the
 * first row whatever its length (rows are multiples of 8 tiles); the tests ask for regions 0–1.
 */
export function worldOfPfn(pfn: number): { x: number; y: number } {
  const region = Math.floor(pfn / 512);
  const i = pfn % 512;
  return {
    x: (region % 32) * TILE_W + (i % TILE_W),
    y: Math.floor(region / 32) * TILE_H + Math.floor(i / TILE_W),
  };
}
