/**
 * The map view as a standalone SVG at slide resolution (1920×1080 or 3840×2160), light or dark,
 * with a footer (scenario title, step, kernel design, share link) and the link in <metadata> so
 * the image can be reopened live.
 *
 * Drawn like the canvas renderer draws: batched by colour. Each colour is one <path> whose
 * subpaths are runs of equal cells along a row, so a 1 TiB host (524,288 regions) costs a few
 * hundred subpaths when it is mostly intact, and never more than MAX_CELLS when it is not: past
 * that, 2^k regions share a cell (the most common code wins, a split anywhere marks the cell).
 * Mapping size is not colour (as on the canvas): regions mapped with 4K pages get a hatch.
 */
import type { MapSnapshot } from '../../src/worker/protocol';
import { CELL_NAMES, cellGuest, cellState, LEVEL_4K } from '../../src/worker/protocol';

export type SvgResolution = '1920x1080' | '3840x2160';
export type SvgTheme = 'light' | 'dark';

/** Colours as CSS strings; ../map/palette.ts's Palette has this shape. */
export interface SvgPalette {
  background: string;
  ink: string;
  faint: string;
  /** CSS colour per cell code (0..255). */
  css: readonly string[];
}

export interface SvgExportInput {
  snapshot: Pick<MapSnapshot, 'regions' | 'regionCode' | 'regionLevel'>;
  /** Visible regions [first, end); default the whole host. */
  range?: { firstRegion: number; endRegion: number };
  resolution: SvgResolution;
  theme: SvgTheme;
  title: string;
  step: number;
  steps: number;
  kernel: string;
  link: string;
  palette?: SvgPalette;
}

/** Cells at most, whatever the host: bounds the output (about 30 bytes per run). */
export const MAX_CELLS = 65536;
export const FRACTURE_NS = 'https://fracture.invalid/ns/1';

const SIZES: Record<SvgResolution, { width: number; height: number }> = {
  '1920x1080': { width: 1920, height: 1080 },
  '3840x2160': { width: 3840, height: 2160 },
};

export function escapeXml(s: string): string {
  return stripControls(s)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/** XML 1.0 forbids C0 controls other than tab, LF and CR. */
function stripControls(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c >= 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) out += ch;
  }
  return out;
}

/** A fallback palette close to the app's (lightness carries the state; guests get hues). */
export function defaultPalette(theme: SvgTheme): SvgPalette {
  const dark = theme === 'dark';
  const hues = [210, 25, 150, 290, 55, 185, 335, 95, 240, 5, 125, 265, 40, 170, 310, 75];
  const css: string[] = [];
  for (let code = 0; code < 256; code++) {
    const h = hues[cellGuest(code) % 16]!;
    const state = cellState(code);
    const fixed = [
      dark ? '#0e1116' : '#e2e4e8',
      dark ? '#2c323c' : '#f7f5f0',
      dark ? '#78808e' : '#8b94a4',
      '#e69f00',
    ];
    if (state < fixed.length) css.push(fixed[state]!);
    else if (state === 4) css.push(`hsl(${h} 70% ${dark ? 62 : 80}%)`);
    else if (state === 5) css.push(`hsl(${h} 72% ${dark ? 44 : 40}%)`);
    else if (state === 6) css.push(`hsl(${h} 80% ${dark ? 36 : 30}%)`);
    else if (state === 7) css.push('#f0e442');
    else if (state === 8) css.push(dark ? '#3a2f45' : '#4b3b5a');
    else css.push(`hsl(${h} 40% ${dark ? 25 : 60}%)`);
  }
  return {
    background: dark ? '#12151b' : '#ffffff',
    ink: dark ? '#e6e8ec' : '#1b1f24',
    faint: dark ? '#8a919c' : '#5d6470',
    css,
  };
}

export interface GridLayout {
  regionsPerCell: number;
  cells: number;
  cols: number;
  rows: number;
  cellPx: number;
}

/** The largest square cells that fit `cells` cells row-major in a width × height box. */
export function gridLayout(regions: number, width: number, height: number): GridLayout {
  let regionsPerCell = 1;
  while (Math.ceil(regions / regionsPerCell) > MAX_CELLS) regionsPerCell *= 2;
  const cells = Math.max(1, Math.ceil(regions / regionsPerCell));
  let cellPx = Math.max(1, Math.floor(Math.sqrt((width * height) / cells)));
  const fits = (px: number) => Math.ceil(cells / Math.floor(width / px)) * px <= height;
  while (cellPx > 1 && !fits(cellPx)) cellPx--;
  const cols = Math.min(cells, Math.floor(width / cellPx));
  return { regionsPerCell, cells, cols, rows: Math.ceil(cells / cols), cellPx };
}

