/**
 * Compare runs A and B each in its own engine worker (the same entry as the explorer's), so the
 * explorer's run is never replaced and the two answer in parallel. Terminated when compare closes.
 */
import { type Remote, wrap } from 'comlink';
import type { EngineApi } from '../../src/worker/protocol';

export interface CompareEngine {
  api: Remote<EngineApi>;
  dispose(): void;
}

export function createEngine(): CompareEngine {
  const worker = new Worker(new URL('../../src/worker/worker.ts', import.meta.url), {
    type: 'module',
  });
  return { api: wrap<EngineApi>(worker), dispose: () => worker.terminate() };
}
