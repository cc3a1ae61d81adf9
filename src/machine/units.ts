/**
 * Units and sizes used everywhere. Addresses and frame numbers exceed 32 bits on a 16 TiB host,
 * so they are plain numbers (exact to 2^53) and never go through JS bitwise operators.
 */

export const PAGE_SIZE = 4096;
export const PMD_SIZE = 2 * 1024 * 1024;
export const PUD_SIZE = 1024 * 1024 * 1024;
/** 4K frames per 2 MiB region and 2 MiB regions per 1 GiB block: 512 each, as x86-64 page tables. */
export const PTRS_PER_TABLE = 512;
export const PAGES_PER_2M = 512;
export const PAGES_PER_1G = 512 * 512;
export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;
/** The first 1 MiB is always mapped with 4K pages (init_mem_mapping: ISA_END_ADDRESS). */
export const ISA_END_ADDRESS = 0x100000;
/** Start of the direct map without KASLR (Documentation/arch/x86/x86_64/mm.rst). */
export const PAGE_OFFSET = 0xffff888000000000n;
/** The direct map's base with 5-level paging (__PAGE_OFFSET_BASE_L5, no KASLR): host.la57. */
export const PAGE_OFFSET_LA57 = 0xff11000000000000n;

export type PageLevel = '4K' | '2M' | '1G';

export function roundDown(x: number, align: number): number {
  return Math.floor(x / align) * align;
}

export function roundUp(x: number, align: number): number {
  return Math.ceil(x / align) * align;
}

/** "64G", "2M", "4K", "0x1f000", "4096" → bytes; null when it is not a size. */
export function parseSize(text: string): number | null {
  const m = /^\s*(0x[0-9a-f]+|\d+(?:\.\d+)?)\s*([kmgtp]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) return null;
  const [, num = '', unit = ''] = m;
  const base = num.toLowerCase().startsWith('0x') ? Number.parseInt(num, 16) : Number(num);
  const mult: Record<string, number> = { '': 1, k: KiB, m: MiB, g: GiB, t: TiB, p: 1024 * TiB };
  const bytes = base * (mult[unit.toLowerCase()] ?? 1);
  return Number.isFinite(bytes) && Number.isInteger(bytes) ? bytes : null;
}

/** Bytes → the shortest exact kernel-style size ("2M", "1G", "12K", "4097"). */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ['T', TiB],
    ['G', GiB],
    ['M', MiB],
    ['K', KiB],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
