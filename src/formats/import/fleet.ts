/**
 * The fleet view's numbers for a Prometheus answer with many instances: each host's DirectMap4k
 * share (DirectMap4k over the sum of every DirectMap* size: how much of its direct map is 4K
 * pages), its growth over the window, its splits, a ranking, and the shares of all hosts on one
 * time axis for the small multiples. Computed from the series' own arrays (a 10,000-host day is
 * 2.88 M samples: no sample objects are built); a Timeline is built only for a host opened.
 */
import { type PromHost, promHostTimeline, sameTimes } from './prometheus';
import type { Timeline } from './timeline';

/** One host of a fleet answer, as the fleet view ranks it. */
export interface FleetHost {
  /** Index into the answer's timelines (parsePrometheus order). */
  index: number;
  host: string;
  samples: number;
  /** DirectMap4k over the sum of every DirectMap* key, at the host's last and first sample (0…1). */
  share: number;
  shareFirst: number;
  /** share − shareFirst: how much of the direct map went to 4K over the window (fraction). */
  growth: number;
  /** DirectMap4k in kB at the last sample and its change over the window. */
  k4Kb: number;
  k4GrowthKb: number;
  /** direct_map_level2_splits + level3 over the window; null when the host exports neither. */
  splits: number | null;
}

/**
 * A host's series as columns on one time axis: `wall[i]` and each key's value at i (NaN where
 * missing), scaled to the kernel's unit by `scale` (the meminfo bytes → kB).
 */
export interface HostColumns {
  host: string;
  wall: ArrayLike<number>;
  cols: { key: string; vs: ArrayLike<number>; scale: number }[];
}

/** Columns of an instance: its series' own arrays when they share their times (the usual case). */
export function promHostColumns(h: PromHost, index: number): HostColumns {
  const host = h.host ?? `series ${index + 1}`;
  const first = h.series[0]!.ts;
  if (h.series.every((s) => sameTimes(s.ts, first))) {
    return {
      host,
      wall: first,
      cols: h.series.map((s) => ({ key: s.key, vs: s.vs, scale: s.scale })),
    };
  }
  return timelineHostColumns(promHostTimeline(h, []), index);
}

export function timelineHostColumns(tl: Timeline, index: number): HostColumns {
  const n = tl.samples.length;
  const wall = Float64Array.from(tl.samples, (s) => s.wall);
  const cols = tl.keys.map((key) => {
    const vs = new Float64Array(n);
    for (let i = 0; i < n; i++) vs[i] = tl.samples[i]!.values[key] ?? Number.NaN;
    return { key, vs, scale: 1 };
  });
  return { host: tl.host ?? `series ${index + 1}`, wall, cols };
}

/** DirectMap4k / Σ DirectMap* at each time; NaN without a DirectMap4k or a total. */
export function shareColumn(h: HostColumns): Float64Array {
  const n = h.wall.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const k4 = h.cols.find((c) => c.key === 'DirectMap4k');
  if (!k4) return out;
  const dm = h.cols.filter((c) => c.key.startsWith('DirectMap'));
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (const c of dm) {
      const v = c.vs[i]!;
      if (!Number.isNaN(v)) total += v * c.scale;
    }
    const v = k4.vs[i]! * k4.scale;
    if (total > 0 && !Number.isNaN(v)) out[i] = v / total;
  }
  return out;
}

function edge(vs: ArrayLike<number>, dir: 1 | -1): number {
  const n = vs.length;
  for (let j = 0; j < n; j++) {
    const x = vs[dir === 1 ? j : n - 1 - j]!;
    if (Number.isFinite(x)) return x;
  }
  return Number.NaN;
}

function splitsOver(h: HostColumns): number | null {
  let any = false;
  let sum = 0;
  for (const c of h.cols) {
    if (c.key !== 'direct_map_level2_splits' && c.key !== 'direct_map_level3_splits') continue;
    const a = edge(c.vs, 1);
    const b = edge(c.vs, -1);
    if (Number.isFinite(a) && Number.isFinite(b)) {
      any = true;
      // A counter that went down was reset (a reboot): count what it holds now.
      sum += b >= a ? b - a : b;
    }
  }
  return any ? sum : null;
}

export function fleetHostOf(h: HostColumns, index: number, share: Float64Array): FleetHost {
  const k4c = h.cols.find((c) => c.key === 'DirectMap4k');
  const k4 = k4c ? edge(k4c.vs, -1) * k4c.scale : Number.NaN;
  const k4First = k4c ? edge(k4c.vs, 1) * k4c.scale : Number.NaN;
  const last = edge(share, -1);
  const first = edge(share, 1);
  return {
    index,
    host: h.host,
    samples: h.wall.length,
    share: last,
    shareFirst: first,
    growth: last - first,
    k4Kb: k4,
    k4GrowthKb: k4 - k4First,
    splits: splitsOver(h),
  };
}

/** Every host of a fleet with its DirectMap4k share and growth, in answer order. */
export function fleetHosts(timelines: readonly Timeline[]): FleetHost[] {
  return timelines.map((tl, i) => {
    const h = timelineHostColumns(tl, i);
    return fleetHostOf(h, i, shareColumn(h));
  });
}

export type FleetOrder = 'share' | 'growth';

/** Hosts ranked, highest first; hosts without a DirectMap4k (NaN) last, then by name. */
export function rankFleet(hosts: readonly FleetHost[], by: FleetOrder): FleetHost[] {
  const key = (h: FleetHost) => (by === 'share' ? h.share : h.growth);
  return [...hosts].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const nx = Number.isNaN(x);
    const ny = Number.isNaN(y);
    if (nx !== ny) return nx ? 1 : -1;
    if (!nx && x !== y) return y - x;
    return a.host < b.host ? -1 : a.host > b.host ? 1 : 0;
  });
}

/** The fleet's shared time axis: the earliest and latest wall time of any host. */
export function fleetSpan(hosts: readonly HostColumns[]): { t0: number; t1: number } {
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const h of hosts) {
    const n = h.wall.length;
    if (n === 0) continue;
    if (h.wall[0]! < t0) t0 = h.wall[0]!;
    if (h.wall[n - 1]! > t1) t1 = h.wall[n - 1]!;
  }
  return t1 >= t0 ? { t0, t1 } : { t0: 0, t1: 0 };
}

/**
 * Host `row`'s share in `points` buckets over [t0, t1] into grid[row × points …], the last
 * sample in a bucket winning (the grid starts as NaN: no sample).
 */
export function fillShareRow(
  grid: Float32Array,
  row: number,
  points: number,
  span: { t0: number; t1: number },
  wall: ArrayLike<number>,
  share: Float64Array,
): void {
  const w = span.t1 - span.t0 || 1;
  for (let i = 0; i < share.length; i++) {
    const x = share[i]!;
    if (Number.isNaN(x)) continue;
    const p = Math.min(points - 1, Math.max(0, Math.floor(((wall[i]! - span.t0) / w) * points)));
    grid[row * points + p] = x;
  }
}
