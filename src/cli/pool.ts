/**
 * Runs sweep cells on node:worker_threads. sweepCell is a pure function of (scenario, kernel,
 * backing), so dispatch order cannot change a cell; results are placed back by index.
 */
import { availableParallelism, freemem } from 'node:os';
import { Worker } from 'node:worker_threads';
import { BACKINGS, type Backing, KERNEL_DESIGNS, type KernelDesign } from '../machine/events';
import type { Scenario } from '../scenario';
import type { SweepCell } from '../sim/sweep';

const WORKER_BYTES = 256 * 2 ** 20;

/**
 * Under tsx the parent's --import loader hooks do not reach a worker (ERR_UNKNOWN_FILE_EXTENSION
 * for sweep-worker.ts even with execArgv passed), so the worker registers tsx itself first.
 */
const BOOT = `const { workerData } = require('node:worker_threads');
import('tsx/esm/api').then((t) => { t.register(); return import(workerData.url); });`;

export function defaultJobs(cells: number): number {
  return Math.max(1, Math.min(availableParallelism(), cells, Math.floor(freemem() / WORKER_BYTES)));
}

export interface PoolOptions {
  jobs: number;
  /** Dispatch order as indices into the design × backing list (default: as listed). */
  order?: readonly number[] | undefined;
  onCell?: ((done: number, total: number, cell: SweepCell) => void) | undefined;
}

export async function sweepPool(s: Scenario, opts: PoolOptions): Promise<SweepCell[]> {
  const jobs: { kernel: KernelDesign; backing: Backing }[] = [];
  for (const kernel of KERNEL_DESIGNS)
    for (const backing of BACKINGS) jobs.push({ kernel, backing });
  const order = opts.order ?? jobs.map((_, i) => i);
  const out: SweepCell[] = new Array(jobs.length);
  const n = Math.max(1, Math.min(opts.jobs, jobs.length));
  const url = new URL('./sweep-worker.ts', import.meta.url).href;
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  const stop = () => {
    for (const w of workers) void w.terminate();
  };
  process.once('SIGINT', stop);
  try {
    await new Promise<void>((resolve, reject) => {
      for (let k = 0; k < n; k++) {
        const w = new Worker(BOOT, { eval: true, workerData: { url, s } });
        workers.push(w);
        const feed = () => {
          const i = order[next++];
          if (i === undefined) return;
          w.postMessage({ i, ...jobs[i]! });
        };
        w.on('message', (m: { i: number; cell: SweepCell }) => {
          out[m.i] = m.cell;
          // Counted outside the optional call: `f?.(++done)` skips the increment when f is absent.
          done++;
          opts.onCell?.(done, jobs.length, m.cell);
          if (done === jobs.length) resolve();
          else feed();
        });
        w.on('error', reject);
        // A worker that dies without an error event (killed, or its module failed to load
        // quietly) would leave the sweep waiting for ever.
        w.on('exit', (code) => {
          if (done < jobs.length)
            reject(new Error(`sweep worker exited (code ${code}) before the sweep finished`));
        });
        feed();
      }
    });
  } finally {
    process.off('SIGINT', stop);
    stop();
  }
  return out;
}
