/**
 * The app's sweep on a pool of tools workers (issue 19): one worker per core the browser reports
 * (navigator.hardwareConcurrency), capped by memory (a sweep cell of a big host holds a machine of
 * up to ~512 MiB; navigator.deviceMemory, when the browser says it, bounds the pool) and by
 * MAX_WORKERS. Each worker takes the next combination when it finishes one, so rows stream in as
 * they finish; cancel() terminates every worker at once. A cell is a pure function of (scenario,
 * kernel, backing), so the rows are the serial sweep's whatever worker ran them (test:
 * sweep-pool.test.ts compares digests).
 */
import type { Remote } from 'comlink';
import {
  BACKINGS,
  type Backing,
  KERNEL_DESIGNS,
  type KernelDesign,
  type SweepRow,
  sweepCombinations,
  type ToolsApi,
  type ToolsSource,
} from '../../src/worker/protocol';
import { WorkerClient } from '../worker-client';

export const MAX_WORKERS = 8;
const CELL_BYTES = 512 * 2 ** 20;

/** How many workers a sweep gets: cores, then memory, then MAX_WORKERS; at least one. */
export function poolSize(
  cores: number | undefined,
  deviceMemoryGiB: number | undefined,
  cells: number,
): number {
  const byCores = cores && cores > 0 ? cores : 2;
  const byMemory =
    deviceMemoryGiB && deviceMemoryGiB > 0
      ? Math.floor((deviceMemoryGiB * 2 ** 30) / 2 / CELL_BYTES)
      : MAX_WORKERS;
  return Math.max(1, Math.min(byCores, byMemory, MAX_WORKERS, cells));
}

export interface SweepProgress {
  done: number;
  total: number;
  /** The cell that just finished. */
  row: SweepRow;
}

export type SweepOutcome =
  | { kind: 'done'; rows: SweepRow[]; workers: number }
  | { kind: 'cancelled' }
  | { kind: 'error'; errors: string[] };

type Spawn = () => { api: Remote<ToolsApi>; dispose(): void };

const spawnTools: Spawn = () => {
  const c = new WorkerClient<ToolsApi>(
    () =>
      new Worker(new URL('../../src/worker/tools-worker.ts', import.meta.url), { type: 'module' }),
  );
  return { api: c.api, dispose: () => c.dispose() };
};

/** One sweep in flight. `result` settles once: done, cancelled or an error. */
export class SweepRun {
  readonly result: Promise<SweepOutcome>;
  readonly workers: number;
  /** How many combinations the sweep runs. */
  readonly total: number;
  private cancelled = false;
  private readonly pool: ReturnType<Spawn>[] = [];
  private settle: (o: SweepOutcome) => void = () => {};

  constructor(
    source: ToolsSource,
    onRow: (p: SweepProgress) => void,
    opts: { workers?: number; spawn?: Spawn } = {},
  ) {
    const order = sweepCombinations();
    this.total = order.length;
    const nav = typeof navigator === 'undefined' ? undefined : navigator;
    this.workers =
      opts.workers ??
      poolSize(
        nav?.hardwareConcurrency,
        (nav as { deviceMemory?: number } | undefined)?.deviceMemory,
        order.length,
      );
    const spawn = opts.spawn ?? spawnTools;
    for (let i = 0; i < this.workers; i++) this.pool.push(spawn());
    this.result = new Promise<SweepOutcome>((resolve) => {
      this.settle = resolve;
    });
    const rows = new Map<string, SweepRow>();
    let next = 0;
    let failed = false;
    const key = (k: KernelDesign, b: Backing) => `${k}/${b}`;
    const work = async (w: ReturnType<Spawn>): Promise<void> => {
      while (!this.cancelled && !failed) {
        const c = order[next++];
        if (!c) return;
        const r = await w.api.sweepCell(source, c.kernel, c.backing);
        if (this.cancelled) return;
        if (!r.ok) {
          failed = true;
          this.finish({ kind: 'error', errors: r.errors });
          return;
        }
        rows.set(key(c.kernel, c.backing), r.row);
        onRow({ done: rows.size, total: order.length, row: r.row });
      }
    };
    Promise.all(this.pool.map(work)).then(
      () => {
        if (this.cancelled || failed) return;
        // Shown in design × backing order, as the serial sweep lists them.
        const listed = [...order].sort(
          (a, b) => rank(a.kernel, a.backing) - rank(b.kernel, b.backing),
        );
        this.finish({
          kind: 'done',
          rows: listed.map((c) => rows.get(key(c.kernel, c.backing))!),
          workers: this.workers,
        });
      },
      (e: unknown) => {
        if (!this.cancelled) this.finish({ kind: 'error', errors: [String(e)] });
      },
    );
  }

  /** Stop now: every worker is terminated, and `result` says cancelled. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.finish({ kind: 'cancelled' });
  }

  private finish(o: SweepOutcome): void {
    for (const w of this.pool) w.dispose();
    this.pool.length = 0;
    this.settle(o);
  }
}

function rank(k: KernelDesign, b: Backing): number {
  return KERNEL_DESIGNS.indexOf(k) * BACKINGS.length + BACKINGS.indexOf(b);
}
