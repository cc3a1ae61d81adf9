/**
 * The UI's handle on the tools worker (sweep, import, reconcile): a second worker, created on
 * first use, so the explorer's engine run is never replaced and the page never freezes on a big
 * paste. Text over the limit is refused here, before it is copied to the worker.
 */
import { type Remote, wrap } from 'comlink';
import type { ImportResult } from '../src/formats/import/index';
import { MAX_INPUT_CHARS, type ToolsApi } from '../src/worker/tools-host';

export type Tools = Remote<ToolsApi>;

let tools: Tools | null = null;

export function getTools(): Tools {
  if (tools) return tools;
  const worker = new Worker(new URL('../src/worker/tools-worker.ts', import.meta.url), {
    type: 'module',
  });
  tools = wrap<ToolsApi>(worker);
  return tools;
}

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
