/**
 * The map's geometry (app/map/geometry.ts): a 2 MiB tile is 16 × 32 cells of 4 KiB, tiles sit
 * in rows of consecutive addresses whose length follows the stage; world units are cells. The map exposes its d3-zoom transform
 * as window.__fracture.map for tests and benchmarks (helpers/hooks.ts).
 */
export const TILE_W = 16;
export const TILE_H = 32;

/**
 * World cell of a frame when tiles sit `perRow` to a row (app/map/geometry.ts regionXY/pfnXY).
 * The map picks perRow from the stage's aspect: ask it with perRowOf(page).
 */
export function worldOfPfn(pfn: number, perRow = 32): { x: number; y: number } {
  const region = Math.floor(pfn / 512);
  const i = pfn % 512;
  return {
    x: (region % perRow) * TILE_W + (i % TILE_W),
    y: Math.floor(region / perRow) * TILE_H + Math.floor(i / TILE_W),
  };
}

/** Tiles per row in the page's map now (from where the map drew tiles 0 and the grid). */
export async function perRowOf(page: { evaluate<R>(f: () => R): Promise<R> }): Promise<number> {
  return page.evaluate(() => {
    const m = window.__fracture?.map;
    const t = m?.tileRect(0);
    const g = m?.gridRect();
    return t && g ? Math.round(g.w / t.w) : 32;
  });
}
