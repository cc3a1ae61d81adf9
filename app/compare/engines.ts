/**
 * Compare runs A and B each in its own engine worker (the same entry and the same EngineClient
 * class as the explorer's), so the explorer's run is never replaced and the two answer in
 * parallel. Terminated when compare closes; a side whose worker dies rejects its calls.
 */
import { type Engine, EngineClient } from '../engine-client';

export interface CompareEngine {
  api: Engine;
  dispose(): void;
}

export function createEngine(): CompareEngine {
  return new EngineClient();
}
