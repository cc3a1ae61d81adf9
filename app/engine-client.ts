/** The UI's one handle on the engine worker. */
import { wrap } from 'comlink';
import type { EngineApi } from '../src/worker/protocol';

let engine: ReturnType<typeof wrap<EngineApi>> | null = null;

export function getEngine() {
  engine ??= wrap<EngineApi>(
    new Worker(new URL('../src/worker/worker.ts', import.meta.url), { type: 'module' }),
  );
  return engine;
}
