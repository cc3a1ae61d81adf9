/**
 * The map's controller, outside React: it wires the parts and holds what joins them (the props,
 * the split flash, the share link's range). Pan and zoom only change the camera's transform and
 * request a frame; React renders once per prop change and never per frame.
 *
 * - camera.ts: the one viewport (d3-zoom), fits and keys;
 * - loader.ts: snapshots and cells from the engine (injected: MapDeps.source);
 * - layers.ts: the region raster and, from 1 px per 4 KiB cell, the detail raster around the view;
 * - draw.ts: drawMap, one frame from a MapFrame; overlays.ts: what it draws over the rasters;
 * - minimap.ts, hover.ts: the overview and the tip, each owning its element;
 * - input.ts: click, keys and focus; zoom-link.ts: the share link's range; flash.ts: what split;
 * - describe.ts: the words for a frame under the pointer.
 */
import type { CauseInfo, MapLayer } from '../../src/worker/protocol';
import { Camera } from './camera';
import { withCauses } from './cause-colours';
import { focusBox } from './changes';
import { describeAt, describeFrame, frameAt } from './describe';
import { drawMap, type MapPainter } from './draw';
import { FollowCamera } from './follow';
import {
  CELLS_PER_REGION,
  layoutFor,
  pfnXY,
  regionAt,
  regionXY,
  scaleText,
  TILE_H,
  TILE_W,
} from './geometry';
import { parseGoto } from './goto';
import { Hover } from './hover';
import { MapInput } from './input';
import { type DetailInput, DetailLayer, detailLevel, RegionLayer } from './layers';
import { type Loaded, MapLoader, type MapRun, type MapSource } from './loader';
import { Minimap } from './minimap';
import { type LabelBox, regionAddress } from './overlays';
import { type Palette, paletteFor, type Theme } from './palette';
import { gutterPx, HEAD_PX, headStrip } from './ruler';
import { FrameStats } from './stats';
import { type StepChange, StepChanges } from './step-change';
import { ZoomLink } from './zoom-link';

export interface MapViewProps {
  snapshotStep: number;
  layer: MapLayer;
  selectedPfn: number | null;
  onSelect(pfn: number | null): void;
  zoom?: { start: number; end: number };
  onZoomChange?(z: { start: number; end: number }): void;
  guestIndex?: number;
  theme: Theme;
  animate: boolean;
  /** Glide to where each step acts and back (follow.ts). */
  follow?: boolean;
  /** Playback is running: a step's change is found without asking the engine for more. */
  playing?: boolean;
  /** The inspector is open: hover tips stay away (they would cover it or the frame it shows). */
  tipsOff?: boolean;
  /** The direct map coloured by the cause of each split (cause-colours.ts), with the causes. */
  byCause?: readonly CauseInfo[] | null;
}

export interface MapElements {
  canvas: HTMLCanvasElement;
  minimap: HTMLCanvasElement;
  tooltip: HTMLElement;
  /** The scale line ("one tile = 2 MiB · one row = 64 MiB"). */
  scale?: HTMLElement;
  /** The step's change in words ("step 2: tile 0x200000 split to 4K"). */
  status?: HTMLElement;
  /** A polite live region: the cell under the keyboard cursor after a move. */
  announce?: HTMLElement;
}

/** Why the map says what it says in its text alternative (canvas aria-label). */
const MAP_NAME = 'Host memory map';

/** What the map needs from the rest of the app (MemoryMap.tsx passes the engine client's). */
export interface MapDeps {
  source: MapSource;
  run(): MapRun;
  /** Called after every successful load; returns the unsubscribe function. */
  onRunChange(fn: () => void): () => void;
  /** Painted over the labels of the host layers (the import overlay). */
  hostOverlays?: readonly MapPainter[];
}

export class MapView {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly camera: Camera;
  private readonly loader: MapLoader;
  private readonly region = new RegionLayer();
  private readonly detail: DetailLayer;
  private readonly minimap: Minimap;
  private readonly hover: Hover;
  private readonly input: MapInput;
  private readonly link: ZoomLink;
  private readonly changes: StepChanges;
  private readonly follower: FollowCamera;
  private readonly stats = new FrameStats();
  private readonly unsub: () => void;
  private props: MapViewProps;
  private frame = 0;
  private announceTimer = 0;
  /** What the last frame drew as labels (CSS px), for tests' hit-tests. */
  private labelBoxes: LabelBox[] = [];
  /** The transform of the last frame drawn (the labels' frame). */
  private drawnAt: { k: number; x: number; y: number } | null = null;

