/**
 * The overview in the map's corner: the whole host downscaled, with the view's rectangle. It owns
 * its canvas (size, opacity, the pointer listener) and a downscaled copy of the region raster, so
 * a frame blits ~150² px, not the whole host. A click asks the map to jump there.
 */
import type { Layout } from './geometry';
import { type Viewport, visibleWorld } from './overlays';

const MINIMAP_PX = 150;
/** While playing, the overview follows at most every MINIMAP_MS (a full-raster downscale). */
const MINIMAP_MS = 250;
/** The view's rectangle (accent red; the region palette has no colour this loud). */
const VIEW_STROKE = '#e5484d';

/** CSS px of the overview for a stage of w × h CSS px: the layout's aspect, 60–150 px across. */
export function minimapSize(w: number, h: number, l: Layout | null): { mw: number; mh: number } {
  const px = Math.max(60, Math.min(MINIMAP_PX, w * 0.2, h * 0.3));
  if (!l) return { mw: px, mh: px };
  const s = px / Math.max(l.width, l.height);
  return { mw: Math.max(8, Math.round(l.width * s)), mh: Math.max(8, Math.round(l.height * s)) };
}

export interface MinimapOptions {
  /** The world point clicked (cells). */
  onJump(wx: number, wy: number): void;
  /** The downscaled copy changed: draw a frame. */
  request(): void;
}

export class Minimap {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly base = document.createElement('canvas');
  private layout: Layout | null = null;
  private stageW = 1;
  private stageH = 1;
  private dpr = 1;
  private timer = 0;

  constructor(
    private readonly el: HTMLCanvasElement,
    private readonly o: MinimapOptions,
  ) {
    this.ctx = el.getContext('2d')!;
    el.addEventListener('pointerdown', this.onPointer);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.el.removeEventListener('pointerdown', this.onPointer);
  }

  private size(): { mw: number; mh: number } {
    return minimapSize(this.stageW, this.stageH, this.layout);
  }

  setLayout(l: Layout | null): void {
    this.layout = l;
  }

  /** Size the canvas for a stage of w × h CSS px (its shape follows the layout known now). */
  resize(w: number, h: number, dpr: number): void {
    this.stageW = w;
    this.stageH = h;
    this.dpr = dpr;
    const { mw, mh } = this.size();
    this.el.width = Math.round(mw * dpr);
    this.el.height = Math.round(mh * dpr);
    this.el.style.width = `${mw}px`;
    this.el.style.height = `${mh}px`;
  }

  /** Downscale the region raster now. */
  rebuild(raster: CanvasImageSource): void {
    if (!this.layout) return;
    const { mw, mh } = this.size();
    this.base.width = mw;
    this.base.height = mh;
    const mctx = this.base.getContext('2d')!;
    mctx.imageSmoothingEnabled = true;
    mctx.drawImage(raster, 0, 0, mw, mh);
  }

  /** Downscale the region raster within MINIMAP_MS (a step changed some tiles). */
  schedule(raster: CanvasImageSource): void {
    if (this.timer !== 0) return;
    this.timer = window.setTimeout(() => {
      this.timer = 0;
      this.rebuild(raster);
      this.o.request();
    }, MINIMAP_MS);
  }

  /** The overview and the view's rectangle; faded when the whole host is in view. */
  draw(v: Viewport): void {
    const l = this.layout;
    if (!l) return;
    const m = this.ctx;
    const { mw, mh } = this.size();
    m.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    m.clearRect(0, 0, mw, mh);
    m.drawImage(this.base, 0, 0, mw, mh);
    const s = mw / l.width;
    const w = visibleWorld(v);
    const x0 = Math.max(0, w.x0 * s);
    const y0 = Math.max(0, w.y0 * s);
    const x1 = Math.min(mw, w.x1 * s);
    const y1 = Math.min(mh, w.y1 * s);
    const whole = x0 <= 0.5 && y0 <= 0.5 && x1 >= mw - 0.5 && y1 >= mh - 0.5;
    this.el.style.opacity = whole ? '0.55' : '1';
    if (whole) return;
    m.lineWidth = 2;
    m.strokeStyle = VIEW_STROKE;
    m.strokeRect(x0, y0, Math.max(3, x1 - x0), Math.max(3, y1 - y0));
  }

  private readonly onPointer = (e: PointerEvent): void => {
    const l = this.layout;
    if (!l) return;
    const s = l.width / this.size().mw;
    this.o.onJump(e.offsetX * s, e.offsetY * s);
  };
}
