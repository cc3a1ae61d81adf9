import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bootDirectMap, countPieces, type MapPiece } from '../../machine/boot-layout';
import { GiB, MiB, PMD_SIZE, PUD_SIZE } from '../../machine/units';
import { meminfoFromCounts } from '../meminfo';
import { formatPtdump } from '../ptdump';
import { parsePtdump } from './ptdump';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function parsed(text: string, opts = {}) {
  const r = parsePtdump(text, opts);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

describe('ptdump import: real-shaped dumps', () => {
  it('rebuilds the layout and DirectMap totals of a 4-level debugfs dump with splits', () => {
    const v = parsed(fixture('kernel-4level.txt'));
    expect(v.pageOffsetBase).toBe(0xffff888000000000n);
    expect(v.baseSource).toBe('known');
    expect(v.marker).toBe('Low Kernel Mapping');
    expect(v.meminfo).toEqual({ DirectMap4k: 11452, DirectMap2M: 5062656, DirectMap1G: 61865984 });
    expect(v.pieces.slice(0, 4)).toEqual([
      { start: 0, end: 2 * MiB, level: '4K' },
      { start: 2 * MiB, end: 0x75a00000, level: '2M' },
      { start: 0x75a00000, end: 0x75b2f000, level: '4K' },
      { start: 4 * GiB, end: 0x123400000, level: '2M' },
    ]);
  });

  it('ignores the vmemmap, vmalloc and high-kernel regions and the ESPfix "entries skipped" line', () => {
    const v = parsed(fixture('kernel-4level.txt'));
    expect(v.pieces.every((p) => p.end <= 0x1080000000)).toBe(true);
  });

  it('finds a KASLR direct map filed under the wrong marker in an early-boot dmesg copy', () => {
    const v = parsed(fixture('dmesg-early-boot-kaslr.txt'));
    expect(v.pageOffsetBase).toBe(0xffff9b6a40000000n);
    expect(v.baseSource).toBe('detected');
    expect(v.marker).toBe('Vmemmap');
    expect(v.meminfo).toEqual({ DirectMap4k: 3944, DirectMap2M: 2093056, DirectMap1G: 6291456 });
    const expected = bootDirectMap(
      [
        { start: 0, end: 0x9f000 },
        { start: 0x100000, end: 0xbffda000 },
        { start: 4 * GiB, end: 9 * GiB },
      ],
      true,
    );
    expect(v.pieces).toEqual(expected);
  });

  it('takes an explicit page_offset_base over detection', () => {
    const v = parsed(fixture('dmesg-early-boot-kaslr.txt'), {
      pageOffsetBase: 0xffff9b6a40000000n,
    });
    expect(v.baseSource).toBe('option');
    expect(v.meminfo.DirectMap1G).toBe(6291456);
  });

  it('reads a 5-level dump with p4d lines at 0xff11000000000000', () => {
    const v = parsed(fixture('kernel-5level.txt'));
    expect(v.fiveLevel).toBe(true);
    expect(v.pageOffsetBase).toBe(0xff11000000000000n);
    expect(v.meminfo).toEqual({ DirectMap4k: 6144, DirectMap2M: 4186112, DirectMap1G: 1069547520 });
  });

  it('reads the old kernel_page_tables file with the direct map at 0xffff880000000000', () => {
    const v = parsed(fixture('kernel_page_tables-4.14.txt'));
    expect(v.pageOffsetBase).toBe(0xffff880000000000n);
    expect(v.gbpages).toBe(false);
    expect(v.meminfo).toEqual({ DirectMap4k: 4032, DirectMap2M: 16773120, DirectMap1G: 0 });
  });

  it('survives squeezed blanks, CRLF line ends and journalctl prefixes', () => {
    const text = fixture('kernel-4level.txt')
      .split('\n')
      .map((l) => `Jun 10 12:00:01 host kernel: ${l.replace(/ +/g, ' ')}\r`)
      .join('\n');
    expect(parsed(text).meminfo.DirectMap4k).toBe(11452);
  });
});

describe('ptdump import: bad input is reported, never thrown', () => {
  const line = (s: string) => `---[ Low Kernel Mapping ]---\n${s}\n`;
  it.each([
    [
      'a size that disagrees with the range',
      '0xffff888000000000-0xffff888000200000   4M     RW   GLB NX pte',
      /size 4M/,
    ],
    ['a truncated line', '0xffff888000000000-0xffff8880002', /truncated or malformed/],
    [
      'an unknown flag',
      '0xffff888000000000-0xffff888000200000   2M  RW FOO GLB NX pte',
      /unknown flag "FOO"/,
    ],
    [
      'a 32-bit dump',
      '0xc0000000-0xc0200000           2M     RW         PSE     GLB NX pmd',
      /32-bit/,
    ],
    [
      'an arm64 dump',
      '0xffff000000000000-0xffff000000200000           2M PMD       RW NX SHD AF        BLK UXN    MEM/NORMAL',
      /arm64/,
    ],
    [
      'a misaligned pmd',
      '0xffff888000001000-0xffff888000201000           2M     RW   PSE  GLB NX pmd',
      /aligned/,
    ],
  ])('rejects %s', (_name, text, message) => {
    const r = parsePtdump(line(text));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]?.message).toMatch(message);
      expect(r.errors[0]?.expected.length).toBeGreaterThan(0);
    }
  });

  it('rejects two dumps pasted one after the other, naming the line', () => {
    const one = fixture('kernel_page_tables-4.14.txt');
    const r = parsePtdump(one + one);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.line).toBe(one.split('\n').length + 1);
  });

  it('says so when no direct map can be found', () => {
    const r = parsePtdump(
      '0xffffc90000000000-0xffffc90000004000          16K     RW                 GLB NX pte\n',
    );
    expect(r.ok).toBe(false);
  });

  it('warns about lines missing inside the direct map', () => {
    const text = fixture('kernel-4level.txt')
      .split('\n')
      .filter((l) => !l.startsWith('0xffff888800a00000'))
      .join('\n');
    const r = parsePtdump(text);
    expect(r.ok && r.warnings.some((w) => w.includes('missing'))).toBe(true);
  });
});

