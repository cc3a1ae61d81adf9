/**
 * The split flash: tiles that split at a step flash and shatter for FLASH_MS when the user steps
 * forward in the host view (never backwards, across runs, or with reduced motion). This module
 * decides what flashes and how far it has gone; overlays.ts drawSplitFlash draws it.
 */
import type { MapLayer, MapSnapshot } from '../../src/worker/protocol';
import type { Loaded } from './loader';

export const FLASH_MS = 320;
/** A 1 TiB host can split thousands of tiles at once; past this many the flash is noise. */
const MAX_FLASH = 3000;

/** Regions that split (in the layer's sense) between two snapshots of one run. */
export function splitRegions(a: MapSnapshot, b: MapSnapshot, layer: MapLayer): number[] {
  if (a.regions !== b.regions) return [];
  const la = layer === 'vmm' ? a.regionUserLevel : a.regionLevel;
  const lb = layer === 'vmm' ? b.regionUserLevel : b.regionLevel;
  const out: number[] = [];
  for (let r = 0; r < b.regions && out.length < MAX_FLASH; r++)
    if (lb[r]! > la[r]! && la[r]! !== 0) out.push(r);
  return out;
}

export class SplitFlash {
  /** The host snapshot shown last: what the next one is compared with. */
  private prevHost: Loaded | null = null;
  private flash: { regions: number[]; t0: number } | null = null;

  /** A snapshot arrived: flash what split since the previous host snapshot, if it is the next. */
  loaded(next: Loaded, layer: MapLayer, animate: boolean): void {
    const before = next.space === 'host' ? this.prevHost : null;
    this.flash = null;
    if (
      before &&
      before.gen === next.gen &&
      next.step > before.step &&
      animate &&
      !matchMedia('(prefers-reduced-motion: reduce)').matches
    ) {
      const regions = splitRegions(before.snap, next.snap, layer);
      if (regions.length > 0) this.flash = { regions, t0: performance.now() };
    }
    if (next.space === 'host') this.prevHost = next;
  }

  /** The view moved or a key was pressed: the flash would point at the wrong place. */
  clear(): void {
    this.flash = null;
  }

  /** The flash at rAF time `now` (null when there is none or it is over). */
  at(now: number): { regions: readonly number[]; progress: number } | null {
    const f = this.flash;
    if (!f) return null;
    const p = (now - f.t0) / FLASH_MS;
    if (p >= 1) {
      this.flash = null;
      return null;
    }
    return { regions: f.regions, progress: Math.max(0, p) };
  }
}