/** Per cell: its code (most common in the cell) and whether any region is 4K-mapped. */
function cellCodes(input: SvgExportInput, first: number, end: number, k: number) {
  const { regionCode, regionLevel } = input.snapshot;
  const n = Math.ceil((end - first) / k);
  const code = new Uint8Array(n);
  const split = new Uint8Array(n);
  const tally = new Uint16Array(256);
  for (let c = 0; c < n; c++) {
    const a = first + c * k;
    const b = Math.min(a + k, end);
    let best = regionCode[a] ?? 0;
    if (k > 1) {
      let bestN = 0;
      for (let r = a; r < b; r++) {
        const x = regionCode[r] ?? 0;
        tally[x]!++;
        if (tally[x]! > bestN) {
          bestN = tally[x]!;
          best = x;
        }
      }
      for (let r = a; r < b; r++) tally[regionCode[r] ?? 0] = 0;
    }
    code[c] = best;
    for (let r = a; r < b && !split[c]; r++) if (regionLevel[r] === LEVEL_4K) split[c] = 1;
  }
  return { code, split };
}

/** Runs of equal keys along each row → one path "d" per key. */
function runPaths(keys: Uint8Array, g: GridLayout, x0: number, y0: number, skip: number) {
  const paths = new Map<number, string[]>();
  for (let row = 0; row < g.rows; row++) {
    const a = row * g.cols;
    const b = Math.min(a + g.cols, keys.length);
    let c = a;
    while (c < b) {
      const key = keys[c]!;
      let e = c + 1;
      while (e < b && keys[e] === key) e++;
      if (key !== skip) {
        const x = x0 + (c - a) * g.cellPx;
        const y = y0 + row * g.cellPx;
        const w = (e - c) * g.cellPx;
        const list = paths.get(key) ?? [];
        if (list.length === 0) paths.set(key, list);
        list.push(`M${x} ${y}h${w}v${g.cellPx}h-${w}z`);
      }
      c = e;
    }
  }
  return paths;
}

function ellipsize(s: string, max: number): string {
  const cps = Array.from(s);
  return cps.length <= max ? s : cps.slice(0, max - 1).join('') + '…';
}

/** The standalone SVG document. */
export function buildMapSvg(input: SvgExportInput): string {
  const { width, height } = SIZES[input.resolution];
  const u = width / 1920;
  const pal = input.palette ?? defaultPalette(input.theme);
  const total = input.snapshot.regions;
  const first = Math.max(0, Math.min(total, input.range?.firstRegion ?? 0));
  const end = Math.max(first, Math.min(total, input.range?.endRegion ?? total));
  const margin = 24 * u;
  const footerH = 96 * u;
  const g = gridLayout(end - first, width - 2 * margin, height - 2 * margin - footerH);
  const { code, split } = cellCodes(input, first, end, g.regionsPerCell);
  const x0 = Math.round(margin + (width - 2 * margin - g.cols * g.cellPx) / 2);
  const y0 = Math.round(margin);
  const body: string[] = [];
  for (const [key, d] of runPaths(code, g, x0, y0, -1)) {
    const name = CELL_NAMES[cellState(key)] ?? 'cell';
    body.push(
      `<path fill="${pal.css[key] ?? pal.faint}" data-cell="${escapeXml(name)}" d="${d.join('')}"/>`,
    );
  }
  const hatch = runPaths(split, g, x0, y0, 0).get(1);
  if (hatch) body.push(`<path fill="url(#split4k)" data-level="4K" d="${hatch.join('')}"/>`);

  const link = escapeXml(input.link);
  const title = escapeXml(input.title);
  const fy = height - margin - footerH + 34 * u;
  const scale =
    g.regionsPerCell > 1 ? `, one cell = ${g.regionsPerCell * 2} MiB` : ', one cell = 2 MiB';
  const sub = `Step ${input.step} of ${input.steps} · kernel ${input.kernel}${scale}`;
  const stripe = Math.max(2, Math.round(g.cellPx / 3));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:fracture="${FRACTURE_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${title}</title>`,
    '<metadata>',
    `<fracture:link>${link}</fracture:link>`,
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    `<rdf:Description rdf:about=""><dc:title>${title}</dc:title><dc:source>${link}</dc:source></rdf:Description>`,
    '</rdf:RDF>',
    '</metadata>',
    '<defs>',
    `<pattern id="split4k" patternUnits="userSpaceOnUse" width="${stripe * 2}" height="${stripe * 2}" patternTransform="rotate(45)">`,
    `<rect width="${stripe}" height="${stripe * 2}" fill="${pal.ink}" fill-opacity="0.35"/>`,
    '</pattern>',
    '</defs>',
    `<rect width="${width}" height="${height}" fill="${pal.background}"/>`,
    `<g shape-rendering="crispEdges">`,
    ...body,
    '</g>',
    `<g font-family="system-ui, sans-serif" fill="${pal.ink}">`,
    `<text x="${margin}" y="${fy}" font-size="${28 * u}" font-weight="600">${escapeXml(ellipsize(input.title, 90))}</text>`,
    `<text x="${margin}" y="${fy + 34 * u}" font-size="${20 * u}" fill="${pal.faint}">${escapeXml(sub)}</text>`,
    `<a href="${link}"><text x="${margin}" y="${fy + 62 * u}" font-size="${16 * u}" fill="${pal.faint}" font-family="ui-monospace, monospace">${escapeXml(ellipsize(input.link, 150))}</text></a>`,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}

/** The link an exported SVG carries, if any. */
export function readSvgLink(svg: string): string | null {
  const m = /<fracture:link>([^<]*)<\/fracture:link>/.exec(svg);
  if (!m) return null;
  return m[1]!
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
}
