/**
 * The ptdump importer finds the direct map by address and level in every dump shape (issue 14,
 * "Import of real dumps"): with PTI (no GLB), with a long 4K run at its start, early-boot dumps
 * under a misleading marker, 5-level dumps with p4d lines and "... N entries skipped ..." lines.
 * Never by flags: every fixture parses to the same result with GLB, NX and PSE erased. Fixtures in
 * ./fixtures (README.md there); the expected layouts are computed here from the boot layout
 * (arch/x86/mm/init.c split_mem_range(), bootDirectMap()) and set_memory_4k()-style splits.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootDirectMap, type MapPiece } from '../../machine/boot-layout';
import { DirectMap } from '../../machine/direct-map';
import { GiB } from '../../machine/units';
import { type BaseSource, parsePtdump } from './ptdump';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** The boot layout of these ranges with [a, b) split to 4K, through the engine's DirectMap. */
function layout(ranges: { start: number; end: number }[], split: [number, number][]): MapPiece[] {
  const pieces = bootDirectMap(ranges, true);
  const top = Math.max(...pieces.map((p) => p.end));
  const dm = new DirectMap(Math.ceil(top / GiB) * 262144, pieces, true);
  const mapped = (pfn: number) => pieces.some((p) => p.start <= pfn * 4096 && pfn * 4096 < p.end);
  dm.setPtePresence(mapped, (r) => mapped(r * 512) && mapped(r * 512 + 511));
  for (const [a, b] of split) dm.split4k(a / 4096, (b - a) / 4096, null);
  return dm.pieces();
}

interface Shape {
  file: string;
  base: bigint;
  source: BaseSource;
  marker: string;
  fiveLevel: boolean;
  meminfo: { DirectMap4k: number; DirectMap2M: number; DirectMap1G: number };
  pieces: MapPiece[];
}

const SHAPES: [string, Shape][] = [
  [
    'PTI (no GLB anywhere in the direct map), KASLR base, ESPfix entries skipped',
    {
      file: 'kernel-pti-kaslr.txt',
      base: 0xffff9e4d80000000n,
      source: 'marker',
      marker: 'Low Kernel Mapping',
      fiveLevel: false,
      meminfo: { DirectMap4k: 7040, DirectMap2M: 3137536, DirectMap1G: 30408704 },
      pieces: layout(
        [
          { start: 0, end: 0x9f000 },
          { start: 0x100000, end: 0x7fee0000 },
          { start: 4 * GiB, end: 34 * GiB },
        ],
        [
          [0x3b600000, 0x3b800000],
          [9 * GiB + 0x1400000, 9 * GiB + 0x1600000],
        ],
      ),
    },
  ],
  [
    'early boot (efi=debug, markers cascade: filed under Vmemmap), PTI, a 2 GiB 4K run at its start',
    {
      file: 'dmesg-early-boot-pti.txt',
      base: 0xffffa1c2c0000000n,
      source: 'detected',
      marker: 'Vmemmap',
      fiveLevel: false,
      meminfo: { DirectMap4k: 2099048, DirectMap2M: 1046528, DirectMap1G: 8388608 },
      pieces: layout(
        [
          { start: 0, end: 0x9f000 },
          { start: 0x100000, end: 0xbffda000 },
          { start: 4 * GiB, end: 12 * GiB },
        ],
        [[0, 2 * GiB]],
      ),
    },
  ],
  [
    '5-level (LA57), KASLR base, p4d hole lines, ESPfix entries skipped',
    {
      file: 'kernel-5level-kaslr.txt',
      base: 0xff3f4e0c40000000n,
      source: 'marker',
      marker: 'Low Kernel Mapping',
      fiveLevel: true,
      meminfo: { DirectMap4k: 4096, DirectMap2M: 3139584, DirectMap1G: 1070596096 },
      pieces: layout(
        [
          { start: 0, end: 0x9f000 },
          { start: 0x100000, end: 0x7fe00000 },
          { start: 4 * GiB, end: 1026 * GiB },
        ],
        [[200 * GiB + 0x1200000, 200 * GiB + 0x1400000]],
      ),
    },
  ],
];

/** printk_prot() words a copy could lose or a PTI kernel never prints: GLB, NX, PSE. */
const eraseFlags = (text: string) =>
  text
    .split('\n')
    .map((l) =>
      l.includes('0x') ? l.replace(/\b(GLB|NX|PSE)\b/g, (w) => ' '.repeat(w.length)) : l,
    )
    .join('\n');

describe('ptdump import: the direct map by address and level, in every dump shape', () => {
  it.each(SHAPES)('%s', (_, want) => {
    for (const text of [fixture(want.file), eraseFlags(fixture(want.file))]) {
      const r = parsePtdump(text);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      const v = r.value;
      expect([v.pageOffsetBase, v.baseSource, v.marker, v.fiveLevel]).toEqual([
        want.base,
        want.source,
        want.marker,
        want.fiveLevel,
      ]);
      expect(v.meminfo).toEqual(want.meminfo);
      expect(v.pieces).toEqual(want.pieces);
    }
  });

  it('the flag-erasing helper really erases flags (so the test above can fail)', () => {
    const t = eraseFlags(fixture('kernel-5level-kaslr.txt'));
    expect(t).not.toMatch(/GLB|PSE| NX /);
    expect(t).toMatch(/ RW /);
  });

  it('a PTI dump has no GLB in its direct map', () => {
    const dm = fixture('kernel-pti-kaslr.txt')
      .split('\n')
      .filter((l) => l.startsWith('0xffff9e4'));
    expect(dm.length).toBeGreaterThan(5);
    expect(dm.some((l) => l.includes('GLB'))).toBe(false);
  });

  it('an early dump says the base was detected, not known', () => {
    const r = parsePtdump(fixture('dmesg-early-boot-pti.txt'));
    expect(r.ok && r.warnings).toEqual([
      'direct map detected at 0xffffa1c2c0000000 (KASLR); pass page_offset_base to override',
    ]);
  });

  it('the skipped ESPfix entries are outside the direct map: no warning', () => {
    const r = parsePtdump(fixture('kernel-5level-kaslr.txt'));
    expect(r.ok && r.warnings).toEqual([]);
  });

  it.each([
    [
      'the direct map lines are cut out (vmalloc would be 1 GiB aligned too)',
      (t: string) =>
        t
          .split('\n')
          .filter((l) => !l.startsWith('0xffff9e4'))
          .join('\n'),
      /cannot find the direct map: the lowest kernel mapping .* is not a 1 GiB-aligned start mapping its first 1 MiB with 4K pages/,
    ],
    [
      'the first 1 MiB is missing',
      (t: string) =>
        t
          .split('\n')
          .filter((l) => !l.startsWith('0xffff9e4d80000000'))
          .join('\n'),
      /cannot find the direct map/,
    ],
  ])('refuses to guess when %s', (_, cut, message) => {
    const r = parsePtdump(cut(fixture('kernel-pti-kaslr.txt')));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.message).toMatch(message);
  });

  it('an explicit page_offset_base still wins', () => {
    const r = parsePtdump(fixture('dmesg-early-boot-pti.txt'), {
      pageOffsetBase: 0xffffa1c2c0000000n,
    });
    expect(r.ok && r.value.baseSource).toBe('option');
  });
});
