/**
 * The difference map: one square of q × q px per 2 MiB region (scaled up to the space it is given,
 * pixelated, as the memory map draws its region raster), coloured by diff.ts's classification. 1G→2M differences are
 * striped in the colour of the side that split, over the "neither" ground, so they read as a
 * different kind of mark from the solid 4K differences.
 */
import { useEffect, useMemo, useRef } from 'react';
import { layoutFor, TILES_X, TILES_Y, tileColumn, tileRow } from '../map/geometry';
import {
  DIFF_1G_A,
  DIFF_1G_B,
  DIFF_A,
  DIFF_B,
  DIFF_BOOT,
  DIFF_BOTH,
  DIFF_HOLE,
  DIFF_NONE,
  type DiffCounts,
} from './diff';

export { diffRegions } from './diff';

/** RGB per DIFF_* code, per theme. */
const COLORS: Record<'light' | 'dark', number[][]> = {
  light: [
    [214, 222, 235],
    [224, 122, 0],
    [37, 99, 235],
    [194, 38, 59],
    [246, 247, 249],
    [120, 128, 142],
    [224, 122, 0],
    [37, 99, 235],
  ],
  dark: [
    [40, 48, 60],
    [245, 160, 46],
    [109, 155, 255],
    [255, 107, 120],
    [14, 17, 22],
    [132, 140, 156],
    [245, 160, 46],
    [109, 155, 255],
  ],
};
const STRIPED = new Set([DIFF_1G_A, DIFF_1G_B]);

export const DIFF_CSS = (theme: 'light' | 'dark', code: number) =>
  `rgb(${(COLORS[theme][code] ?? [0, 0, 0]).join(' ')})`;

/** A legend swatch: striped codes as a diagonal stripe over the "neither" ground. */
export function diffSwatch(theme: 'light' | 'dark', code: number): string {
  if (!STRIPED.has(code)) return DIFF_CSS(theme, code);
  const c = DIFF_CSS(theme, code);
  const g = DIFF_CSS(theme, DIFF_NONE);
  return `repeating-linear-gradient(135deg, ${c} 0 2px, ${g} 2px 4px)`;
}

/** Px per region side: 4 while the image stays under 4 Mi px, so stripes fit in a region. */
function pxPerRegion(w: number, h: number): number {
  let q = 4;
  while (q > 1 && w * h * q * q > 4 * 2 ** 20) q /= 2;
  return q;
}

/**
 * Laid out as the memory map lays out tiles (geometry.ts): each 1 GiB block is 32 × 16 regions,
 * blocks in a near-square grid, so a 1G difference is one whole block and the two maps read
 * alike. 16 TiB is 4096 × 2048 regions at 1 px each.
 */
export function DiffMap(props: {
  codes: Uint8Array;
  theme: 'light' | 'dark';
  label: string;
  /** Fill the parent's height (embeds) instead of a fixed pixel scale. */
  fit?: boolean;
}) {
  const { codes, theme } = props;
  const ref = useRef<HTMLCanvasElement>(null);
  const l = useMemo(() => layoutFor(codes.length), [codes.length]);
  const cols = l.cols * TILES_X;
  const rows = l.rows * TILES_Y;
  const q = pxPerRegion(cols, rows);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const w = cols * q;
    const img = new ImageData(w, rows * q);
    const pal = COLORS[theme];
    const ground = pal[DIFF_NONE]!;
    const hole = pal[DIFF_HOLE]!;
    for (let i = 0; i < img.data.length; i += 4) img.data.set(hole, i);
    for (let i = 3; i < img.data.length; i += 4) img.data[i] = 255;
    for (let r = 0; r < codes.length; r++) {
      const code = codes[r]!;
      const rgb = pal[code]!;
      const x0 = tileColumn(l, r) * q;
      const y0 = tileRow(l, r) * q;
      const striped = STRIPED.has(code);
      for (let y = 0; y < q; y++)
        for (let x = 0; x < q; x++) {
          // At q = 1 a striped region alternates by row, so a 1G block shows as bands.
          const on = !striped || (q > 1 ? (x0 + x + y0 + y) % 4 < 2 : y0 % 2 === 0);
          img.data.set(on ? rgb : ground, ((y0 + y) * w + x0 + x) * 4);
        }
    }
    ctx.putImageData(img, 0, 0);
  }, [codes, theme, rows, cols, q, l]);
  return (
    <canvas
      ref={ref}
      className="diff-map"
      width={cols * q}
      height={rows * q}
      style={
        props.fit
          ? { width: '100%', height: '100%', objectFit: 'contain', border: 0 }
          : // As wide as its column, as tall as that makes it up to most of the window, pixels
            // kept square (contain): a 1 GiB host is no longer a 512 px strip in a wide dialog.
            {
              width: '100%',
              maxHeight: '68vh',
              aspectRatio: `${cols} / ${rows}`,
              objectFit: 'contain',
            }
      }
      role="img"
      aria-label={props.label}
    />
  );
}

/** The legend with counts, as a list (the e2e tests read it by name). */
export function DiffLegend(props: { counts: DiffCounts; theme: 'light' | 'dark' }) {
  const { counts: c, theme } = props;
  const items: [number, string, number][] = [
    [DIFF_A, 'split to 4K in A, not B', c.aOnly],
    [DIFF_B, 'split to 4K in B, not A', c.bOnly],
    [DIFF_BOTH, 'split in both', c.both],
    [DIFF_1G_A, '1G block split to 2M in A, not B (blocks)', c.blocks1gA],
    [DIFF_1G_B, '1G block split to 2M in B, not A (blocks)', c.blocks1gB],
    [DIFF_BOOT, '4K at boot', c.boot],
    [DIFF_NONE, 'neither', c.neither],
  ];
  return (
    <ul className="diff-legend" aria-label="Difference map legend">
      {items.map(([code, text, n]) => (
        <li key={code}>
          <i style={{ background: diffSwatch(theme, code) }} /> {text}: {n.toLocaleString('en-US')}
        </li>
      ))}
    </ul>
  );
}
