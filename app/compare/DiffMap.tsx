/**
 * The difference map: one pixel per 2 MiB region (scaled up, pixelated, as the memory map draws
 * its region raster), coloured by whether the region is mapped with 4K pages (split to 4K) in A,
 * in B, in both or in neither. Drawn from the two engines' snapshot(step).regionLevel.
 */
import { useEffect, useRef } from 'react';
import { LEVEL_4K, LEVEL_NONE } from '../../src/worker/protocol';

export const DIFF_NONE = 0;
export const DIFF_A = 1;
export const DIFF_B = 2;
export const DIFF_BOTH = 3;
const HOLE = 4;

export interface DiffCounts {
  aOnly: number;
  bOnly: number;
  both: number;
  neither: number;
}

/** Per region: DIFF_* (HOLE where neither side maps it). */
export function diffRegions(
  a: Uint8Array,
  b: Uint8Array,
): { codes: Uint8Array; counts: DiffCounts } {
  const n = Math.max(a.length, b.length);
  const codes = new Uint8Array(n);
  const counts: DiffCounts = { aOnly: 0, bOnly: 0, both: 0, neither: 0 };
  for (let r = 0; r < n; r++) {
    const la = a[r] ?? LEVEL_NONE;
    const lb = b[r] ?? LEVEL_NONE;
    const sa = la === LEVEL_4K;
    const sb = lb === LEVEL_4K;
    let c = sa ? (sb ? DIFF_BOTH : DIFF_A) : sb ? DIFF_B : DIFF_NONE;
    if (c === DIFF_NONE && la === LEVEL_NONE && lb === LEVEL_NONE) c = HOLE;
    codes[r] = c;
    if (c === DIFF_A) counts.aOnly++;
    else if (c === DIFF_B) counts.bOnly++;
    else if (c === DIFF_BOTH) counts.both++;
    else counts.neither++;
  }
  return { codes, counts };
}

/** RGBA per DIFF_* code, per theme. */
const COLORS: Record<'light' | 'dark', number[][]> = {
  light: [
    [214, 222, 235, 255],
    [224, 122, 0, 255],
    [37, 99, 235, 255],
    [194, 38, 59, 255],
    [246, 247, 249, 255],
  ],
  dark: [
    [40, 48, 60, 255],
    [245, 160, 46, 255],
    [109, 155, 255, 255],
    [255, 107, 120, 255],
    [14, 17, 22, 255],
  ],
};
export const DIFF_CSS = (theme: 'light' | 'dark', code: number) =>
  `rgb(${(COLORS[theme][code] ?? [0, 0, 0]).slice(0, 3).join(' ')})`;

/**
 * 32 regions (64 MiB) per row, as the map lays a 1G block out in 32×16 tiles; doubled until at
 * most 512 rows (16 TiB = 8 Mi regions → 16384 × 512 pixels, 32 MiB of RGBA).
 */
function columnsFor(regions: number): number {
  let cols = 32;
  while (regions / cols > 512) cols *= 2;
  return cols;
}

export function DiffMap(props: { codes: Uint8Array; theme: 'light' | 'dark'; label: string }) {
  const { codes, theme } = props;
  const ref = useRef<HTMLCanvasElement>(null);
  const cols = columnsFor(codes.length);
  const rows = Math.max(1, Math.ceil(codes.length / cols));
  const scale = Math.max(1, Math.min(12, Math.floor(480 / rows), Math.floor(640 / cols)));
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const img = new ImageData(cols, rows);
    const pal = COLORS[theme];
    for (let r = 0; r < cols * rows; r++) {
      const rgba = pal[r < codes.length ? codes[r]! : HOLE]!;
      img.data.set(rgba, r * 4);
    }
    ctx.putImageData(img, 0, 0);
  }, [codes, theme, rows, cols]);
  return (
    <canvas
      ref={ref}
      className="diff-map"
      width={cols}
      height={rows}
      style={{ width: cols * scale, maxWidth: '100%', aspectRatio: `${cols} / ${rows}` }}
      role="img"
      aria-label={props.label}
    />
  );
}
