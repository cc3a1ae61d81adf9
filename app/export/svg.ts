/**
 * A slide of the map at a step, as a standalone SVG (vector, its words selectable <text>): the
 * title, the step and kernel, the step's caption, the map (svg-grid.ts) with a physical-address
 * ruler at row starts, the DirectMap and split counters with their change since the previous
 * step, the scale, a legend of exactly the colours drawn (the map's palette, app/map/palette.ts),
 * and the share link, also in <metadata> so the image reopens live. Sizes are presenter presets
 * (slide-text.ts SLIDE_SIZES), light or dark; small text keeps 4.5:1 against the ground.
 */
import type { MapSnapshot } from '../../src/worker/protocol';
import {
  ellipsize,
  legendEntries,
  mutedInk,
  parseColour,
  readable,
  SLIDE_SIZES,
  type SlideSize,
  sizeText,
  wrapText,
} from './slide-text';
import { type GridPaint, paintGrid, type TileGrid, tileGrid } from './svg-grid';

export type SvgTheme = 'light' | 'dark';
export type { SlideSize };

/** Colours as CSS strings; ../map/palette.ts's Palette has this shape. */
export interface SvgPalette {
  background: string;
  ink: string;
  accent: string;
  /** CSS colour per cell code (0..255). */
  css: readonly string[];
}

export interface SlideCounter {
  label: string;
  value: string;
  /** "+2,048 kB", "−1", or "±0". */
  delta: string;
}

export interface SvgExportInput {
  snapshot: Pick<MapSnapshot, 'regions' | 'regionCode' | 'regionLevel'>;
  /** 512 cell codes of regions to draw cell by cell (mixed regions in view). */
  cells?: ReadonlyMap<number, Uint8Array>;
  /** Regions whose tile changed at this step (ringed on the slide). */
  changed?: ReadonlySet<number>;
  /** Visible regions [first, end); default the whole host. */
  range?: { firstRegion: number; endRegion: number };
  size: SlideSize;
  theme: SvgTheme;
  palette: SvgPalette;
  title: string;
  step: number;
  steps: number;
  kernel: string;
  /** The step's caption, or what happened at it (null: nothing to say). */
  caption: string | null;
  counters: readonly SlideCounter[];
  /** Guest names by index, for the legend. */
  guests: readonly string[];
  link: string;
}

export const FRACTURE_NS = 'https://fracture.invalid/ns/1';
/** Bytes per 2 MiB region (PMD_SIZE; not imported: the e2e tests load this file in Node). */
const REGION_BYTES = 2 * 1024 * 1024;

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

const hex = (n: number) => `0x${n.toString(16)}`;
const px = (n: number) => Math.round(n * 100) / 100;

/** Where the parts of a slide go (px). */
export interface SlideLayout {
  u: number;
  margin: number;
  map: { x: number; y: number; width: number; height: number };
  side: { x: number; y: number; width: number; height: number };
  titleLines: string[];
  captionLines: string[];
  grid: TileGrid;
}

export function slideLayout(input: SvgExportInput, regions: number): SlideLayout {
  const { width: W, height: H } = SLIDE_SIZES[input.size];
  const u = Math.min(H / 1080, W / 1440);
  const margin = 36 * u;
  // Bold text runs wider than the regular text wrapText assumes.
  const titleLines = wrapText(input.title, (W - 2 * margin) * 0.9, 36 * u, 2);
  const captionLines = input.caption
    ? wrapText(input.caption, W - 2 * margin, 24 * u, W / H < 1.5 ? 5 : 4)
    : [];
  const top = margin + titleLines.length * 44 * u + 32 * u + captionLines.length * 32 * u + 24 * u;
  const bottom = H - margin - 34 * u;
  const sideW = 440 * u;
  const ruler = 118 * u;
  const map = {
    x: margin + ruler,
    y: top,
    width: W - 2 * margin - sideW - 32 * u - ruler,
    height: bottom - top,
  };
  const side = { x: W - margin - sideW, y: top, width: sideW, height: bottom - top };
  return {
    u,
    margin,
    map,
    side,
    titleLines,
    captionLines,
    grid: tileGrid(regions, map.width, map.height),
  };
}

