/** Worker side of `sim sweep --jobs N`: the scenario arrives once via workerData, cells by message. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Backing, KernelDesign } from '../machine/events';
import type { Scenario } from '../scenario';
import { sweepCell } from '../sim/sweep';

const scenario = (workerData as { s: Scenario }).s;
parentPort?.on('message', (m: { i: number; kernel: KernelDesign; backing: Backing }) => {
  parentPort?.postMessage({ i: m.i, cell: sweepCell(scenario, m.kernel, m.backing) });
});