/** Random usable ranges (with holes), boot-mapped, then random set_memory_4k()-style splits. */
const arbDirectMap = fc
  .record({
    ranges: fc.array(
      fc.record({
        startPage: fc.integer({ min: 0, max: 96 * 262144 }),
        pages: fc.integer({ min: 1, max: 8 * 262144 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    gbpages: fc.boolean(),
    splits: fc.array(fc.integer({ min: 0, max: 104 * 262144 - 1 }), { maxLength: 8 }),
  })
  .map(({ ranges, gbpages, splits }) => {
    let pieces = bootDirectMap(
      ranges.map((r) => ({ start: r.startPage * 4096, end: (r.startPage + r.pages) * 4096 })),
      gbpages,
    );
    for (const page of splits) pieces = split4k(pieces, page * 4096);
    return pieces;
  });

function split4k(pieces: MapPiece[], addr: number): MapPiece[] {
  const i = pieces.findIndex((p) => p.start <= addr && addr < p.end);
  const p = pieces[i];
  if (!p || p.level === '4K') return pieces;
  const size = p.level === '1G' ? PUD_SIZE : PMD_SIZE;
  const rs = Math.floor(addr / size) * size;
  const sub = p.level === '1G' ? '2M' : '4K';
  const parts: MapPiece[] = [
    { start: p.start, end: rs, level: p.level },
    { start: rs, end: rs + size, level: sub },
    { start: rs + size, end: p.end, level: p.level },
  ];
  const next = [
    ...pieces.slice(0, i),
    ...parts.filter((q) => q.end > q.start),
    ...pieces.slice(i + 1),
  ];
  return split4k(merge(next), addr);
}

function merge(pieces: MapPiece[]): MapPiece[] {
  const out: MapPiece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last && last.level === p.level && last.end === p.start) last.end = p.end;
    else out.push({ ...p });
  }
  return out;
}

describe('ptdump round trip (property)', () => {
  it('parses what the writer prints back to the same layout and totals, 4- and 5-level', () => {
    fc.assert(
      fc.property(arbDirectMap, fc.boolean(), (pieces, fiveLevel) => {
        const text = formatPtdump(pieces, { fiveLevel });
        const v = parsed(text);
        expect(v.pieces).toEqual(merge(pieces));
        expect(v.meminfo).toEqual(meminfoFromCounts(countPieces(pieces)));
        expect(v.fiveLevel).toBe(fiveLevel);
      }),
      { numRuns: 150 },
    );
  });

  it('round-trips a KASLR base found only by detection', () => {
    fc.assert(
      fc.property(arbDirectMap, fc.integer({ min: 1, max: 20000 }), (pieces, gig) => {
        // kernel_randomize_memory(): a 1 GiB-aligned base above the non-KASLR one.
        const base = 0xffff888000000000n + BigInt(gig) * (1n << 30n);
        const body = formatPtdump(pieces, { pageOffset: base }).replace(
          'Low Kernel Mapping',
          'Vmemmap',
        );
        // Found by address and level alone: with or without large pages, GLB or markers.
        const r = parsePtdump(body);
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value.pieces).toEqual(merge(pieces));
      }),
      { numRuns: 60 },
    );
  });
});
