/**
 * The map's one viewport: a d3-zoom transform on the canvas (screen = t.x + t.k × world, world
 * units are 4 KiB cells, geometry.ts), the canvas's CSS size and device pixel ratio, and the box
 * a fit fills. It owns its listeners (d3-zoom's on the canvas, a ResizeObserver on the stage) and
 * removes them in dispose(). Every move goes through d3-zoom, so gestures, keys, fits and links
 * share one transform and one 'zoom' event.
 */
import { select } from 'd3-selection';
import { type ZoomBehavior, type ZoomTransform, zoom, zoomIdentity } from 'd3-zoom';
import { type Viewport, visibleWorld } from './overlays';
import type { Box } from './view-range';

/** d3-zoom's range: 64 px a cell at the deepest; the lower end follows the fit (zoomTo). */
const MAX_K = 64;
/** A fit leaves this share of the shorter side free on each side. */
const FIT_PAD = 0.015;

export interface CameraOptions {
  canvas: HTMLCanvasElement;
  /** The box the canvas fills (sized from it, observed for resizes). */
  stage: HTMLElement;
  /** Wheel, drag and touch move the view (default true; compare's still maps set false). */
  gestures?: boolean;
  /**
   * What lies over the stage's foot (the legend): a fit and a link's range keep above it, and its
   * size is observed. One layout read, on a fit or a report; none with nothing over the stage.
   */
  overFoot?(): HTMLElement | null;
  /** CSS px at the stage's left kept free of the grid by fits (the address ruler's gutter). */
  gutter?(): number;
  /** CSS px at the stage's top kept free by fits (the strip the tile heads take when zoomed). */
  top?(): number;
  /** The transform changed; `user` when a gesture (wheel, drag, touch) moved it. */
  onMove?(user: boolean): void;
  /** A gesture ended: the view a link describes may have changed. */
  onGestureEnd?(): void;
  /** The stage was resized (the canvas is already re-measured). */
  onResize(): void;
}

/** World size the camera fits (the layout's, in cells). */
export interface World {
  width: number;
  height: number;
}

/**
 * Translate and scale that show box b whole and centred in a width × height area, with `pad` of
 * the shorter fit left on each side. A box can be under one cell wide (up to 64 px a cell).
 */
export function fitTransform(
  b: Box,
  width: number,
  height: number,
  pad: number,
): { k: number; x: number; y: number } {
  const w = Math.max(1 / MAX_K, b.x1 - b.x0);
  const h = Math.max(1 / MAX_K, b.y1 - b.y0);
  const k = Math.min(MAX_K, Math.min(width / w, height / h) * (1 - 2 * pad));
  return { k, x: (width - k * (b.x0 + b.x1)) / 2, y: (height - k * (b.y0 + b.y1)) / 2 };
}

export class Camera {
  /** CSS px of the canvas and device px per CSS px (at most 2: a 4K canvas costs 4× to fill). */
  cssW = 1;
  cssH = 1;
  /** The CSS size before the last measure(): where the view's centre was before a resize. */
  prevW = 1;
  prevH = 1;
  dpr = 1;
  /** Until the user zooms or pans, a resize refits the view (the layout settles after load). */
  userMoved = false;
  private t: ZoomTransform = zoomIdentity;
  private world: World | null = null;
  private readonly zoomer: ZoomBehavior<HTMLCanvasElement, unknown>;
  private readonly resize: ResizeObserver;

  constructor(private readonly o: CameraOptions) {
    this.zoomer = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([1e-3, MAX_K])
      .on('zoom', (e: { transform: ZoomTransform; sourceEvent: unknown }) => {
        this.t = e.transform;
        if (e.sourceEvent) this.userMoved = true;
        o.onMove?.(!!e.sourceEvent);
      })
      // Only a gesture's end changes the link: a zoom the view applies itself (a fit, a link's
      // range) must not rewrite the range it was given.
      .on('end', (e: { sourceEvent: unknown }) => {
        if (e.sourceEvent) o.onGestureEnd?.();
      });
    if (o.gestures !== false) select(o.canvas).call(this.zoomer).on('dblclick.zoom', null);
    this.resize = new ResizeObserver(() => {
      this.measure();
      o.onResize();
    });
    this.resize.observe(o.stage);
    const foot = o.overFoot?.();
    if (foot) this.resize.observe(foot);
  }

  dispose(): void {
    this.resize.disconnect();
    select(this.o.canvas).on('.zoom', null);
  }

