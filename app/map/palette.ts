/**
 * Colours for cell codes, read from the design tokens (app/tokens.css): the CSS and the canvas
 * share one set. State is carried mostly by lightness, so the map reads on a grey projector and
 * for colour-blind viewers: free (lightest) > hypervisor-owned guest RAM > host kernel > guest private >
 * firmware (darkest); page tables in Okabe–Ito orange, sequestered in yellow. Guests get one hue
 * each (16 hues), light for shared and deep for private. Mapping size is never colour: the
 * renderer draws a split tile in its state's split shade (`shade`) and outlines 1G blocks.
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

import tokenText from '../tokens.css?raw';
import type { CauseColours } from './cause-colours';

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

/** The colour tokens the palette reads (app/tokens.css), and the numeric ones. */
const COLOURS = [
  '--surface',
  '--fg',
  '--accent',
  '--cell-hole',
  '--cell-free',
  '--cell-kernel',
  '--cell-pagetable',
  '--cell-sequester',
  '--cell-firmware',
  '--cell-invalid',
  '--map-split',
  '--map-texture-on-light',
  '--map-texture-on-dark',
  '--map-label-on-light',
  '--map-label-on-dark',
] as const;
const NUMBERS = [
  '--map-faint-opacity',
  '--guest-hues',
  '--guest-shared',
  '--guest-private',
  '--guest-private-2m',
  '--guest-unmapped',
] as const;
type Token = (typeof COLOURS)[number] | (typeof NUMBERS)[number];
type Tokens = Record<Token, string>;

/**
 * The theme's tokens as the page computes them, through a probe element carrying data-theme: the
 * export dialog draws either theme whatever <html> shows, and the first frame can come before
 * App sets <html data-theme>. Colours are read as the probe's computed `color` (rgb(r, g, b)),
 * whatever form the minifier gave them. Null before the stylesheet applies.
 */
function computedTokens(theme: Theme): Tokens | null {
  const probe = document.createElement('span');
  probe.dataset.theme = theme;
  probe.hidden = true;
  document.documentElement.append(probe);
  const style = getComputedStyle(probe);
  const out = {} as Tokens;
  for (const t of NUMBERS) out[t] = style.getPropertyValue(t).trim();
  const applied = out['--guest-hues'] !== '';
  for (const t of COLOURS) {
    probe.style.color = `var(${t})`;
    out[t] = style.color;
  }
  probe.remove();
  return applied ? out : null;
}

/**
 * The theme's tokens from tokens.css's text, where there is no DOM (unit tests in Node): the
 * light block's custom properties, then for dark the dark block's over them, as the cascade has it.
 */
export function parseTokens(css: string, theme: Theme): Tokens {
  const values = new Map<string, string>();
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const [, selectors, body] of text.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const sel = selectors!.split(',').map((x) => x.trim());
    if (!sel.includes(`[data-theme="${theme}"]`) && !sel.includes(':root')) continue;
    for (const [, name, value] of body!.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g))
      values.set(name!, value!.replace(/\s+/g, ' ').trim());
  }
  const out = {} as Tokens;
  for (const t of [...COLOURS, ...NUMBERS]) {
    const v = values.get(t);
    if (v === undefined) throw new Error(`tokens.css has no ${t}`);
    out[t] = v;
  }
  return out;
}

/** #rgb or #rrggbb (the file's text), or rgb(r, g, b) (a computed colour). */
function rgbOf(value: string): Rgb {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value)?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
    return [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16)) as Rgb;
  }
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(value);
  if (!rgb) throw new Error(`palette: cannot read the colour "${value}"`);
  return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
}

const hexOf = (c: Rgb) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** "70% 80%": a guest state's saturation and lightness, as fractions. */
function slOf(value: string): [number, number] {
  const m = /^([\d.]+)%\s+([\d.]+)%$/.exec(value);
  if (!m) throw new Error(`palette: cannot read the saturation and lightness "${value}"`);
  return [Number(m[1]) / 100, Number(m[2]) / 100];
}

export interface Palette {
  theme: Theme;
  background: string;
  /** Text and outlines. */
  ink: string;
  faint: string;
  accent: string;
  /** ABGR (little-endian RGBA) per code: plain, split shade, dimmed (other layers' context). */
  plain: Uint32Array;
  shade: Uint32Array;
  /** A gentler shade for the 4K cell checker at close zoom. */
  soft: Uint32Array;
  dim: Uint32Array;
  /** CSS colour per code, for legends and tooltips. */
  css: string[];
  /** CSS colour of each code's split shade (`shade`), for the legend. */
  shadeCss: string[];
  /** Text drawn on a cell: for light cells, for dark cells (inkOn). */
  labelOnLight: string;
  labelOnDark: string;
  /** The map coloured by cause (cause-colours.ts withCauses): split regions by their cause. */
  byCause?: CauseColours;
}

