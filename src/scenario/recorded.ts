/**
 * The recorded call behind a split (the inspector's "split by"): a split the "recorded" cause
 * made at step s came from the scenario's recorded-call event of that step, which names the
 * function as recorded (set_direct_map_valid_noflush stays itself, whatever CPA call replays it)
 * and the caller. Explicit events follow the generated ones, so event i is step
 * steps − events.length + i + 1.
 */
import type { Scenario } from './types';

export interface RecordedOrigin {
  call: string;
  caller: string;
}

export function recordedOrigin(
  s: Scenario,
  totalSteps: number,
  step: number | null,
): RecordedOrigin | null {
  if (step === null) return null;
  const e = s.events[step - 1 - (totalSteps - s.events.length)];
  if (e?.op !== 'recorded-call' || e.call === undefined || e.caller === undefined) return null;
  return { call: e.call, caller: e.caller };
}