  /** Size the canvas's backing store to the stage (CSS px × dpr). */
  measure(): void {
    const c = this.o.canvas;
    const r = this.o.stage.getBoundingClientRect();
    this.prevW = this.cssW;
    this.prevH = this.cssH;
    this.cssW = Math.max(1, Math.floor(r.width));
    this.cssH = Math.max(1, Math.floor(r.height));
    this.dpr = Math.min(2, window.devicePixelRatio || 1);
    c.width = Math.round(this.cssW * this.dpr);
    c.height = Math.round(this.cssH * this.dpr);
    c.style.width = `${this.cssW}px`;
    c.style.height = `${this.cssH}px`;
  }

  /** The world a fit shows (null before the first snapshot). */
  setWorld(w: World | null): void {
    this.world = w;
  }

  get k(): number {
    return this.t.k;
  }

  transform(): { k: number; x: number; y: number } {
    return { k: this.t.k, x: this.t.x, y: this.t.y };
  }

  viewport(): Viewport {
    return { k: this.t.k, x: this.t.x, y: this.t.y, width: this.cssW, height: this.cssH };
  }

  /** The world point under a screen point (CSS px from the canvas's top-left). */
  invert(px: number, py: number): [number, number] {
    return this.t.invert([px, py]);
  }

  /** CSS px of the stage a fit fills and a link's range describes: above what covers its foot. */
  availH(): number {
    const foot = this.o.overFoot?.();
    return Math.max(this.cssH / 2, this.cssH - (foot ? foot.offsetHeight + 12 : 0));
  }

  /** CSS px at the left a fit leaves to the ruler. */
  gutterW(): number {
    return Math.min(this.cssW / 2, Math.max(0, this.o.gutter?.() ?? 0));
  }

  /** CSS px at the top a fit leaves to the tile heads. */
  topH(): number {
    return Math.min(this.cssH / 4, Math.max(0, this.o.top?.() ?? 0));
  }

  /**
   * The world box in view right of the gutter and above what covers the stage's foot (what a
   * share link's range names, and what zoomTo shows).
   */
  visibleBox(): Box {
    const g = this.gutterW();
    const b = visibleWorld({ ...this.viewport(), height: this.availH() });
    return { ...b, x0: (g - this.t.x) / this.t.k, y0: (this.topH() - this.t.y) / this.t.k };
  }

  fitK(): number {
    const w = this.world;
    if (!w) return 1;
    const h = this.availH() - this.topH();
    return Math.min((this.cssW - this.gutterW()) / w.width, h / w.height) * 0.96;
  }

  fit(): void {
    const w = this.world;
    if (w) this.zoomTo({ x0: 0, y0: 0, x1: w.width, y1: w.height }, FIT_PAD);
  }

  /** The transform that shows box b, whole, right of the gutter, below the top strip and above the stage's foot. */
  targetFor(b: Box, pad = 0.04): { k: number; x: number; y: number } {
    const g = this.gutterW();
    const top = this.topH();
    const f = fitTransform(b, this.cssW - g, this.availH() - top, pad);
    return { k: f.k, x: f.x + g, y: f.y + top };
  }

  /** The whole world's fit transform (what fit() shows), or null before a snapshot. */
  fitTarget(): { k: number; x: number; y: number } | null {
    const w = this.world;
    return w ? this.targetFor({ x0: 0, y0: 0, x1: w.width, y1: w.height }, FIT_PAD) : null;
  }

  /** Show box b, whole, in the part of the stage right of the gutter and above its foot. */
  zoomTo(b: Box, pad = 0.04): void {
    const f = this.targetFor(b, pad);
    this.zoomer.scaleExtent([Math.min(this.fitK() / 2, f.k), MAX_K]);
    this.set(f.x, f.y, f.k);
  }

  set(x: number, y: number, k: number): void {
    select(this.o.canvas).call(this.zoomer.transform, zoomIdentity.translate(x, y).scale(k));
  }

  /** Pan by screen px. */
  panBy(dx: number, dy: number): void {
    this.zoomer.translateBy(select(this.o.canvas), dx / this.t.k, dy / this.t.k);
  }

  zoomBy(f: number): void {
    this.zoomer.scaleBy(select(this.o.canvas), f);
  }

  /**
   * The map's camera keys (the help overlay lists them): arrows pan 15% of the view, + and − zoom
   * by 1.6, 0 fits. Returns whether the key was one of them.
   */
  key(key: string): boolean {
    const step = 0.15 / this.t.k;
    const pan = (dx: number, dy: number) =>
      this.zoomer.translateBy(select(this.o.canvas), dx * this.cssW * step, dy * this.cssH * step);
    if (key === 'ArrowLeft') pan(1, 0);
    else if (key === 'ArrowRight') pan(-1, 0);
    else if (key === 'ArrowUp') pan(0, 1);
    else if (key === 'ArrowDown') pan(0, -1);
    else if (key === '+' || key === '=') this.zoomBy(1.6);
    else if (key === '-' || key === '_') this.zoomBy(1 / 1.6);
    else if (key === '0') this.fit();
    else return false;
    return true;
  }
}
