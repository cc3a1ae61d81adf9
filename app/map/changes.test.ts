import { describe, expect, it } from 'vitest';
import {
  CELL_PRIVATE,
  CELL_PRIVATE_2M,
  CELL_SHARED,
  LEVEL_2M,
  LEVEL_4K,
  type MapSnapshot,
  RF_ASSIGNED,
  RF_RMP2M,
} from '../../src/worker/protocol';
import { changeText, diffCells, diffRegions, focusBox } from './changes';
import { layoutFor, TILE_H, TILE_W } from './geometry';
import { regionAddress } from './overlays';

/** A 1 GiB host (512 regions), every region a 2M-mapped free tile. */
function host(): MapSnapshot {
  const n = 512;
  return {
    step: 0,
    regions: n,
    regionCode: new Uint8Array(n).fill(1),
    regionLevel: new Uint8Array(n).fill(LEVEL_2M),
    regionFlags: new Uint8Array(n),
    regionUserLevel: new Uint8Array(n),
  };
}

const copy = (s: MapSnapshot): MapSnapshot => ({
  ...s,
  regionCode: s.regionCode.slice(),
  regionLevel: s.regionLevel.slice(),
  regionFlags: s.regionFlags.slice(),
  regionUserLevel: s.regionUserLevel.slice(),
});

describe('what a step changed (changes.ts)', () => {
  it('names a direct-map split and the pages that changed state, as the text alternative says it', () => {
    const a = host();
    const b = copy(a);
    b.regionLevel[1] = LEVEL_4K;
    const before = new Uint8Array(512).fill(CELL_PRIVATE_2M);
    const after = before.slice();
    after[0x1f] = CELL_PRIVATE;
    const d = diffRegions(a, b);
    expect(d.regions).toEqual([1]);
    expect(d.split).toEqual([1]);
    const cells = diffCells([1], before, after);
    expect(cells.pfns).toEqual([0x21f]);
    expect(changeText(d, cells, regionAddress)).toBe('tile 0x200000 split to 4K; 1 page private');
  });

  it('counts many tiles and pages, most first, and says PSMASH and VMM splits apart', () => {
    const a = host();
    a.regionFlags.fill(RF_ASSIGNED | RF_RMP2M, 0, 4);
    a.regionUserLevel.fill(LEVEL_2M, 0, 4);
    const b = copy(a);
    b.regionFlags.fill(RF_ASSIGNED, 0, 2);
    b.regionUserLevel[3] = LEVEL_4K;
    const d = diffRegions(a, b);
    expect(d.psmash).toEqual([0, 1]);
    expect(d.userSplit).toEqual([3]);
    const before = new Uint8Array(3 * 512).fill(CELL_PRIVATE_2M);
    const after = before.slice();
    after.fill(CELL_PRIVATE, 0, 512);
    after[600] = CELL_SHARED;
    expect(changeText(d, diffCells([0, 1, 3], before, after), regionAddress)).toBe(
      'VMM mapping of tile 0x600000 split to 4K; 2M RMP entry of 2 tiles split (PSMASH); ' +
        '512 pages private; 1 page hypervisor-owned',
    );
  });

  it('says nothing changed when nothing did', () => {
    const a = host();
    expect(changeText(diffRegions(a, copy(a)), null, regionAddress)).toBe(
      'nothing changed on the map',
    );
  });

  it('follows to a box at least two and a half tiles wide around the change', () => {
    const a = host();
    const b = copy(a);
    b.regionLevel[1] = LEVEL_4K;
    const l = layoutFor(512);
    const box = focusBox(l, diffRegions(a, b), null)!;
    expect(box.x1 - box.x0).toBeGreaterThanOrEqual(2.5 * TILE_W);
    expect(box.y1 - box.y0).toBeGreaterThanOrEqual(1.2 * TILE_H);
    // Tile 1 (world x 16..32) is inside.
    expect(box.x0).toBeLessThanOrEqual(16);
    expect(box.x1).toBeGreaterThanOrEqual(32);
    expect(focusBox(l, diffRegions(a, copy(a)), null)).toBeNull();
  });
});
