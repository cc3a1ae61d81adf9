/**
 * Step-dependent panel data from the worker, latest-only: while one request is in flight, newer
 * steps overwrite a single pending slot, so playing fast never queues work in the worker, and an
 * answer is never shown after a newer one (there is only ever one in flight).
 */
import { useEffect, useRef, useState } from 'react';
import type { StepView } from '../../src/worker/protocol';
import { getEngine } from '../engine-client';

export interface StepViews {
  /** The view at the step. */
  view: StepView | null;
  /** The view at step − 1 (null at step 0), for deltas. */
  prev: StepView | null;
  /** The run (session generation) these views belong to; 0 before the first answer. */
  generation: number;
}

/** Both views in one call: the worker reaches step − 1 on its way to step (no seek back). */
function fetchPair(step: number): Promise<{ view: StepView; prev: StepView | null }> {
  return getEngine().stepViews(step);
}

export function useStepView(step: number, generation: number): StepViews {
  const [views, setViews] = useState<StepViews>({ view: null, prev: null, generation: 0 });
  const inFlight = useRef(false);
  const pending = useRef<{ step: number; generation: number } | null>(null);
  const alive = useRef(true);
  const latest = useRef({ step, generation });
  latest.current = { step, generation };

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  useEffect(() => {
    if (generation === 0) return;
    pending.current = { step, generation };
    if (inFlight.current) return;
    const pump = async () => {
      inFlight.current = true;
      while (pending.current && alive.current) {
        const want = pending.current;
        pending.current = null;
        try {
          const got = await fetchPair(want.step);
          // Answers arrive in order (one request at a time), so each is newer than the one shown:
          // while playing, show it even if the slider has moved on; drop only a replaced run's.
          if (alive.current && want.generation === latest.current.generation)
            setViews({ ...got, generation: want.generation });
        } catch {
          // A load replaced the run mid-request; the next pending step asks again.
        }
      }
      inFlight.current = false;
    };
    void pump();
  }, [step, generation]);

  return views;
}
