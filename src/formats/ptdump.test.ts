import { describe, expect, it } from 'vitest';
import { bootDirectMap } from '../machine/boot-layout';
import { GiB, MiB } from '../machine/units';
import { type DirectMapEntry, formatPtdump, formatPtdumpSize } from './ptdump';

const lines = (entries: DirectMapEntry[], opts = {}) =>
  formatPtdump(entries, opts).trimEnd().split('\n');

describe('ptdump writer (note_page / printk_prot)', () => {
  it('prints a 4K run exactly as the kernel does, columns included', () => {
    const out = lines([{ start: 0, end: 2 * MiB, level: '4K' }]);
    expect(out[0]).toBe('---[ Low Kernel Mapping ]---');
    expect(out[1]).toBe(
      '0xffff888000000000-0xffff888000200000           2M     RW                 GLB NX pte',
    );
  });

  it('marks 2M and 1G leaves PSE and names them pmd and pud', () => {
    const out = lines([
      { start: 0, end: 2 * MiB, level: '4K' },
      { start: 2 * MiB, end: GiB, level: '2M' },
      { start: GiB, end: 3 * GiB, level: '1G' },
    ]);
    expect(out[2]).toBe(
      '0xffff888000200000-0xffff888040000000        1022M     RW         PSE     GLB NX pmd',
    );
    expect(out[3]).toBe(
      '0xffff888040000000-0xffff8880c0000000           2G     RW         PSE     GLB NX pud',
    );
  });

  it('does not normalise sizes: divides by 1024 only while divisible', () => {
    expect(formatPtdumpSize(1022n * 1024n * 1024n)).toBe('     1022M');
    expect(formatPtdumpSize(2008n * 1024n)).toBe('     2008K');
    expect(formatPtdumpSize(24064n << 30n)).toBe('    24064G');
    expect(formatPtdumpSize(4097n)).toBe('     4097B');
    expect(formatPtdumpSize(0n)).toBe('        0E');
  });

  it('prints holes with 30 blanks at the level of the table that holds them', () => {
    const out = lines([
      { start: 0, end: 0x9f000, level: '4K' },
      { start: 0x100000, end: 0x7fe00000, level: '4K' },
    ]);
    // A hole inside a PTE table is "pte"; an empty PMD entry "pmd"; an empty PUD entry "pud".
    expect(out).toContain(
      '0xffff88800009f000-0xffff888000100000         388K                               pte',
    );
    expect(out).toContain(
      '0xffff88807fe00000-0xffff888080000000           2M                               pmd',
    );
    expect(out).toContain(
      '0xffff888080000000-0xffff890000000000         510G                               pud',
    );
    expect(out).toContain(
      '0xffff890000000000-0xffffc90000000000          64T                               pgd',
    );
    expect(out.at(-1)).toBe('---[ vmalloc() Area ]---');
  });

  it('merges touching runs of equal flags and level, and splits on any difference', () => {
    const out = lines([
      { start: 0, end: 2 * MiB, level: '4K' },
      { start: 2 * MiB, end: 4 * MiB, level: '4K' },
      { start: 4 * MiB, end: 6 * MiB, level: '4K', rw: false },
      { start: 6 * MiB, end: 8 * MiB, level: '4K', nx: false },
    ]);
    expect(out[1]).toMatch(/^0xffff888000000000-0xffff888000400000 {11}4M {5}RW .* NX pte$/);
    expect(out[2]).toMatch(/ {11}2M {5}ro {17}GLB NX pte$/);
    expect(out[3]).toMatch(/ {11}2M {5}RW {17}GLB x {2}pte$/);
  });

  it('keeps removed (not present) entries apart from holes: they still carry GLB and NX', () => {
    const out = lines([
      { start: 0, end: 4096, level: '4K' },
      { start: 4096, end: 8192, level: '4K', present: false },
      { start: 8192, end: 2 * MiB, level: '4K' },
    ]);
    expect(out[2]).toBe(
      '0xffff888000001000-0xffff888000002000           4K                               pte',
    );
  });

  it('prints p4d holes and the LA57 base on a 5-level host', () => {
    const out = lines([{ start: 0, end: 2 * MiB, level: '4K' }], { fiveLevel: true });
    expect(out[1]?.startsWith('0xff11000000000000-0xff11000000200000')).toBe(true);
    expect(out.some((l) => l.endsWith(' p4d'))).toBe(true);
    expect(out.at(-2)).toMatch(/-0xffa0000000000000 +\d+[KMGTPE] +pgd$/);
  });

  it('places a KASLR base mid-pgd with pud holes before the next 512 GiB boundary', () => {
    const base = 0xffff9b6a40000000n;
    const out = lines(bootDirectMap([{ start: 0, end: 4 * GiB }], true), { pageOffset: base });
    expect(out[1]?.startsWith('0xffff9b6a40000000-')).toBe(true);
    expect(out).toContain(
      '0xffff9b6b40000000-0xffff9b8000000000          83G                               pud',
    );
  });

  it('rejects unaligned or overlapping entries as a programming error', () => {
    expect(() => formatPtdump([{ start: 4096, end: 3 * MiB, level: '2M' }])).toThrow(RangeError);
    expect(() =>
      formatPtdump([
        { start: 0, end: 8192, level: '4K' },
        { start: 4096, end: 12288, level: '4K' },
      ]),
    ).toThrow(RangeError);
  });
});
