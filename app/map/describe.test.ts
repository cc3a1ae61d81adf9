import { describe, expect, it } from 'vitest';
import {
  CELL_FREE,
  CELL_KERNEL,
  CELL_PRIVATE,
  LEVEL_2M,
  LEVEL_4K,
  LEVEL_NONE,
  type MapSnapshot,
  RF_MIXED,
} from '../../src/worker/protocol';
import { type DescribeScene, describeAt, describeFrame, frameAt, guestName } from './describe';
import { layoutFor } from './geometry';

/** One 1 GiB block: region 1 split to 4K and mixed (kernel, one private page of guest 1). */
function scene(over: Partial<DescribeScene> = {}): DescribeScene {
  const regions = 512;
  const snap: MapSnapshot = {
    step: 0,
    regions,
    regionCode: new Uint8Array(regions).fill(CELL_FREE),
    regionLevel: new Uint8Array(regions).fill(LEVEL_2M),
    regionFlags: new Uint8Array(regions),
    regionUserLevel: new Uint8Array(regions).fill(LEVEL_NONE),
  };
  snap.regionCode[1] = CELL_KERNEL;
  snap.regionLevel[1] = LEVEL_4K;
  snap.regionFlags[1] = RF_MIXED;
  snap.regionUserLevel[1] = LEVEL_2M;
  return {
    layout: layoutFor(regions),
    snap,
    space: 'host',
    cells: new Map(),
    guests: [{ name: 'vm0' }, { name: 'vm1' }],
    ...over,
  };
}

describe('describeFrame', () => {
  it('names a host frame by PFN and physical address, with both mappings', () => {
    expect(describeFrame(scene(), 3).split('\n')).toEqual([
      'PFN 0x3 · phys 0x3000',
      'free',
      'direct map 2M · VMM —',
    ]);
  });

  it('says "mostly" for a mixed region whose cells are not fetched, and the split', () => {
    expect(describeFrame(scene(), 512 + 5).split('\n')).toEqual([
      'PFN 0x205 · phys 0x205000',
      'mostly host kernel',
      'direct map 4K (split) · VMM 2M',
    ]);
  });

  it("reads a fetched cell exactly, with the owning guest's name", () => {
    const cells = new Uint8Array(512).fill(CELL_KERNEL);
    cells[5] = CELL_PRIVATE | (1 << 4);
    const text = describeFrame(scene({ cells: new Map([[1, cells]]) }), 512 + 5);
    expect(text.split('\n')[1]).toBe('guest private (4K RMP) · vm1');
  });

  it('names a guest view frame by GPA, with the VMM mapping only', () => {
    expect(describeFrame(scene({ space: 'g0' }), 512).split('\n')).toEqual([
      'GPA 0x200 · 0x200000',
      'mostly host kernel',
      'VMM mapping 2M',
    ]);
  });
});

describe('frameAt / describeAt', () => {
  it('inverts the transform: screen = x + k × world', () => {
    const l = layoutFor(512);
    // Cell (16, 1) is region 1's second row, first column: PFN 512 + 16.
    expect(frameAt(l, { k: 4, x: 10, y: 20 }, 10 + 16 * 4 + 1, 20 + 4 + 1)).toBe(528);
    expect(frameAt(l, { k: 4, x: 10, y: 20 }, 0, 0)).toBe(-1);
  });

  it('has nothing to say off the map', () => {
    expect(describeAt(scene(), { k: 1, x: 0, y: 0 }, -5, 3)).toBeNull();
    expect(describeAt(scene(), { k: 1, x: 0, y: 0 }, 0, 0)).toMatch(/^PFN 0x0 /);
  });
});

describe('guestName', () => {
  it('names every guest that shares a hue (16 hues)', () => {
    const guests = Array.from({ length: 18 }, (_, i) => ({ name: `vm${i}` }));
    expect(guestName(guests, 3)).toBe('vm3');
    expect(guestName(guests, 1)).toBe('vm1 (or 1 more sharing its colour)');
    expect(guestName(guests, 15)).toBe('vm15');
    expect(guestName([], 0)).toBe('');
  });
});
