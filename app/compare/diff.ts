/**
 * The difference map's classification, pure: each 2 MiB region of the host by how A's and B's
 * direct maps hold it at one step (snapshot regionLevel, LEVEL_*).
 *
 * - split to 4K in A only / B only / both: the region is mapped with 4K PTEs there and was not
 *   at boot (a run split it: set_memory_4k(), adjust_direct_map(), __set_memory_enc_pgtable());
 * - 4K at boot: 4K on both sides and already at step 0 — the kernel mapped it so from the start
 *   (first MiB, e820 holes, kernel text edges); no run split it, so it is not "split in both";
 * - 1G→2M in A only / B only: the region's 1 GiB block is still one PUD leaf on the other side
 *   (split_large_page() at level 3; /proc/vmstat direct_map_level3_splits), where it is not
 *   already told apart by a 4K difference;
 * - neither, or a hole neither side maps.
 */
import { LEVEL_1G, LEVEL_4K, LEVEL_NONE } from '../../src/worker/protocol';

export const DIFF_NONE = 0;
export const DIFF_A = 1;
export const DIFF_B = 2;
export const DIFF_BOTH = 3;
export const DIFF_HOLE = 4;
export const DIFF_BOOT = 5;
export const DIFF_1G_A = 6;
export const DIFF_1G_B = 7;

/** 2 MiB regions per 1 GiB block. */
const REGIONS_PER_1G = 512;

export interface DiffCounts {
  /** Regions split to 4K in A and not in B. */
  aOnly: number;
  bOnly: number;
  /** Regions split to 4K by both runs. */
  both: number;
  /** Regions mapped with 4K pages since boot on both sides. */
  boot: number;
  /** 1 GiB blocks split to 2M (or finer) in A while B keeps them as one 1G mapping. */
  blocks1gA: number;
  blocks1gB: number;
  neither: number;
}

/**
 * Per region a DIFF_* code. `boot` is the direct-map level at step 0 (null: unknown, then every
 * region 4K on both sides counts as split in both, as before boot levels arrive).
 */
export function diffRegions(
  a: Uint8Array,
  b: Uint8Array,
  boot: Uint8Array | null = null,
): { codes: Uint8Array; counts: DiffCounts } {
  const n = Math.max(a.length, b.length);
  const codes = new Uint8Array(n);
  const counts: DiffCounts = {
    aOnly: 0,
    bOnly: 0,
    both: 0,
    boot: 0,
    blocks1gA: 0,
    blocks1gB: 0,
    neither: 0,
  };
  let lastBlockA = -1;
  let lastBlockB = -1;
  for (let r = 0; r < n; r++) {
    const la = a[r] ?? LEVEL_NONE;
    const lb = b[r] ?? LEVEL_NONE;
    const sa = la === LEVEL_4K;
    const sb = lb === LEVEL_4K;
    let c: number;
    if (sa && sb) c = boot !== null && boot[r] === LEVEL_4K ? DIFF_BOOT : DIFF_BOTH;
    else if (sa) c = DIFF_A;
    else if (sb) c = DIFF_B;
    else if (lb === LEVEL_1G && la !== LEVEL_1G && la !== LEVEL_NONE) c = DIFF_1G_A;
    else if (la === LEVEL_1G && lb !== LEVEL_1G && lb !== LEVEL_NONE) c = DIFF_1G_B;
    else if (la === LEVEL_NONE && lb === LEVEL_NONE) c = DIFF_HOLE;
    else c = DIFF_NONE;
    codes[r] = c;
    // A 4K difference inside a block that is 1G on the other side still means the block split.
    const blk = Math.floor(r / REGIONS_PER_1G);
    if (lb === LEVEL_1G && la !== LEVEL_1G && la !== LEVEL_NONE && blk !== lastBlockA) {
      lastBlockA = blk;
      counts.blocks1gA++;
    }
    if (la === LEVEL_1G && lb !== LEVEL_1G && lb !== LEVEL_NONE && blk !== lastBlockB) {
      lastBlockB = blk;
      counts.blocks1gB++;
    }
    if (c === DIFF_A) counts.aOnly++;
    else if (c === DIFF_B) counts.bOnly++;
    else if (c === DIFF_BOTH) counts.both++;
    else if (c === DIFF_BOOT) counts.boot++;
    else if (c !== DIFF_1G_A && c !== DIFF_1G_B) counts.neither++;
  }
  return { codes, counts };
}