/** The standalone SVG document. */
export function buildMapSvg(input: SvgExportInput): string {
  const { width: W, height: H } = SLIDE_SIZES[input.size];
  const pal = input.palette;
  const total = input.snapshot.regions;
  const first = Math.max(0, Math.min(total, input.range?.firstRegion ?? 0));
  const end = Math.max(first, Math.min(total, input.range?.endRegion ?? total));
  const L = slideLayout(input, end - first);
  const { u, margin, grid } = L;
  const ink = pal.ink;
  const muted = mutedInk(ink, pal.background);
  const link = readable(pal.accent, pal.background, ink);
  const paint = paintGrid(
    {
      regionCode: input.snapshot.regionCode,
      regionLevel: input.snapshot.regionLevel,
      first,
      end,
      ...(input.cells ? { cells: input.cells } : {}),
      ...(input.changed ? { changed: input.changed } : {}),
    },
    grid,
    Math.round(L.map.x),
    Math.round(L.map.y),
    14 * u,
  );
  const zoomed = first > 0 || end < total;
  const rangeText = zoomed
    ? `${hex(first * REGION_BYTES)}–${hex(end * REGION_BYTES)} (${sizeText((end - first) * REGION_BYTES)} of ${sizeText(total * REGION_BYTES)})`
    : `the whole host, ${sizeText(total * REGION_BYTES)}`;
  const sub = `Step ${input.step} of ${input.steps} · kernel ${input.kernel} · ${rangeText}`;
  const linkText = escapeXml(input.link);
  const title = escapeXml(input.title);
  const stripe = Math.max(2, Math.round(grid.tilePx / 5));
  const text = (x: number, y: number, size: number, body: string, extra = '') =>
    `<text x="${px(x)}" y="${px(y)}" font-size="${px(size)}"${extra}>${escapeXml(body)}</text>`;

  const head: string[] = [];
  L.titleLines.forEach((line, i) => {
    head.push(
      text(
        margin,
        margin + 32 * u + i * 44 * u,
        36 * u,
        line,
        ' font-weight="650" data-part="title"',
      ),
    );
  });
  const below = margin + (L.titleLines.length - 1) * 44 * u;
  head.push(text(margin, below + 70 * u, 22 * u, sub, ` fill="${muted}" data-part="subtitle"`));
  L.captionLines.forEach((line, i) => {
    head.push(text(margin, below + 112 * u + i * 32 * u, 24 * u, line, ' data-part="caption"'));
  });

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:fracture="${FRACTURE_NS}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    `<title>${title}</title>`,
    '<metadata>',
    `<fracture:link>${linkText}</fracture:link>`,
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    `<rdf:Description rdf:about=""><dc:title>${title}</dc:title><dc:source>${linkText}</dc:source></rdf:Description>`,
    '</rdf:RDF>',
    '</metadata>',
    '<defs>',
    `<pattern id="split4k" patternUnits="userSpaceOnUse" width="${stripe * 2}" height="${stripe * 2}" patternTransform="rotate(45)">`,
    `<rect width="${stripe}" height="${stripe * 2}" fill="${ink}" fill-opacity="0.35"/>`,
    '</pattern>',
    '</defs>',
    `<rect width="${W}" height="${H}" fill="${pal.background}" data-part="ground"/>`,
    ...mapLayers(paint, pal, u, grid, [Math.round(L.map.x), Math.round(L.map.y)]),
    `<g font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" fill="${ink}">`,
    ...head,
    ...ruler(L, first, end, muted),
    ...sidePanel(L, input, paint, muted),
    `<a href="${linkText}"><text x="${px(margin)}" y="${px(H - margin)}" font-size="${px(18 * u)}" fill="${link}" font-family="ui-monospace, 'DejaVu Sans Mono', monospace" data-part="link">${escapeXml(ellipsize(input.link, Math.floor((W - 2 * margin - 260 * u) / (18 * u * 0.62))))}</text></a>`,
    text(
      W - margin,
      H - margin,
      18 * u,
      'Fracture · open the link for the live view',
      ` fill="${muted}" text-anchor="end"`,
    ),
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}

