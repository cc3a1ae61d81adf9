/**
 * Step-dependent panel data from the worker, latest-only: while one request is in flight, newer
 * steps overwrite a single pending slot, so playing fast never queues work in the worker and a
 * slow answer for an old step is never shown after a newer one.
 */
import { useEffect, useRef, useState } from 'react';
import type { StepView } from '../../src/worker/protocol';
import { getEngine } from '../engine-client';

export interface StepViews {
  /** The view at the step. */
  view: StepView | null;
  /** The view at step − 1 (null at step 0), for deltas. */
  prev: StepView | null;
}

async function fetchPair(step: number): Promise<StepViews> {
  const engine = getEngine();
  const [view, prev] = await Promise.all([
    engine.stepView(step),
    step > 0 ? engine.stepView(step - 1) : Promise.resolve(null),
  ]);
  return { view, prev };
}

export function useStepView(step: number, generation: number): StepViews {
  const [views, setViews] = useState<StepViews>({ view: null, prev: null });
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
          const now = latest.current;
          // Drop an answer that a newer step or a newer run has overtaken.
          if (alive.current && want.step === now.step && want.generation === now.generation)
            setViews(got);
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
