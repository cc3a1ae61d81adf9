/**
 * What a slide reads from the engine's answers, as pure functions: the counters with their change
 * since the step before, and the regions that changed at the step (ringed on the slide).
 */
import type { MapSnapshot, Metrics } from '../../src/worker/protocol';
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
