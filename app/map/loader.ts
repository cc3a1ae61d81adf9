/**
 * What the map shows, fetched from the engine: the snapshot of one step of one address space
 * (the host, or one guest's GPA space), and the 512 cell codes of the mixed 2 MiB regions the
 * detail raster draws. The engine is whatever implements MapSource (the app's engine client, a
 * fake in tests), and the run is read through MapRun, so this module knows no worker.
 *
 * Requests coalesce: one snapshot request is in flight at a time; wants that arrive meanwhile
 * are not queued, and when the answer comes the latest want is fetched if it differs (scrubbing
 * a 200,000-step run asks once per answer, not once per step). An answer for a run that has since
 * been replaced is dropped. A failed request is kept as `error` and reported; the next sync
 * tries again.
 */
import { type MapSnapshot, RF_MIXED } from '../../src/worker/protocol';
import { CELLS_PER_REGION, type Layout, layoutFor } from './geometry';

/** The engine calls the map makes (app/engine-client.ts provides them). */
export interface MapSource {
  snapshot(step: number): Promise<MapSnapshot>;
  /** A guest's GPA space summarised per 2 MiB chunk, in MapSnapshot form. */
  guestSnapshot(step: number, guest: number): Promise<MapSnapshot>;
  /** 512 cell codes for each listed host region (at most 4096). */
  cellsAt(step: number, regions: readonly number[]): Promise<Uint8Array>;
  /** 512 cell codes for each listed GPA chunk of one guest (at most 4096). */
  guestCellsAt(step: number, guest: number, chunks: readonly number[]): Promise<Uint8Array>;
}

/** The run loaded last: its generation counts loads; `info` is null before the first. */
export interface MapRun {
  readonly generation: number;
  readonly info: { readonly guests: readonly { readonly name: string }[] } | null;
}

/** What the props ask to see. */
export interface MapWant {
  step: number;
  /** Host physical memory, or a guest's GPA space. */
  guest: number | null;
}

export interface Loaded {
  /** generation|step|space: equal keys are the same picture. */
  key: string;
  gen: number;
  step: number;
  /** 'host' or `g<index>`. */
  space: string;
  guest: number | null;
  snap: MapSnapshot;
  layout: Layout;
}

export interface LoaderOptions {
  source: MapSource;
  run(): MapRun;
  want(): MapWant;
  /** A snapshot arrived for the current run; `loaded` is already `next`. */
  onLoad(next: Loaded, prev: Loaded | null): void;
  onError?(error: unknown): void;
  /** Where tiles sit for a snapshot of this many regions (default geometry.ts layoutFor). */
  layout?(regions: number): Layout;
}

/** Regions per cellsAt call (the worker's limit). */
const CELLS_BATCH = 4096;
/** Cell codes kept: 24,000 regions × 512 B is 12 MiB; past that the cache starts again. */
const MAX_CACHED_REGIONS = 24_000;

export const spaceOf = (guest: number | null): string => (guest === null ? 'host' : `g${guest}`);

export class MapLoader {
  loaded: Loaded | null = null;
  /** The last request's failure, until one succeeds. */
  error: unknown = null;
  private fetching: string | null = null;
  private readonly cellCache = new Map<number, Uint8Array>();
  private cellsKey = '';

  constructor(private readonly o: LoaderOptions) {}

  /** A snapshot is on screen and none is on its way. */
  get settled(): boolean {
    return this.loaded !== null && this.fetching === null;
  }

  /** Cell codes fetched for the loaded snapshot's mixed regions. */
  get cells(): ReadonlyMap<number, Uint8Array> {
    return this.cellCache;
  }

  private wantKey(): string {
    const w = this.o.want();
    return `${this.o.run().generation}|${w.step}|${spaceOf(w.guest)}`;
  }

  /** Fetch the snapshot the props ask for, unless it is shown or a request is in flight. */
  sync(): void {
    const run = this.o.run();
    if (!run.info) return;
    const key = this.wantKey();
    if (this.loaded?.key === key || this.fetching !== null) return;
    this.fetching = key;
    const { step, guest } = this.o.want();
    const gen = run.generation;
    const req =
      guest === null ? this.o.source.snapshot(step) : this.o.source.guestSnapshot(step, guest);
    req.then(
      (snap) => {
        performance.mark('fracture:snapshot');
        this.fetching = null;
        this.error = null;
        if (gen === this.o.run().generation) {
          const layout = (this.o.layout ?? layoutFor)(snap.regions);
          this.accept({ key, gen, step, space: spaceOf(guest), guest, snap, layout });
        }
        if (this.wantKey() !== key) this.sync();
      },
      (e: unknown) => {
        this.fetching = null;
        this.error = e;
        this.o.onError?.(e);
      },
    );
  }

  private accept(next: Loaded): void {
    const prev = this.loaded;
    this.loaded = next;
    if (this.cellsKey !== next.key) {
      this.cellCache.clear();
      this.cellsKey = next.key;
    }
    this.o.onLoad(next, prev);
  }

  /**
   * Fetch the cells of the mixed regions among `regions` not yet cached, for snapshot d. Returns
   * false, keeping what arrived, once `stale()` says the answer is no longer wanted.
   */
  async fetchCells(d: Loaded, regions: readonly number[], stale: () => boolean): Promise<boolean> {
    const c = this.cellCache;
    const need = regions.filter((r) => d.snap.regionFlags[r]! & RF_MIXED && !c.has(r));
    if (c.size + need.length > MAX_CACHED_REGIONS) c.clear();
    for (let i = 0; i < need.length; i += CELLS_BATCH) {
      const part = need.slice(i, i + CELLS_BATCH);
      const buf =
        d.guest === null
          ? await this.o.source.cellsAt(d.step, part)
          : await this.o.source.guestCellsAt(d.step, d.guest, part);
      if (stale()) return false;
      part.forEach((r, j) => {
        c.set(r, buf.subarray(j * CELLS_PER_REGION, (j + 1) * CELLS_PER_REGION));
      });
    }
    return !stale();
  }
}