function mapLayers(
  p: GridPaint,
  pal: SvgPalette,
  u: number,
  grid: TileGrid,
  [x, y]: [number, number],
): string[] {
  // Where the grid sits, for tests that read the picture back.
  const at = `data-x="${x}" data-y="${y}" data-tile-px="${grid.tilePx}" data-cols="${grid.cols}"`;
  const out = [`<g shape-rendering="crispEdges" data-part="map" ${at}>`];
  for (const [code, d] of p.fills)
    out.push(`<path fill="${pal.css[code] ?? pal.ink}" data-code="${code}" d="${d.join('')}"/>`);
  if (p.hatch.length > 0)
    out.push(`<path fill="url(#split4k)" data-level="4K" d="${p.hatch.join('')}"/>`);
  const tileGap = Math.min(3 * u, Math.max(1, grid.tilePx / 24));
  if (p.gaps.length > 0)
    out.push(
      `<path fill="none" stroke="${pal.background}" stroke-width="${px(tileGap)}" data-part="tile-gaps" d="${p.gaps.join('')}"/>`,
    );
  if (p.cellGaps.length > 0)
    out.push(
      `<path fill="none" stroke="${pal.background}" stroke-width="${px(Math.max(1, p.cellPx / 10))}" data-part="cell-gaps" data-cell-px="${px(p.cellPx)}" data-cells="${p.detailed * 512}" d="${p.cellGaps.join('')}"/>`,
    );
  if (p.outline.length > 0)
    out.push(
      `<path fill="none" stroke="${pal.ink}" stroke-width="${px(Math.max(2 * u, Math.min(4 * u, grid.tilePx / 80)))}" data-level="4K" d="${p.outline.join('')}"/>`,
    );
  if (p.rings.length > 0)
    out.push(
      `<path fill="none" stroke="${markColour(pal)}" stroke-width="${px(3 * u)}" data-part="changed" d="${p.rings.join('')}"/>`,
    );
  out.push('</g>');
  return out;
}

/** Okabe–Ito vermillion: apart from the guests' hues and the page-table orange on both grounds. */
function markColour(pal: SvgPalette): string {
  return luminanceOf(pal.background) > 0.5 ? '#c2410c' : '#ff8a4c';
}

function luminanceOf(css: string): number {
  const [r, g, b] = parseColour(css);
  return (0.299 * r + 0.587 * g + 0.114 * b) / 255;
}

/** Physical addresses at row starts, left of the map, never over it; every nth row fits. */
function ruler(L: SlideLayout, first: number, end: number, colour: string): string[] {
  const { grid, u } = L;
  const rowPx = 2 * grid.tilePx;
  const every = Math.max(1, Math.ceil((24 * u) / rowPx));
  const size = Math.min(17 * u, Math.max(10, rowPx * every * 0.6));
  const out: string[] = [];
  const perRow = grid.cols * grid.regionsPerTile;
  for (let row = 0; row < grid.rows; row += every) {
    const r = first + row * perRow;
    if (r >= end) break;
    const y = Math.round(L.map.y) + row * rowPx + Math.min(rowPx, size) * 0.85;
    out.push(
      `<text x="${px(Math.round(L.map.x) - 10 * u)}" y="${px(y)}" font-size="${px(size)}" fill="${colour}" text-anchor="end" font-family="ui-monospace, 'DejaVu Sans Mono', monospace" data-part="ruler">${hex(r * REGION_BYTES)}</text>`,
    );
  }
  return out;
}

