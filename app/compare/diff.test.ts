import { describe, expect, it } from 'vitest';
import { LEVEL_1G, LEVEL_2M, LEVEL_4K, LEVEL_NONE } from '../../src/worker/protocol';
import {
  DIFF_1G_A,
  DIFF_1G_B,
  DIFF_A,
  DIFF_B,
  DIFF_BOOT,
  DIFF_BOTH,
  DIFF_HOLE,
  DIFF_NONE,
  diffRegions,
} from './diff';

/** Two 1 GiB blocks (1024 regions) at one level, with overrides. */
function host(fill: number, set: Record<number, number> = {}, regions = 1024): Uint8Array {
  const out = new Uint8Array(regions).fill(fill);
  for (const [r, l] of Object.entries(set)) out[Number(r)] = l;
  return out;
}

describe('diffRegions: what the difference map calls each 2 MiB region', () => {
  it('tells splits by one run from splits by both, and both from 4K since boot', () => {
    const boot = host(LEVEL_2M, { 0: LEVEL_4K });
    const a = host(LEVEL_2M, { 0: LEVEL_4K, 5: LEVEL_4K, 7: LEVEL_4K });
    const b = host(LEVEL_2M, { 0: LEVEL_4K, 6: LEVEL_4K, 7: LEVEL_4K });
    const { codes, counts } = diffRegions(a, b, boot);
    expect([codes[0], codes[5], codes[6], codes[7], codes[8]]).toEqual([
      DIFF_BOOT,
      DIFF_A,
      DIFF_B,
      DIFF_BOTH,
      DIFF_NONE,
    ]);
    expect(counts).toMatchObject({ aOnly: 1, bOnly: 1, both: 1, boot: 1, neither: 1020 });
  });

  it('without boot levels, 4K on both sides is counted as split in both', () => {
    const a = host(LEVEL_2M, { 0: LEVEL_4K });
    expect(diffRegions(a, a).codes[0]).toBe(DIFF_BOTH);
  });

  it('marks a 1G block split to 2M in A only, and counts it once as a block', () => {
    // Block 0 is one 1G mapping in B; A split it (one region went on to 4K).
    const a = host(LEVEL_1G, { 3: LEVEL_4K });
    for (let r = 0; r < 512; r++) if (r !== 3) a[r] = LEVEL_2M;
    const b = host(LEVEL_1G);
    const { codes, counts } = diffRegions(a, b, host(LEVEL_1G));
    expect(codes[3]).toBe(DIFF_A);
    expect(codes[0]).toBe(DIFF_1G_A);
    expect(codes[511]).toBe(DIFF_1G_A);
    expect(codes[512]).toBe(DIFF_NONE);
    expect(counts.blocks1gA).toBe(1);
    expect(counts.blocks1gB).toBe(0);
    // The other way round it is B's split.
    const back = diffRegions(b, a, null);
    expect(back.codes[0]).toBe(DIFF_1G_B);
    expect(back.counts.blocks1gB).toBe(1);
  });

  it('keeps holes apart from regions both sides map the same way', () => {
    const a = host(LEVEL_NONE, { 1: LEVEL_2M }, 4);
    const { codes } = diffRegions(a, a);
    expect([...codes]).toEqual([DIFF_HOLE, DIFF_NONE, DIFF_HOLE, DIFF_HOLE]);
  });

  it('a block that is 2M on both sides from boot (no gbpages) is no 1G difference', () => {
    const a = host(LEVEL_2M, { 9: LEVEL_4K });
    const b = host(LEVEL_2M);
    const { counts } = diffRegions(a, b, host(LEVEL_2M));
    expect(counts).toMatchObject({ aOnly: 1, blocks1gA: 0, blocks1gB: 0 });
  });
});
