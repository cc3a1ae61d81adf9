import { describe, expect, it } from 'vitest';
import type { MapSnapshot, Metrics } from '../../src/worker/protocol';
import { changedRegions, slideCounters } from './slide-data';

const metrics = (dm4k: number, splits: number) =>
  ({
    meminfo: { DirectMap4k: dm4k, DirectMap2M: 1044480, DirectMap1G: 0 },
    vmstat: { direct_map_level2_splits: splits, direct_map_level3_splits: 0 },
  }) as Metrics;

const snap = (codes: number[]): MapSnapshot => {
  const n = codes.length;
  return {
    step: 0,
    regions: n,
    regionCode: Uint8Array.from(codes),
    regionLevel: new Uint8Array(n),
    regionFlags: new Uint8Array(n),
    regionUserLevel: new Uint8Array(n),
  };
};

describe('slideCounters', () => {
  it('writes each counter with its change since the step before (±0 when none)', () => {
    const rows = slideCounters(metrics(4096, 2), metrics(2048, 1));
    expect(rows[0]).toEqual({ label: 'DirectMap4k', value: '4,096 kB', delta: '+2,048 kB' });
    expect(rows[1]!.delta).toBe('±0');
    expect(rows[3]).toEqual({ label: 'level2_splits', value: '2', delta: '+1' });
    expect(slideCounters(metrics(2048, 1), metrics(4096, 1))[0]!.delta).toBe('−2,048 kB');
    // Step 0 has no step before it.
    expect(slideCounters(metrics(4096, 0), null)[0]!.delta).toBe('');
  });
});

describe('changedRegions', () => {
  it('lists the regions in range whose summary differs from the step before', () => {
    const before = snap([1, 1, 5, 5]);
    const now = snap([1, 4, 5, 5]);
    now.regionUserLevel[3] = 3;
    expect([...changedRegions(now, before, { firstRegion: 0, endRegion: 4 })]).toEqual([1, 3]);
    expect([...changedRegions(now, before, { firstRegion: 2, endRegion: 4 })]).toEqual([3]);
    expect(changedRegions(now, null, { firstRegion: 0, endRegion: 4 }).size).toBe(0);
  });
});
