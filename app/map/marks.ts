/**
 * What changed at this step, drawn over the map (changes.ts finds it): a ring around each changed
 * 2 MiB tile and, where cells are big enough to see, each changed 4 KiB cell. A ring pulses
 * outward once (PULSE_MS), then holds and fades to a steady outline that stays while the step is
 * shown; with reduced motion it is drawn steady at once. Tiles smaller than a few screen pixels
 * (a whole 1 TiB host at fit: a tile is a tenth of a pixel) are gathered into MIN_MARK_PX buckets,
 * each drawn as one ring of that size, so a change never vanishes below a pixel.
 */
import { CELLS_PER_REGION, pfnXY, regionXY, TILE_H, TILE_W } from './geometry';
import type { OverlayState, Viewport } from './overlays';

export const PULSE_MS = 700;
/** After the pulse the ring fades over this long to its steady strength. */
export const FADE_MS = 1600;
/** Screen px of the smallest mark: a changed region is never drawn smaller. */
const MIN_MARK_PX = 9;
/** Changed cells of one tile ringed one by one at most (past this the tile's ring says it). */
const MAX_CELL_RINGS = 48;
/** Tiles drawn one by one at most; past this the rest are bucketed even when large. */
const MAX_RINGS = 4000;

export interface MarkFrame {
  /** Changed regions (ascending). */
  regions: readonly number[];
  /** Changed frames (host PFNs, or GPA frame numbers in the guest view). */
  pfns: readonly number[];
  /** ms since the marks appeared; Infinity draws the steady ring (reduced motion). */
  age: number;
}

/** The mark's colour: a magenta no state colour uses (palette.ts), with a halo for contrast. */
const MARK = { light: '#c8007a', dark: '#ff5cc8' };
const HALO = { light: 'rgba(255,255,255,0.9)', dark: 'rgba(0,0,0,0.85)' };

/** Strength (0–1) of the steady ring at an age, and the pulse's progress (null when over). */
export function markPhase(age: number): { alpha: number; pulse: number | null } {
  if (age < PULSE_MS) return { alpha: 1, pulse: age / PULSE_MS };
  const f = Math.min(1, (age - PULSE_MS) / FADE_MS);
  return { alpha: 1 - 0.35 * f, pulse: null };
}

export function drawMarks(
  ctx: CanvasRenderingContext2D,
  s: OverlayState,
  v: Viewport,
  m: MarkFrame,
): void {
  if (m.regions.length === 0 && m.pfns.length === 0) return;
  const { alpha, pulse } = markPhase(m.age);
  const { k } = v;
  const rings = new Path2D();
  const halo = new Path2D();
  const buckets = new Set<number>();
  const tw = TILE_W * k;
  const th = TILE_H * k;
  let drawn = 0;
  for (const r of m.regions) {
    const [rx, ry] = regionXY(s.layout, r);
    const x = v.x + rx * k;
    const y = v.y + ry * k;
    if (x > v.width || y > v.height || x + tw < 0 || y + th < 0) continue;
    if (tw >= MIN_MARK_PX && drawn < MAX_RINGS) {
      rings.rect(x - 1.5, y - 1.5, tw + 3, th + 3);
      halo.rect(x - 3, y - 3, tw + 6, th + 6);
      drawn++;
      continue;
    }
    // Sub-pixel tiles: one ring per MIN_MARK_PX square of the screen that holds any.
    const bx = Math.floor((x + tw / 2) / MIN_MARK_PX);
    const by = Math.floor((y + th / 2) / MIN_MARK_PX);
    buckets.add(by * 65536 + bx);
  }
  for (const b of buckets) {
    const bx = b % 65536;
    const by = Math.floor(b / 65536);
    rings.rect(bx * MIN_MARK_PX, by * MIN_MARK_PX, MIN_MARK_PX, MIN_MARK_PX);
    halo.rect(bx * MIN_MARK_PX - 1.5, by * MIN_MARK_PX - 1.5, MIN_MARK_PX + 3, MIN_MARK_PX + 3);
  }
  // Cells, once a cell is 3 px: the ring says which of the tile's 512 pages changed (unless
  // most of them did: then the tile's ring says it, and 512 rings would hide the cells).
  const perRegion = new Map<number, number>();
  for (const pfn of m.pfns) {
    const r = Math.floor(pfn / CELLS_PER_REGION);
    perRegion.set(r, (perRegion.get(r) ?? 0) + 1);
  }
  if (k >= 3)
    for (const pfn of m.pfns.slice(0, MAX_RINGS)) {
      if ((perRegion.get(Math.floor(pfn / CELLS_PER_REGION)) ?? 0) > MAX_CELL_RINGS) continue;
      const [cx, cy] = pfnXY(s.layout, pfn);
      const x = v.x + cx * k;
      const y = v.y + cy * k;
      if (x > v.width || y > v.height || x + k < 0 || y + k < 0) continue;
      rings.rect(x - 1, y - 1, k + 2, k + 2);
      halo.rect(x - 2.5, y - 2.5, k + 5, k + 5);
    }
  const theme = s.palette.theme;
  ctx.save();
  ctx.globalAlpha = alpha;
  ctx.lineWidth = 2;
  ctx.strokeStyle = HALO[theme];
  ctx.stroke(halo);
  ctx.lineWidth = 2;
  ctx.strokeStyle = MARK[theme];
  ctx.stroke(rings);
  if (pulse !== null) {
    // The pulse: the rings again, grown and fading outward.
    const grow = 4 + 18 * pulse;
    ctx.globalAlpha = 1 - pulse;
    ctx.lineWidth = 3;
    const path = new Path2D();
    let n = 0;
    for (const r of m.regions) {
      if (n++ > 400) break;
      const [rx, ry] = regionXY(s.layout, r);
      const w = Math.max(MIN_MARK_PX, tw);
      const h = Math.max(MIN_MARK_PX, th);
      const x = v.x + rx * k + tw / 2 - w / 2;
      const y = v.y + ry * k + th / 2 - h / 2;
      if (x > v.width + grow || y > v.height + grow || x + w < -grow || y + h < -grow) continue;
      path.rect(x - grow, y - grow, w + 2 * grow, h + 2 * grow);
    }
    ctx.stroke(path);
  }
  ctx.restore();
}
