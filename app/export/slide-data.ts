/**
 * What a slide reads from the engine's answers, as pure functions: the counters with their change
 * since the step before, and the regions that changed at the step (ringed on the slide).
 */
import {
  LEVEL_2M,
  LEVEL_4K,
  type MapLayer,
  type MapSnapshot,
  type Metrics,
  RF_ASSIGNED,
  RF_RMP2M,
} from '../../src/worker/protocol';
import { formatCount } from '../panels/format';
import type { SlideCounter } from './svg';

const kB = (n: number) => `${formatCount(n)} kB`;

function delta(now: number, prev: number | null, fmt: (n: number) => string): string {
  if (prev === null) return '';
  const d = now - prev;
  return d === 0 ? '±0' : `${d > 0 ? '+' : '−'}${fmt(Math.abs(d))}`;
}

/** The counters a kernel developer reads after a step, with their change since the step before. */
export function slideCounters(m: Metrics, prev: Metrics | null): SlideCounter[] {
  const rows: [string, (x: Metrics) => number, (n: number) => string][] = [
    ['DirectMap4k', (x) => x.meminfo.DirectMap4k, kB],
    ['DirectMap2M', (x) => x.meminfo.DirectMap2M, kB],
    ['DirectMap1G', (x) => x.meminfo.DirectMap1G, kB],
    ['level2_splits', (x) => x.vmstat.direct_map_level2_splits, formatCount],
    ['level3_splits', (x) => x.vmstat.direct_map_level3_splits, formatCount],
  ];
  return rows.map(([label, get, fmt]) => ({
    label,
    value: fmt(get(m)),
    delta: delta(get(m), prev ? get(prev) : null, fmt),
  }));
}

/** Regions in range whose code, direct-map level or VMM mapping level differ from `prev`'s. */
export function changedRegions(
  now: MapSnapshot,
  prev: MapSnapshot | null,
  range: { firstRegion: number; endRegion: number },
): Set<number> {
  const out = new Set<number>();
  if (!prev || prev.regions !== now.regions) return out;
  for (let r = range.firstRegion; r < range.endRegion; r++)
    if (
      now.regionCode[r] !== prev.regionCode[r] ||
      now.regionLevel[r] !== prev.regionLevel[r] ||
      now.regionUserLevel[r] !== prev.regionUserLevel[r] ||
      now.regionFlags[r] !== prev.regionFlags[r]
    )
      out.add(r);
  return out;
}

/** The layer a slide names in its subtitle (the direct map is the default, unnamed). */
export const LAYER_NAMES: Record<MapLayer, string> = {
  'direct-map': '',
  vmm: 'layer: VMM mapping',
  rmp: 'layer: RMP',
  guest: 'layer: direct map (the guest view is not exported)',
};

/** What 4K means on each layer, as the map's legend says it (app/map/Legend.tsx). */
export const SPLIT_WORDS: Record<MapLayer, string> = {
  'direct-map': 'direct map split to 4K',
  vmm: 'VMM maps it with 4K pages',
  rmp: 'assigned in 4K RMP entries',
  guest: 'direct map split to 4K',
};

/**
 * Per region, LEVEL_4K where the layer's mapping is 4K (the slide hatches those): the direct
 * map's level, the VMM's user mapping level, or assigned pages in 4K RMP entries. The guest
 * layer (GPA order) is drawn as the host's direct map on a slide.
 */
export function layerLevels(snap: MapSnapshot, layer: MapLayer): Uint8Array {
  if (layer === 'vmm') return snap.regionUserLevel;
  if (layer !== 'rmp') return snap.regionLevel;
  const out = new Uint8Array(snap.regions);
  for (let r = 0; r < snap.regions; r++) {
    const f = snap.regionFlags[r]!;
    out[r] = f & RF_ASSIGNED && !(f & RF_RMP2M) ? LEVEL_4K : LEVEL_2M;
  }
  return out;
}
