/**
 * Slide images of the map at a step: the SVG document (buildMapSvg, with its footer of title,
 * step, kernel design and link) drawn onto a canvas at 1920×1080 or 3840×2160, then PNG bytes
 * carrying the share link in a tEXt/iTXt chunk so the image reopens live. Everything happens in
 * the page: the SVG is drawn from a blob: URL, nothing is fetched.
 */
import { insertPngText, linkTexts } from '../../src/formats/index';
import { PAGE_SIZE, PMD_SIZE as REGION_BYTES } from '../../src/scenario/index';
import type { RunInfo, ViewState } from '../../src/worker/protocol';
import { getEngine } from '../engine-client';
import { paletteFor } from '../map/palette';
import { shareLink } from '../share/links';
import { buildMapSvg, type SvgResolution, type SvgTheme } from './svg';

export const RESOLUTIONS: Record<SvgResolution, { width: number; height: number }> = {
  '1920x1080': { width: 1920, height: 1080 },
  '3840x2160': { width: 3840, height: 2160 },
};

export interface ExportView {
  info: RunInfo;
  step: number;
  resolution: SvgResolution;
  theme: SvgTheme;
  /** The zoomed address range, if any (whole host otherwise). */
  zoom: { start: number; end: number } | null;
  layer: ViewState['layer'];
}

export function linkOf(v: ExportView): string {
  const view: ViewState = { step: v.step };
  if (v.layer !== undefined) view.layer = v.layer;
  // The whole host is the default view: a link needs no zoom for it.
  const whole = v.zoom !== null && v.zoom.start <= 0 && v.zoom.end >= v.info.totalPages * PAGE_SIZE;
  if (v.zoom && !whole) view.zoom = v.zoom;
  return shareLink(view);
}

export async function mapSvg(v: ExportView): Promise<string> {
  const snapshot = await getEngine().snapshot(v.step);
  const range = v.zoom
    ? {
        firstRegion: Math.floor(v.zoom.start / REGION_BYTES),
        endRegion: Math.ceil(v.zoom.end / REGION_BYTES),
      }
    : undefined;
  return buildMapSvg({
    snapshot,
    ...(range ? { range } : {}),
    resolution: v.resolution,
    theme: v.theme,
    title: v.info.title,
    step: v.step,
    steps: v.info.steps,
    kernel: v.info.kernel,
    link: linkOf(v),
    palette: paletteFor(v.theme),
  });
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

/** Draw the view's map onto a canvas of the export's size (reused for video frames). */
export async function drawView(canvas: HTMLCanvasElement, v: ExportView): Promise<void> {
  const { width, height } = RESOLUTIONS[v.resolution];
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
