import { describe, expect, it } from 'vitest';
import { formatMeminfo, meminfoFromCounts } from '../formats/meminfo';
import { bootDirectMap, countPieces } from './boot-layout';
import { GiB, MiB } from './units';

const meminfo = (ranges: { start: number; end: number }[], gb = true) =>
  meminfoFromCounts(countPieces(bootDirectMap(ranges, gb)));

describe('boot-time direct map (split_mem_range)', () => {
  it('maps a 64 GiB range from 0 as 2 MiB of 4K, 511 x 2M, 63 x 1G', () => {
    expect(meminfo([{ start: 0, end: 64 * GiB }])).toEqual({
      DirectMap4k: 2048,
      DirectMap2M: 511 * 2048,
      DirectMap1G: 63 * 1048576,
    });
  });

  it('uses 2M instead of 1G without gbpages', () => {
    expect(meminfo([{ start: 0, end: 4 * GiB }], false)).toEqual({
      DirectMap4k: 2048,
      DirectMap2M: (4 * 512 - 1) * 2048,
      DirectMap1G: 0,
    });
  });

  it('cuts an unaligned range into 4K head, 2M, 1G, 2M, 4K tail', () => {
    const pieces = bootDirectMap(
      [{ start: 1 * GiB + 0x1000, end: 3 * GiB + 3 * MiB + 0x3000 }],
      true,
    );
    expect(pieces.map((p) => [p.start.toString(16), p.end.toString(16), p.level])).toEqual([
      ['0', '100000', '4K'],
      ['40001000', '40200000', '4K'],
      ['40200000', '80000000', '2M'],
      ['80000000', 'c0000000', '1G'],
      ['c0000000', 'c0200000', '2M'],
      ['c0200000', 'c0303000', '4K'],
    ]);
  });

  it('maps the first 1 MiB even when the firmware lists no RAM there', () => {
    const m = meminfo([{ start: 4 * GiB, end: 8 * GiB }]);
    expect(m).toEqual({ DirectMap4k: 1024, DirectMap2M: 0, DirectMap1G: 4 * 1048576 });
  });

  it('prints the kernel format, with no 1G line without gbpages', () => {
    const text = formatMeminfo({ DirectMap4k: 2048, DirectMap2M: 1046528, DirectMap1G: 0 }, false);
    expect(text).toBe('DirectMap4k:        2048 kB\nDirectMap2M:     1046528 kB\n');
  });
});
