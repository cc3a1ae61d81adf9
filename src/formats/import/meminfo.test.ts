import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decomposeSplits, parseMeminfo, parseVmstat } from './meminfo';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const m = (k4: number, m2: number, g1: number) => ({
  DirectMap4k: k4,
  DirectMap2M: m2,
  DirectMap1G: g1,
});

describe('/proc/meminfo import', () => {
  it('reads the three DirectMap lines of an x86-64 host', () => {
    const r = parseMeminfo(fixture('meminfo-x86.txt'));
    expect(r.ok && r.value).toEqual({
      meminfo: m(11452, 5062656, 61865984),
      gbpages: true,
      vmstat: null,
    });
  });

  it('reads a host without gbpages (no DirectMap1G line) as 1G = 0', () => {
    const r = parseMeminfo('DirectMap4k:        2048 kB\nDirectMap2M:     1046528 kB\n');
    expect(r.ok && r.value.meminfo).toEqual(m(2048, 1046528, 0));
    expect(r.ok && r.value.gbpages).toBe(false);
  });

  it('picks up vmstat counters when both files were concatenated', () => {
    const r = parseMeminfo(`${fixture('meminfo-x86.txt')}${fixture('vmstat-x86.txt')}`);
    expect(r.ok && r.value.vmstat?.direct_map_level2_splits).toBe(517);
  });

  it('explains a 32-bit non-PAE meminfo (DirectMap4M), naming the line', () => {
    const r = parseMeminfo(fixture('meminfo-i386.txt'));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors[0]).toMatchObject({
        line: 7,
        message: expect.stringMatching(/32-bit non-PAE/),
      });
  });

  it('explains a meminfo from another architecture (no DirectMap lines)', () => {
    const r = parseMeminfo(fixture('meminfo-arm64.txt'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.message).toMatch(/another architecture/);
  });

  it('rejects two snapshots in one text and values that are not whole pages', () => {
    const two = parseMeminfo(fixture('meminfo-x86.txt') + fixture('meminfo-x86-after.txt'));
    expect(!two.ok && two.errors[0]?.message).toMatch(/appears twice/);
    const odd = parseMeminfo('DirectMap4k: 6 kB\nDirectMap2M: 2048 kB\n');
    expect(!odd.ok && odd.errors[0]?.message).toMatch(/not a whole number of pages/);
  });
});

describe('/proc/vmstat import', () => {
  it('reads the split and collapse counters', () => {
    const r = parseVmstat(fixture('vmstat-x86.txt'));
    expect(r.ok && r.value).toEqual({
      direct_map_level2_splits: 517,
      direct_map_level3_splits: 3,
      direct_map_level2_collapses: 0,
      direct_map_level3_collapses: 0,
    });
  });

  it('explains a vmstat without direct-map counters', () => {
    const r = parseVmstat('nr_free_pages 123\nnr_zone_active_anon 4\n');
    expect(!r.ok && r.errors[0]?.message).toMatch(/no direct_map_level2_splits/);
  });
});

describe('decomposing a DirectMap change into whole splits', () => {
  it.each([
    ['nothing changed', m(2048, 4096, 1048576), m(2048, 4096, 1048576), 0, 0],
    ['one 2M→4K split', m(2048, 4096, 0), m(4096, 2048, 0), 1, 0],
    ['one 1G→2M split', m(0, 0, 2 * 1048576), m(0, 1048576, 1048576), 0, 1],
    ['one 4K change inside a 1G page: both splits', m(0, 0, 1048576), m(2048, 1046528, 0), 1, 1],
    [
      '512 2M→4K splits after one 1G→2M',
      m(11452, 5062656, 61865984),
      m(1060028, 5062656, 60817408),
      512,
      1,
    ],
  ])('%s', (_name, before, after, level2, level3) => {
    const d = decomposeSplits(before, after);
    expect(d.ok).toBe(true);
    if (d.ok) {
      expect(d.splits).toEqual({
        direct_map_level2_splits: level2,
        direct_map_level3_splits: level3,
      });
    }
  });

  it.each([
    ['the total changed (hot-plug)', m(2048, 4096, 0), m(2048, 6144, 0), /hot-\(un\)plug/],
    ['DirectMap4k shrank (collapse)', m(4096, 2048, 0), m(2048, 4096, 0), /collapse/],
    ['DirectMap1G grew', m(0, 1048576, 0), m(0, 0, 1048576), /DirectMap1G grew/],
    ['not whole 2 MiB splits', m(4, 4092, 0), m(8, 4088, 0), /not a whole number/],
  ])('says clearly when %s cannot come from splits alone', (_name, before, after, reason) => {
    const d = decomposeSplits(before, after);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toMatch(reason);
  });
});

describe('malformed counter lines are named, not passed over', () => {
  it('a DirectMap line with a value that is not a number of kB', () => {
    const r = parseMeminfo(
      'MemTotal:       16384000 kB\nDirectMap4k:  notanumber kB\nDirectMap2M:    12345 kB\n',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ line: 2, message: 'DirectMap4k: found "notanumber kB"' });
  });

  it('a direct_map counter with a negative value', () => {
    const r = parseVmstat('direct_map_level2_splits -5\ndirect_map_level3_splits 0\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ line: 1, message: 'direct_map_level2_splits: found "-5"' });
  });
});