function sidePanel(L: SlideLayout, input: SvgExportInput, p: GridPaint, muted: string): string[] {
  const { u, side, grid } = L;
  const out: string[] = [];
  const x = side.x;
  let y = side.y + 22 * u;
  const heading = (t: string) => {
    out.push(
      `<text x="${px(x)}" y="${px(y)}" font-size="${px(22 * u)}" font-weight="650">${t}</text>`,
    );
    y += 34 * u;
  };
  heading('Counters');
  const mono = ` font-family="ui-monospace, 'DejaVu Sans Mono', monospace"`;
  for (const c of input.counters) {
    out.push(
      `<text x="${px(x)}" y="${px(y)}" font-size="${px(19 * u)}"${mono} data-part="counter"><tspan>${escapeXml(c.label)}</tspan><tspan x="${px(x + 300 * u)}" text-anchor="end">${escapeXml(c.value)}</tspan><tspan x="${px(x + side.width)}" text-anchor="end" fill="${muted}">${escapeXml(c.delta)}</tspan></text>`,
    );
    y += 29 * u;
  }
  out.push(
    `<text x="${px(x)}" y="${px(y)}" font-size="${px(16 * u)}" fill="${muted}">change since step ${Math.max(0, input.step - 1)} on the right</text>`,
  );
  y += 44 * u;
  heading('Scale');
  const k = grid.regionsPerTile;
  const row = grid.cols * k * REGION_BYTES;
  const scale = [
    ...(p.detailed > 0 ? ['one cell = 4 KiB (16 × 32 cells a tile)'] : []),
    `one tile = ${sizeText(k * REGION_BYTES)} · one row = ${sizeText(row)}`,
  ];
  for (const line of scale) {
    out.push(
      `<text x="${px(x)}" y="${px(y)}" font-size="${px(19 * u)}" data-part="scale">${escapeXml(line)}</text>`,
    );
    y += 29 * u;
  }
  y += 15 * u;
  heading('Legend');
  const rowH = 31 * u;
  const extra =
    (p.hatch.length > 0 ? 1 : 0) + (p.outline.length > 0 ? 1 : 0) + (p.rings.length > 0 ? 1 : 0);
  const room = Math.max(1, Math.floor((side.y + side.height - y) / rowH) - extra);
  const { entries, more } = legendEntries(p.used, input.guests, more1(room, p.used.size));
  const sw = 22 * u;
  const swatch = (fill: string, attrs: string) =>
    `<rect x="${px(x)}" y="${px(y - sw + 4 * u)}" width="${px(sw)}" height="${px(sw)}" fill="${fill}" stroke="${muted}" stroke-width="${px(Math.max(1, u))}" ${attrs}/>`;
  const labelPx = 19 * u;
  const labelW = side.width - sw - 12 * u;
  /** A label of one or two lines; moves y past it. */
  const label = (t: string, part = 'legend-mark') => {
    const lines = wrapText(t, labelW, labelPx, 2);
    const spans = lines
      .map(
        (l, i) =>
          `<tspan x="${px(x + sw + 12 * u)}" dy="${i === 0 ? 0 : px(24 * u)}">${escapeXml(l)}</tspan>`,
      )
      .join('');
    y += (lines.length - 1) * 24 * u;
    return `<text x="${px(x + sw + 12 * u)}" y="${px(y - (lines.length - 1) * 24 * u)}" font-size="${px(labelPx)}" data-part="${part}">${spans}</text>`;
  };
  for (const e of entries) {
    const fill = input.palette.css[e.code] ?? input.palette.ink;
    out.push(swatch(fill, `data-legend="${escapeXml(e.label)}" data-code="${e.code}"`));
    out.push(label(e.label, 'legend'));
    y += rowH;
  }
  if (more > 0) {
    out.push(label(`and ${more} more colours`));
    y += rowH;
  }
  if (p.hatch.length > 0) {
    out.push(swatch(input.palette.background, 'data-legend="split"'));
    out.push(swatch('url(#split4k)', ''), label('hatched: direct map split to 4K'));
    y += rowH;
  }
  if (p.outline.length > 0) {
    out.push(
      `<rect x="${px(x)}" y="${px(y - sw + 4 * u)}" width="${px(sw)}" height="${px(sw)}" fill="none" stroke="${input.palette.ink}" stroke-width="${px(Math.max(2, 2 * u))}"/>`,
      label('outlined: split to 4K, cells shown'),
    );
    y += rowH;
  }
  if (p.rings.length > 0)
    out.push(
      `<rect x="${px(x)}" y="${px(y - sw + 4 * u)}" width="${px(sw)}" height="${px(sw)}" fill="none" stroke="${markColour(input.palette)}" stroke-width="${px(3 * u)}"/>`,
      label(`ringed: changed at step ${input.step}`),
    );
  return out;
}

/** Room for `room` rows: all entries if they fit, else room − 1 and a "more" line. */
function more1(room: number, n: number): number {
  return n <= room ? n : Math.max(1, room - 1);
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
