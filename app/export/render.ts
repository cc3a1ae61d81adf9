/**
 * Slides of the map at a step: what they say is asked of the engine (the snapshot, the cells of
 * the mixed regions in view, the step's counters and those of the step before, its caption or
 * its outcomes), the SVG document is built (svg.ts), and a PNG is that document drawn onto a
 * canvas of the slide's size, carrying the share link in a tEXt/iTXt chunk so the image reopens
 * live. Everything happens in the page: the SVG is drawn from a blob: URL, nothing is fetched.
 */
import { insertPngText, linkTexts } from '../../src/formats/index';
import { PAGE_SIZE, PMD_SIZE as REGION_BYTES } from '../../src/scenario/index';
import {
  type MapSnapshot,
  RF_MIXED,
  type RunInfo,
  type StepView,
  type ViewState,
} from '../../src/worker/protocol';
import { getEngine } from '../engine-client';
import { paletteFor } from '../map/palette';
import { shareLink } from '../share/links';
import { changedRegions, slideCounters } from './slide-data';
import { SLIDE_SIZES, type SlideSize } from './slide-text';
import { buildMapSvg, type SvgTheme, slideLayout } from './svg';

export { SLIDE_SIZES };

export interface ExportView {
  info: RunInfo;
  step: number;
  size: SlideSize;
  theme: SvgTheme;
  /** The zoomed address range, if any (whole host otherwise). */
  zoom: { start: number; end: number } | null;
  layer: ViewState['layer'];
}

/** Mixed regions whose cells a slide draws at most (4,096 × 512 B = 2 MiB of codes). */
const MAX_DETAIL_REGIONS = 4096;

export function linkOf(v: ExportView): string {
  const view: ViewState = { step: v.step };
  if (v.layer !== undefined) view.layer = v.layer;
  // The whole host is the default view: a link needs no zoom for it.
  const whole = v.zoom !== null && v.zoom.start <= 0 && v.zoom.end >= v.info.totalPages * PAGE_SIZE;
  if (v.zoom && !whole) view.zoom = v.zoom;
  return shareLink(view);
}

/** The step's caption; else what happened at it, as the log says it; else null. */
async function captionOf(view: StepView, step: number): Promise<string | null> {
  if (view.caption) return view.caption;
  const engine = getEngine();
  const from = await engine.outcomeIndexAt(step);
  const { rows } = await engine.outcomes({ from, count: 4, maxStep: step });
  const here = rows
    .filter((r) => r.step === step)
    .map((r) => r.message.replace(/^\[\s*\d+\]\s*/, ''));
  if (step === 0) return 'The host right after boot.';
  return here.length > 0 ? `At this step: ${here.join('; ')}` : null;
}

function rangeOf(v: ExportView, regions: number) {
  if (!v.zoom) return { firstRegion: 0, endRegion: regions };
  return {
    firstRegion: Math.max(0, Math.floor(v.zoom.start / REGION_BYTES)),
    endRegion: Math.min(regions, Math.ceil(v.zoom.end / REGION_BYTES)),
  };
}

/** Cells of the mixed regions in view, when the slide draws tiles big enough to show them. */
async function cellsFor(
  v: ExportView,
  snap: MapSnapshot,
  range: { firstRegion: number; endRegion: number },
  size: Parameters<typeof slideLayout>[0],
): Promise<Map<number, Uint8Array>> {
  const out = new Map<number, Uint8Array>();
  const n = range.endRegion - range.firstRegion;
  const g = slideLayout(size, n).grid;
  if (g.regionsPerTile > 1 || g.tilePx < 16) return out;
  const mixed: number[] = [];
  for (let r = range.firstRegion; r < range.endRegion && mixed.length < MAX_DETAIL_REGIONS; r++)
    if (snap.regionFlags[r]! & RF_MIXED) mixed.push(r);
  if (mixed.length === 0) return out;
  const buf = await getEngine().cellsAt(v.step, mixed);
  mixed.forEach((r, i) => {
    out.set(r, buf.subarray(i * 512, (i + 1) * 512));
  });
  return out;
}

export async function mapSvg(v: ExportView): Promise<string> {
  const engine = getEngine();
  const [snapshot, views, before] = await Promise.all([
    engine.snapshot(v.step),
    engine.stepViews(v.step),
    v.step > 0 ? engine.snapshot(v.step - 1) : Promise.resolve(null),
  ]);
  const range = rangeOf(v, snapshot.regions);
  const p = paletteFor(v.theme);
  const input = {
    snapshot,
    range,
    size: v.size,
    theme: v.theme,
    palette: { background: p.background, ink: p.ink, accent: p.accent, css: p.css },
    title: v.info.title,
    step: v.step,
    steps: v.info.steps,
    kernel: v.info.kernel,
    caption: await captionOf(views.view, v.step),
    counters: slideCounters(views.view.metrics, views.prev?.metrics ?? null),
    guests: v.info.guests.map((g) => g.name),
    link: linkOf(v),
    changed: changedRegions(snapshot, before, range),
  };
  const cells = await cellsFor(v, snapshot, range, input);
  return buildMapSvg({ ...input, cells });
}

async function svgImage(svg: string): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'async';
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Draw the view's slide onto a canvas of its size (reused for video frames). */
export async function drawView(canvas: HTMLCanvasElement, v: ExportView): Promise<void> {
  const { width, height } = SLIDE_SIZES[v.size];
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context');
  const img = await svgImage(await mapSvg(v));
  ctx.drawImage(img, 0, 0, width, height);
}

/** PNG bytes of the view, with the share link in the file's text metadata. */
export async function renderPng(v: ExportView): Promise<Uint8Array> {
  const canvas = document.createElement('canvas');
  await drawView(canvas, v);
  const blob = await new Promise<Blob | null>((res) => canvas.toBlob(res, 'image/png'));
  if (!blob) throw new Error('the canvas could not be encoded as PNG');
  const bytes = new Uint8Array(await blob.arrayBuffer());
  return insertPngText(bytes, linkTexts(linkOf(v), `Fracture: ${v.info.title}, step ${v.step}`));
}

export function fileStem(v: Pick<ExportView, 'info' | 'step'>): string {
  const slug = v.info.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48);
  return `fracture-${slug || 'scenario'}-step-${v.step}`;
}
