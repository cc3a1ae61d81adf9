/**
 * The map's geometry (app/map/geometry.ts): a 2 MiB tile is 16 × 32 cells of 4 KiB, tiles sit
 * 32 to a row inside a 1 GiB block; world units are cells. The map exposes its d3-zoom transform
 * as window.__fracture.map for tests and benchmarks (helpers/hooks.ts).
 */
export const TILE_W = 16;
export const TILE_H = 32;

/** World cell of a frame inside the first 1 GiB block (thread-2021's host is 1 GiB). */
export function worldOfPfn(pfn: number): { x: number; y: number } {
  const region = Math.floor(pfn / 512);
  const i = pfn % 512;
  return {
    x: (region % 32) * TILE_W + (i % TILE_W),
    y: Math.floor(region / 32) * TILE_H + Math.floor(i / TILE_W),
  };
}