const pack = ([r, g, b]: Rgb, a = 255) => ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  Math.round(a[0] + (b[0] - a[0]) * t),
  Math.round(a[1] + (b[1] - a[1]) * t),
  Math.round(a[2] + (b[2] - a[2]) * t),
];

/** Colour per cell state (the code's low 4 bits); the guest states take the guest's hue. */
function stateColours(t: Tokens): (state: number, guest: number) => Rgb {
  const fixed = new Map<number, Rgb>([
    [CELL_HOLE, rgbOf(t['--cell-hole'])],
    [CELL_FREE, rgbOf(t['--cell-free'])],
    [CELL_KERNEL, rgbOf(t['--cell-kernel'])],
    [CELL_PAGETABLE, rgbOf(t['--cell-pagetable'])],
    [CELL_SEQUESTER, rgbOf(t['--cell-sequester'])],
    [CELL_FIRMWARE, rgbOf(t['--cell-firmware'])],
  ]);
  const perGuest = new Map<number, [number, number]>(
    (
      [
        [CELL_SHARED, '--guest-shared'],
        [CELL_PRIVATE, '--guest-private'],
        [CELL_PRIVATE_2M, '--guest-private-2m'],
        [CELL_UNMAPPED, '--guest-unmapped'],
      ] as const
    ).map(([state, token]) => [state, slOf(t[token])]),
  );
  const hues = t['--guest-hues'].split(/\s+/).map(Number);
  const invalid = rgbOf(t['--cell-invalid']);
  return (state, guest) => {
    const sl = perGuest.get(state);
    if (sl) return hsl(hues[guest % hues.length]!, sl[0], sl[1]);
    return fixed.get(state) ?? invalid;
  };
}

const cache = new Map<Theme, Palette>();

/** How far a split tile's colour moves toward --map-split. */
const SPLIT_TINT = 0.42;

/** The theme's palette, built once from its tokens (every frame asks; only the first reads CSS). */
export function paletteFor(theme: Theme): Palette {
  const hit = cache.get(theme);
  if (hit) return hit;
  const p = buildPalette(theme, tokensFor(theme));
  cache.set(theme, p);
  return p;
}

function tokensFor(theme: Theme): Tokens {
  const dom = typeof document === 'undefined' ? null : computedTokens(theme);
  if (dom) return dom;
  // The built app loads its stylesheet before any module that draws (Vite's preload waits for
  // the CSS), so only tests in Node and the dev server read the file; a build leaves its text out.
  if (import.meta.env.PROD)
    throw new Error('palette: the stylesheet (app/tokens.css) is not applied');
  return parseTokens(tokenText, theme);
}

function buildPalette(theme: Theme, t: Tokens): Palette {
  const colour = stateColours(t);
  const bg = rgbOf(t['--surface']);
  const ink = rgbOf(t['--fg']);
  const textureOnLight = rgbOf(t['--map-texture-on-light']);
  const textureOnDark = rgbOf(t['--map-texture-on-dark']);
  const split = rgbOf(t['--map-split']);
  const plain = new Uint32Array(256);
  const shade = new Uint32Array(256);
  const soft = new Uint32Array(256);
  const dim = new Uint32Array(256);
  const css: string[] = [];
  const shadeCss: string[] = [];
  for (let code = 0; code < 256; code++) {
    const c = colour(code & 15, code >> 4);
    // Texture shades move away from the colour's own lightness, so they show on dark and light.
    const light = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] > 120;
    const shadeTo = light ? textureOnLight : textureOnDark;
    plain[code] = pack(c);
    // A split tile: its state's colour tinted toward the 4K colour (the charts' DirectMap4k), so
    // it differs from every whole tile in hue as well as lightness, and keeps its state's order.
    const sh = mix(c, split, SPLIT_TINT);
    shade[code] = pack(sh);
    shadeCss.push(`rgb(${sh[0]} ${sh[1]} ${sh[2]})`);
    soft[code] = pack(mix(c, shadeTo, light ? 0.13 : 0.18));
    dim[code] = pack(mix(c, bg, 0.72));
    css.push(`rgb(${c[0]} ${c[1]} ${c[2]})`);
  }
  return {
    theme,
    background: hexOf(bg),
    ink: hexOf(ink),
    faint: `rgba(${ink.join(',')},${Number(t['--map-faint-opacity'])})`,
    accent: hexOf(rgbOf(t['--accent'])),
    plain,
    shade,
    soft,
    dim,
    css,
    shadeCss,
    labelOnLight: hexOf(rgbOf(t['--map-label-on-light'])),
    labelOnDark: hexOf(rgbOf(t['--map-label-on-dark'])),
  };
}

/** Black or white text for a code's colour. */
export function inkOn(p: Palette, code: number): string {
  const v = p.plain[code]!;
  const r = v & 255;
  const g = (v >> 8) & 255;
  const b = (v >> 16) & 255;
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? p.labelOnLight : p.labelOnDark;
}
