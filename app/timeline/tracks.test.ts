import { describe, expect, it } from 'vitest';
import {
  columnBounds,
  decimate,
  formatValue,
  lowerBound,
  nearest,
  tracksOf,
  upperBound,
} from './tracks';

describe('timeline tracks: per-pixel decimation', () => {
  it('puts a sample at the end of the range in the last column, even at epoch seconds', () => {
    const x = Float64Array.from([1796286608, 1796286609, 1796286610]);
    const b = columnBounds(x, x[0]!, x[2]!, 4);
    expect([...b]).toEqual([0, 1, 1, 2, 3]);
    expect(lowerBound(x, 1796286609)).toBe(1);
    expect(upperBound(x, 1796286609)).toBe(2);
    expect(nearest(x, 1796286609.6)).toBe(2);
  });

  it('gives each column the min and max it covers and marks the columns where the value changed', () => {
    const x = Float64Array.from({ length: 8 }, (_, i) => i);
    const v = Float64Array.from([5, 5, 5, 7, 7, Number.NaN, 7, 9]);
    const d = decimate(v, columnBounds(x, 0, 7, 4));
    expect([...d.min]).toEqual([5, 5, 7, 7]);
    expect([...d.max]).toEqual([5, 7, 7, 9]);
    expect([...d.changed]).toEqual([0, 1, 0, 1]);
    expect([d.lo, d.hi]).toEqual([5, 9]);
  });

  it('orders DirectMap sizes by page size and lists other keys apart', () => {
    const keys = [
      'direct_map_level2_splits',
      'DirectMap1G',
      'DirectMap4k',
      'MemTotal',
      'DirectMap2M',
    ];
    const cols = { t: new Float64Array(), wall: new Float64Array(), keys, values: [] };
    const { tracks, other } = tracksOf(cols);
    expect(tracks.map((t) => t.key)).toEqual([
      'DirectMap4k',
      'DirectMap2M',
      'DirectMap1G',
      'direct_map_level2_splits',
    ]);
    expect(other).toEqual(['MemTotal']);
    expect(formatValue(30720, 'kB')).toBe('30 MiB');
    expect(formatValue(25165824, 'kB')).toBe('24 GiB');
  });
});
