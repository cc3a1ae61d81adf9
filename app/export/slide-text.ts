/**
 * The words and colours of a slide: size presets, the legend's names for what the map draws,
 * text colours that keep 4.5:1 against the slide's ground (WCAG 2.x contrast), and line
 * wrapping for <text> (SVG has none; widths are estimated, since the page that draws the SVG
 * picks the font).
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
  cellGuest,
  cellState,
} from '../../src/worker/protocol';

export const SLIDE_SIZES = {
  '1920x1080': { width: 1920, height: 1080, label: '1920×1080 (16:9)' },
  '1280x720': { width: 1280, height: 720, label: '1280×720 (16:9)' },
  '1024x768': { width: 1024, height: 768, label: '1024×768 (4:3)' },
  '3840x2160': { width: 3840, height: 2160, label: '3840×2160 (4K)' },
} as const;
export type SlideSize = keyof typeof SLIDE_SIZES;
export const SLIDE_SIZE_LIST = Object.keys(SLIDE_SIZES) as SlideSize[];

/** What each state is called on a slide, in the legend's order. */
const STATE_NAMES: [number, string][] = [
  [CELL_FREE, 'free'],
  [CELL_KERNEL, 'host kernel'],
  [CELL_PAGETABLE, 'page table'],
  [CELL_FIRMWARE, 'firmware'],
  [CELL_SEQUESTER, 'sequestered shared'],
  [CELL_SHARED, 'hypervisor-owned (shared or unaccepted)'],
  [CELL_PRIVATE, 'private (4K RMP entry)'],
  [CELL_PRIVATE_2M, 'private (2M RMP entry)'],
  [CELL_UNMAPPED, 'private, removed from the direct map'],
  [CELL_HOLE, 'no RAM (hole)'],
];
const ORDER = new Map(STATE_NAMES.map(([s], i) => [s, i]));
const NAME = new Map(STATE_NAMES);
const GUEST_STATES = new Set([CELL_SHARED, CELL_PRIVATE, CELL_PRIVATE_2M, CELL_UNMAPPED]);

export interface LegendEntry {
  code: number;
  label: string;
}

/**
 * Legend entries for the codes a slide draws, most common first within the state order; guest
 * states are named with their guest (colours repeat every 16 guests, so past 16 by colour).
 */
export function legendEntries(
  used: ReadonlyMap<number, number>,
  guests: readonly string[],
  max: number,
): { entries: LegendEntry[]; more: number } {
  const codes = [...used.keys()].filter((c) => (used.get(c) ?? 0) > 0);
  codes.sort(
    (a, b) =>
      (ORDER.get(cellState(a)) ?? 99) - (ORDER.get(cellState(b)) ?? 99) ||
      (used.get(b) ?? 0) - (used.get(a) ?? 0),
  );
  const entries = codes.map((code) => {
    const state = cellState(code);
    const name = NAME.get(state) ?? `state ${state}`;
    if (!GUEST_STATES.has(state)) return { code, label: name };
    const g = cellGuest(code);
    const who = guests.length <= 16 ? (guests[g] ?? `guest ${g}`) : `guest colour ${g + 1}`;
    return { code, label: `${who}: ${name}` };
  });
  return { entries: entries.slice(0, max), more: Math.max(0, entries.length - max) };
}

type Rgb = [number, number, number];

/** #rgb, #rrggbb, rgb(r g b) or rgb(r, g, b). */
export function parseColour(css: string): Rgb {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css.trim())?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
    return [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16)) as Rgb;
  }
  const m = /^rgba?\((\d+)[ ,]+(\d+)[ ,]+(\d+)/.exec(css.trim());
  if (!m) throw new Error(`slide: cannot read the colour "${css}"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

const hexOf = (c: Rgb) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio of two CSS colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const la = luminance(parseColour(a));
  const lb = luminance(parseColour(b));
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** `ink` moved towards `ground` by `t`, then back towards ink until it keeps 4.5:1. */
export function mutedInk(ink: string, ground: string, t = 0.32): string {
  const a = parseColour(ink);
  const b = parseColour(ground);
  for (let k = t; k >= 0; k -= 0.02) {
    const c = hexOf(a.map((v, i) => Math.round(v + (b[i]! - v) * k)) as Rgb);
    if (contrast(c, ground) >= 4.5) return c;
  }
  return hexOf(a);
}

/** `colour` if it keeps 4.5:1 on `ground`, else `fallback`. */
export function readable(colour: string, ground: string, fallback: string): string {
  return contrast(colour, ground) >= 4.5 ? colour : fallback;
}

/** Average advance of a character of system-ui, as a fraction of the font size (generous). */
const CHAR_EM = 0.56;

/** Lines of at most `widthPx` at `fontPx`, at most `maxLines` (the last ends in "…" if cut). */
export function wrapText(
  text: string,
  widthPx: number,
  fontPx: number,
  maxLines: number,
): string[] {
  const perLine = Math.max(8, Math.floor(widthPx / (fontPx * CHAR_EM)));
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line === '' ? word : `${line} ${word}`;
    if (Array.from(next).length <= perLine) {
      line = next;
      continue;
    }
    if (line !== '') lines.push(line);
    line = Array.from(word).length > perLine ? ellipsize(word, perLine) : word;
  }
  if (line !== '') lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = ellipsize(`${kept[maxLines - 1]} ${lines[maxLines]}`, perLine);
  return kept;
}

export function ellipsize(s: string, max: number): string {
  const cps = Array.from(s);
  return cps.length <= max ? s : `${cps.slice(0, max - 1).join('')}…`;
}

/** Bytes as the kernel people say them: 2 MiB, 64 MiB, 1 GiB. */
export function sizeText(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}