  constructor(
    private readonly el: MapElements,
    props: MapViewProps,
    private readonly deps: MapDeps,
  ) {
    performance.mark('fracture:map');
    this.props = props;
    this.ctx = el.canvas.getContext('2d', { alpha: false })!;
    const stage = el.canvas.parentElement ?? el.canvas;
    this.camera = new Camera({
      canvas: el.canvas,
      stage,
      gutter: () => this.gutter(),
      top: () => HEAD_PX,
      onMove: (user) => {
        if (user) this.follower.cancel();
        this.request();
      },
      onGestureEnd: () => this.reportZoom(),
      onResize: () => this.resized(),
    });
    this.follower = new FollowCamera(this.camera);
    this.loader = new MapLoader({
      source: deps.source,
      run: deps.run,
      want: () => ({
        step: this.props.snapshotStep,
        guest: this.props.layer === 'guest' ? (this.props.guestIndex ?? 0) : null,
      }),
      onLoad: (next, prev) => this.apply(next, prev),
      layout: (regions) => layoutFor(regions, this.aspectFor(regions)),
    });
    this.changes = new StepChanges(deps.source, regionAddress, (c) => this.changed(c));
    this.detail = new DetailLayer(
      this.loader,
      () => this.detailInput(),
      () => this.request(),
    );
    this.minimap = new Minimap(el.minimap, {
      onJump: (wx, wy) => this.jump(wx, wy),
      request: () => this.request(),
    });
    this.hover = new Hover(el.canvas, el.tooltip, {
      textAt: (x, y) => (this.props.tipsOff ? null : this.describe(x, y)),
      stage: () => ({ width: this.camera.cssW, height: this.camera.cssH }),
    });
    this.input = new MapInput(el.canvas, {
      camera: this.camera,
      frameAt: (x, y) => this.frameAt(x, y),
      canSelect: () => this.loader.loaded?.space === 'host',
      select: (pfn) => this.props.onSelect(pfn),
      onKey: () => this.follower.cancel(),
      onHandled: () => {
        this.reportZoom();
        this.announceCursor();
      },
      onFocusChange: () => this.request(),
    });
    this.link = new ZoomLink(this.camera);
    this.unsub = deps.onRunChange(() => {
      this.loader.sync();
      // A new run: veil the previous one's picture until the new snapshot arrives.
      this.request();
    });
    this.camera.measure();
    this.resized();
    this.loader.sync();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.announceTimer);
    this.follower.cancel();
    this.camera.dispose();
    this.detail.dispose();
    this.minimap.dispose();
    this.hover.dispose();
    this.input.dispose();
    this.unsub();
  }

  setProps(p: MapViewProps): void {
    const old = this.props;
    this.props = p;
    if (
      old.snapshotStep !== p.snapshotStep ||
      old.layer !== p.layer ||
      old.guestIndex !== p.guestIndex
    )
      this.loader.sync();
    if (old.theme !== p.theme || old.layer !== p.layer || old.byCause !== p.byCause)
      this.rebuildRaster();
    if (this.link.isNew(p.zoom)) this.link.show(this.loader.loaded, p.zoom);
    if (old.follow && !p.follow) this.follower.cancel();
    if (p.tipsOff) this.hover.hide();
    this.request();
  }

  private apply(next: Loaded, prev: Loaded | null): void {
    this.camera.setWorld(next.layout);
    this.minimap.setLayout(next.layout);
    this.minimap.resize(this.camera.cssW, this.camera.cssH, this.camera.dpr);
    this.rebuildRaster();
    this.link.loaded(next, prev, this.props.zoom);
    this.changes.loaded(next, prev, !this.props.playing);
    if (this.el.scale) this.el.scale.textContent = scaleText(next.layout);
    this.stats.markData();
    this.request();
  }

  /** What the step changed is known: mark it, say it, and follow it if asked. */
  private changed(c: StepChange | null): void {
    const d = this.loader.loaded;
    const text = c ? `step ${c.step}: ${c.text}` : '';
    if (this.el.status) this.el.status.textContent = text;
    this.el.canvas.setAttribute('aria-label', c ? `${MAP_NAME}, ${text}` : MAP_NAME);
    if (c && d && this.props.follow && !this.camera.userMoved) {
      const box = focusBox(d.layout, c.diff, c.cells);
      if (box) this.follower.follow(box, reducedMotion());
    }
    this.request();
  }

  /** The theme's palette, with the causes' colours when the map is coloured by cause. */
  private palette(): Palette {
    const p = paletteFor(this.props.theme);
    const causes = this.props.byCause;
    return causes && causes.length > 0 ? withCauses(p, causes) : p;
  }

  private rebuildRaster(): void {
    const d = this.loader.loaded;
    if (!d) return;
    const { layer, theme } = this.props;
    const colour = this.props.byCause ? this.props.byCause.map((c) => c.id).join(',') : 'state';
    const base = `${d.gen}|${d.space}|${d.layout.regions}|${d.layout.perRow}|${layer}|${theme}|${colour}`;
    const r = this.region.show(base, d.layout, d.snap, layer, this.palette());
    if (r.kind === 'same') return;
    if (r.kind === 'rebuilt') this.minimap.rebuild(this.region.canvas);
    else if (r.dirty > 0) this.minimap.schedule(this.region.canvas);
    this.detail.clear();
  }

  /** CSS px of the address ruler left of the grid. */
  private gutter(): number {
    const d = this.loader.loaded;
    return d ? gutterPx(d.layout, regionAddress) : 0;
  }

  /** The stage's aspect right of the ruler: what layoutFor shapes the rows for. */
  private aspectFor(regions: number): number {
    const c = this.camera;
    // The widest row address any layout can have (the last region's): the ruler never outgrows it.
    const g = gutterPx(layoutFor(regions), regionAddress);
    return Math.max(0.2, (c.cssW - Math.min(c.cssW / 2, g)) / Math.max(1, c.cssH));
  }

  private resized(): void {
    const c = this.camera;
    this.relayout();
    this.minimap.resize(c.cssW, c.cssH, c.dpr);
    this.link.resized(this.loader.loaded, this.props.zoom);
    this.minimap.rebuild(this.region.canvas);
    this.request();
  }

  /** The stage's new aspect wants rows of another length: lay the tiles out again. */
  private relayout(): void {
    const d = this.loader.loaded;
    if (!d) return;
    const l = layoutFor(d.layout.regions, this.aspectFor(d.layout.regions));
    if (l.perRow === d.layout.perRow) return;
    const c = this.camera;
    // Keep the frame at the view's centre there (a user's zoom survives a resize): the centre
    // of the stage as it was before this resize, which the transform still describes.
    const centre = frameAt(d.layout, c.transform(), c.prevW / 2, c.prevH / 2);
    const k = c.k;
    this.loader.loaded = { ...d, layout: l };
    c.setWorld(l);
    this.minimap.setLayout(l);
    this.rebuildRaster();
    if (this.el.scale) this.el.scale.textContent = scaleText(l);
    if (c.userMoved && centre >= 0) {
      const [x, y] = pfnXY(l, centre);
      c.set(c.cssW / 2 - x * k, c.cssH / 2 - y * k, k);
    }
  }

  /** The view above what covers the stage's foot as an address range, for share links. */
  private reportZoom(): void {
    this.link.report(this.loader.loaded, this.props.onZoomChange);
  }

  request(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(this.draw);
  }

  private readonly draw = (now: number): void => {
    this.frame = 0;
    const t0 = performance.now();
    const { camera: c, props: p } = this;
    const d = this.loader.loaded;
    const palette = this.palette();
    const v = c.viewport();
    const q = detailLevel(v.k, this.region.pxPerTile);
    const detail = d ? this.detail.forView(q, v, d.layout, this.region.version) : null;
    const ch = this.changes.current;
    // By cause the map answers "whose split is this": the step's outlines would cover the very
    // tiles a mass split (2048 BPF programs) colours, so they are left out (the legend says so).
    const marks =
      d && ch && ch.key === d.key && !p.byCause
        ? {
            regions: ch.diff.regions,
            pfns: ch.cells?.pfns ?? [],
            age: p.animate && !reducedMotion() ? now - ch.t0 : Number.POSITIVE_INFINITY,
          }
        : null;
    if (marks && marks.age < 2400) this.request();
    const times = drawMap(this.ctx, {
      dpr: c.dpr,
      width: c.cssW,
      height: c.cssH,
      palette,
      scene: d && {
        ...d,
        layer: p.layer,
        palette,
        cells: this.loader.cells,
        addressLabel: regionAddress,
      },
      viewport: v,
      gutter: c.gutterW(),
      region: this.region.placed,
      detail,
      overlays: p.layer === 'guest' ? [] : (this.deps.hostOverlays ?? []),
      flash: null,
      marks,
      selectedPfn: d?.space === 'host' ? p.selectedPfn : null,
      cursorPfn: this.input.focused ? this.input.centerFrame() : null,
      stale: d !== null && d.gen !== this.deps.run().generation,
      clock: () => performance.now(),
    });
    if (!times) return;
    this.labelBoxes = times.labelBoxes;
    this.drawnAt = { k: v.k, x: v.x, y: v.y };
    this.minimap.draw(v);
    const t1 = performance.now();
    this.stats.frame(t1 - t0, {
      k: v.k,
      raster: times.raster - t0,
      detail: times.detail - times.raster,
      grids: times.grids - times.detail,
      labels: times.labels - times.grids,
      rest: t1 - times.labels,
    });
  };

  private detailInput(): DetailInput | null {
    const d = this.loader.loaded;
    if (!d) return null;
    const { layer } = this.props;
    const version = this.region.version;
    return {
      loaded: d,
      layer,
      palette: this.palette(),
      version,
      viewport: this.camera.viewport(),
    };
  }

  private describe(x: number, y: number): string | null {
    const d = this.loader.loaded;
    if (!d) return null;
    const guests = this.deps.run().info?.guests ?? [];
    return describeAt({ ...d, cells: this.loader.cells, guests }, this.camera.transform(), x, y);
  }

  /** After a keyboard move, say the cell under the cursor (once the keys pause). */
  private announceCursor(): void {
    const el = this.el.announce;
    if (!el) return;
    clearTimeout(this.announceTimer);
    this.announceTimer = window.setTimeout(() => {
      const d = this.loader.loaded;
      const pfn = this.input.centerFrame();
      if (!d || pfn < 0) return;
      const guests = this.deps.run().info?.guests ?? [];
      const text = describeFrame({ ...d, cells: this.loader.cells, guests }, pfn);
      el.textContent = text.replace(/\n/g, '; ');
    }, 250);
  }

  private frameAt(px: number, py: number): number {
    const d = this.loader.loaded;
    return d ? frameAt(d.layout, this.camera.transform(), px, py) : -1;
  }

  /** The minimap's click: centre there, close enough to tell tiles apart. */
  private jump(wx: number, wy: number): void {
    const c = this.camera;
    c.userMoved = true;
    this.follower.cancel();
    const k = Math.max(c.k, c.fitK() * 4);
    c.set(c.cssW / 2 - wx * k, c.cssH / 2 - wy * k, k);
    this.reportZoom();
  }

  /**
   * The go-to box: show the frame a text names with its tile and neighbours (cells ~6 px), and
   * put the keyboard cursor's selection there. Returns an error to show, or null.
   */
  goTo(text: string): string | null {
    const d = this.loader.loaded;
    if (!d) return 'The map is not loaded yet';
    const t = parseGoto(text, d.layout.regions * CELLS_PER_REGION);
    if ('error' in t) return t.error;
    const c = this.camera;
    c.userMoved = true;
    this.follower.cancel();
    const [rx, ry] = regionXY(d.layout, Math.floor(t.pfn / CELLS_PER_REGION));
    const cx = rx + TILE_W / 2;
    c.zoomTo({
      x0: cx - TILE_W * 1.5,
      y0: ry - TILE_H * 0.25,
      x1: cx + TILE_W * 1.5,
      y1: ry + TILE_H * 1.25,
    });
    if (d.space === 'host') this.props.onSelect(t.pfn);
    this.reportZoom();
    return null;
  }

  /** For benchmarks and tests: draw statistics, programmatic zoom, and where things are drawn. */
  debugHandle() {
    const c = this.camera;
    const screenOf = (x0: number, y0: number, x1: number, y1: number) => {
      const t = c.transform();
      return { x: t.x + x0 * t.k, y: t.y + y0 * t.k, w: (x1 - x0) * t.k, h: (y1 - y0) * t.k };
    };
    return {
      stats: this.stats,
      zoomBy: (f: number) => {
        c.userMoved = true;
        c.zoomBy(f);
      },
      panBy: (dx: number, dy: number) => {
        c.userMoved = true;
        c.panBy(dx, dy);
      },
      fit: () => c.fit(),
      transform: () => c.transform(),
      ready: () => this.loader.settled,
      regionAt: (x: number, y: number) => {
        const d = this.loader.loaded;
        return d ? regionAt(d.layout, x, y) : -1;
      },
      /** Labels the last frame drew (CSS px from the canvas's top-left). */
      labelBoxes: () => this.labelBoxes.map((b) => ({ ...b })),
      /** Where region r's tile was in the last frame drawn (CSS px), or null before one. */
      tileRect: (r: number) => {
        const d = this.loader.loaded;
        const t = this.drawnAt;
        if (!d || !t) return null;
        const [x, y] = regionXY(d.layout, r);
        return { x: t.x + x * t.k, y: t.y + y * t.k, w: TILE_W * t.k, h: TILE_H * t.k };
      },
      /** The whole grid's box on screen and the canvas's size (CSS px). */
      gridRect: () => {
        const d = this.loader.loaded;
        if (!d) return null;
        return {
          ...screenOf(0, 0, d.layout.width, d.layout.height),
          stageW: c.cssW,
          stageH: c.cssH,
          gutter: c.gutterW(),
          head: headStrip(c.viewport()),
        };
      },
      /** What the step changed, in words ('' before it is known). */
      changeText: () => this.changes.current?.text ?? '',
      following: () => this.follower.active,
      goTo: (text: string) => this.goTo(text),
    };
  }
}

function reducedMotion(): boolean {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}
