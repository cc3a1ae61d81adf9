/**
 * Colours for cell codes. State is carried mostly by lightness, so the map reads on a grey
 * projector and for colour-blind viewers: free (lightest) > guest shared > host kernel > guest
 * private > firmware (darkest); page tables in Okabe–Ito orange, sequestered in yellow. Guests get
 * one hue each (16 hues), light for shared and deep for private. Mapping size is never colour:
 * the renderer adds texture (split tiles striped/checkered) and outlines (1G blocks).
 */
import {
  CELL_FIRMWARE,
  CELL_FREE,
  CELL_HOLE,
  CELL_KERNEL,
  CELL_PAGETABLE,
  CELL_PRIVATE,
  CELL_PRIVATE_2M,
  CELL_SEQUESTER,
  CELL_SHARED,
  CELL_UNMAPPED,
} from '../../src/worker/protocol';

export type Theme = 'light' | 'dark';

type Rgb = [number, number, number];

function hsl(h: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** 16 guest hues, ordered so neighbours (guest 0, 1, 2…) differ strongly. */
const GUEST_HUES = [210, 25, 150, 290, 55, 185, 335, 95, 240, 5, 125, 265, 40, 170, 310, 75];

export interface Palette {
  theme: Theme;
  background: string;
  /** Text and outlines. */
  ink: string;
  faint: string;
  accent: string;
  /** ABGR (little-endian RGBA) per code: plain, texture shade, dimmed (other layers' context). */
  plain: Uint32Array;
  shade: Uint32Array;
  /** A gentler shade for the 4K cell checker at close zoom. */
  soft: Uint32Array;
  dim: Uint32Array;
  /** CSS colour per code, for legends and tooltips. */
  css: string[];
}

const pack = ([r, g, b]: Rgb, a = 255) => ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  Math.round(a[0] + (b[0] - a[0]) * t),
  Math.round(a[1] + (b[1] - a[1]) * t),
  Math.round(a[2] + (b[2] - a[2]) * t),
];

function stateColour(state: number, guest: number, theme: Theme): Rgb {
  const dark = theme === 'dark';
  const hue = GUEST_HUES[guest % 16]!;
  switch (state) {
    case CELL_HOLE:
      return dark ? [14, 17, 22] : [226, 228, 232];
    case CELL_FREE:
      return dark ? [44, 50, 60] : [247, 245, 240];
    case CELL_KERNEL:
      return dark ? [120, 128, 142] : [139, 148, 164];
    case CELL_PAGETABLE:
      return [230, 159, 0];
    case CELL_SHARED:
      return dark ? hsl(hue, 0.55, 0.62) : hsl(hue, 0.7, 0.8);
    case CELL_PRIVATE:
      return dark ? hsl(hue, 0.65, 0.44) : hsl(hue, 0.72, 0.4);
    case CELL_PRIVATE_2M:
      return dark ? hsl(hue, 0.7, 0.36) : hsl(hue, 0.8, 0.3);
    case CELL_SEQUESTER:
      return [240, 228, 66];
    case CELL_FIRMWARE:
      return dark ? [204, 121, 167] : [120, 40, 90];
    case CELL_UNMAPPED:
      return dark ? hsl(hue, 0.35, 0.25) : hsl(hue, 0.45, 0.22);
    default:
      return [255, 0, 255];
  }
}

const cache = new Map<Theme, Palette>();

export function paletteFor(theme: Theme): Palette {
  const hit = cache.get(theme);
  if (hit) return hit;
  const dark = theme === 'dark';
  const bg: Rgb = dark ? [22, 27, 34] : [255, 255, 255];
  const plain = new Uint32Array(256);
  const shade = new Uint32Array(256);
  const soft = new Uint32Array(256);
  const dim = new Uint32Array(256);
  const css: string[] = [];
  for (let code = 0; code < 256; code++) {
    const c = stateColour(code & 15, code >> 4, theme);
    // Texture shades move away from the colour's own lightness, so they show on dark and light.
    const light = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] > 120;
    const shadeTo: Rgb = light ? [30, 32, 40] : [255, 255, 255];
    plain[code] = pack(c);
    shade[code] = pack(mix(c, shadeTo, light ? 0.3 : 0.35));
    soft[code] = pack(mix(c, shadeTo, light ? 0.13 : 0.18));
    dim[code] = pack(mix(c, bg, 0.72));
    css.push(`rgb(${c[0]} ${c[1]} ${c[2]})`);
  }
  const p: Palette = {
    theme,
    background: dark ? '#161b22' : '#ffffff',
    ink: dark ? '#e6e9ef' : '#16191f',
    faint: dark ? 'rgba(230,233,239,0.35)' : 'rgba(22,25,31,0.28)',
    accent: dark ? '#6d9bff' : '#2b5cd6',
    plain,
    shade,
    soft,
    dim,
    css,
  };
  cache.set(theme, p);
  return p;
}

/** Black or white text for a code's colour. */
export function inkOn(p: Palette, code: number): string {
  const v = p.plain[code]!;
  const r = v & 255;
  const g = (v >> 8) & 255;
  const b = (v >> 16) & 255;
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#111' : '#fff';
}
