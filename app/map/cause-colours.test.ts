import { describe, expect, it } from 'vitest';
import {
  type CauseInfo,
  type CauseShare,
  CELL_FREE,
  CELL_PRIVATE,
  LEVEL_2M,
  LEVEL_4K,
  type MapSnapshot,
} from '../../src/worker/protocol';
import { causeTotals } from '../panels/CausesPanel';
import { withCauses } from './cause-colours';
import { layoutFor } from './geometry';
import { legendName } from './Legend';
import { paletteFor } from './palette';
import { buildRegionRaster, updateRegionRaster } from './raster';

class FakeImageData {
  readonly data: Uint8ClampedArray;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8ClampedArray(width * height * 4);
  }
}
(globalThis as { ImageData?: unknown }).ImageData ??= FakeImageData;

const CAUSES: CauseInfo[] = [
  { id: 'boot', label: 'boot layout', status: 'layout' },
  { id: 'snp', label: 'SEV-SNP (upstream)', status: 'merged' },
  { id: 'bpf', label: 'BPF JIT', status: 'merged' },
  { id: 'gfp-unmapped', label: '__GFP_UNMAPPED', status: 'proposal' },
];

function snap(cause: number[], level: number[]): MapSnapshot {
  const n = cause.length;
  return {
    step: 1,
    regions: n,
    regionCode: new Uint8Array(n).fill(CELL_PRIVATE),
    regionLevel: Uint8Array.from(level),
    regionFlags: new Uint8Array(n),
    regionUserLevel: new Uint8Array(n),
    regionCause: Uint8Array.from(cause),
  };
}

/** The colour of the first pixel of each region's tile in a region raster. */
function tileColours(s: MapSnapshot, p = withCauses(paletteFor('light'), CAUSES)): number[] {
  const layout = layoutFor(s.regions * 512, 100);
  const { image } = buildRegionRaster(layout, s, 'direct-map', p);
  const px = new Uint32Array(image.data.buffer);
  const w = image.width / layout.perRow;
  return [...Array(s.regions).keys()].map((r) => px[r * w]!);
}

describe('the map coloured by cause', () => {
  it('paints a split region in its cause colour (4K full, 1G→2M light) and the rest dimmed', () => {
    const p = withCauses(paletteFor('light'), CAUSES);
    const c = tileColours(snap([0, 2, 3, 3], [LEVEL_2M, LEVEL_4K, LEVEL_4K, LEVEL_2M]), p);
    expect(c[0]).toBe(p.dim[CELL_PRIVATE]);
    expect(c[1]).toBe(p.byCause?.solid[2]);
    expect(c[2]).toBe(p.byCause?.solid[3]);
    expect(c[3]).toBe(p.byCause?.light[3]);
    expect(new Set(c).size).toBe(4);
  });

  it('gives every known cause its own colour, apart from the state colours, in both themes', () => {
    for (const theme of ['light', 'dark'] as const) {
      const base = paletteFor(theme);
      const p = withCauses(base, CAUSES).byCause!;
      const solid = [...p.solid.slice(1)];
      expect(new Set(solid).size).toBe(CAUSES.length);
      for (const code of [CELL_FREE, CELL_PRIVATE]) expect(solid).not.toContain(base.plain[code]);
    }
  });

  it('repaints a region whose cause alone changed', () => {
    const p = withCauses(paletteFor('light'), CAUSES);
    const a = snap([0, 2], [LEVEL_4K, LEVEL_4K]);
    const b = snap([0, 1], [LEVEL_4K, LEVEL_4K]);
    const layout = layoutFor(2 * 512, 100);
    const { image } = buildRegionRaster(layout, a, 'direct-map', p);
    expect(updateRegionRaster(image, layout, a, b, 'direct-map', p)).toHaveLength(1);
  });

  it('a proposal is named as one in the legend', () => {
    expect(legendName(CAUSES[3]!)).toBe('__GFP_UNMAPPED (proposal)');
    expect(legendName({ ...CAUSES[3]!, label: 'x (proposal)' })).toBe('x (proposal)');
    expect(legendName(CAUSES[2]!)).toBe('BPF JIT');
  });
});

it('the causes panel totals are the column sums', () => {
  const row = (cause: string, k4: number, m2: number): CauseShare => ({
    cause,
    label: cause,
    status: 'merged',
    directMap4kKb: k4,
    directMap2MKb: m2,
    directMap1GKb: 0,
    level2Splits: 0,
    level3Splits: 0,
    level2Collapses: 0,
    level3Collapses: 0,
    canHeal: false,
  });
  expect(causeTotals([row('boot', 2048, 1000), row('bpf', 4096, 24)])).toEqual({
    DirectMap4k: 6144,
    DirectMap2M: 1024,
    DirectMap1G: 0,
  });
});
