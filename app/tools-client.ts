/**
 * The UI's handle on the tools worker (sweep, import, reconcile): a second worker, created on
 * first use, so the explorer's engine run is never replaced and the page never freezes on a big
 * paste. Text over the limit is refused here, before it is copied to the worker. A tools worker
 * that dies rejects its pending calls and reports the failure (WorkerClient); the run session
 * shows it with a way to start a new one.
 */
import type { Remote } from 'comlink';
import type { ImportResult } from '../src/formats/index';
import { MAX_INPUT_CHARS, type ToolsApi } from '../src/worker/protocol';
import { testHooks } from './test-hooks';
import { WorkerClient } from './worker-client';

export type Tools = Remote<ToolsApi>;

export const toolsClient = new WorkerClient<ToolsApi>(
  () => new Worker(new URL('../src/worker/tools-worker.ts', import.meta.url), { type: 'module' }),
);

export function getTools(): Tools {
  return toolsClient.api;
}

if (typeof window !== 'undefined') testHooks().killTools = (message) => toolsClient.kill(message);

export { MAX_INPUT_CHARS };

/** The size check the worker would make, done before copying megabytes across. */
export function tooBig(chars: number): ImportResult | null {
  if (chars <= MAX_INPUT_CHARS) return null;
  const mib = (chars / (1024 * 1024)).toFixed(1);
  return {
    ok: false,
    detection: { format: 'unknown', reason: 'not read', also: [] },
    errors: [
      {
        line: 0,
        message: `input is ${mib} MiB, over the 64 MiB limit`,
        expected: 'one dump or log excerpt of at most 64 MiB',
      },
    ],
    warnings: [],
  };
}
