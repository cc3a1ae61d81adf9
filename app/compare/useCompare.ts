/**
 * The data a comparison draws, shared by the compare panel and the compare embed: a side's run
 * in its own engine worker (useSide), both sides at the step the one timeline is on (useAtStep),
 * and the host's direct-map levels right after boot (useBootLevels), which tell a region split by
 * a run from one the kernel mapped with 4K pages from the start.
 */
import { useEffect, useState } from 'react';
import type { MapSnapshot, RunInfo, StepView } from '../../src/worker/protocol';
import { loadSourceOf, type RunSource } from '../url';
import { type CompareEngine, createEngine } from './engines';

export interface Side {
  engine: CompareEngine;
  info: RunInfo | null;
  errors: string[];
}

export interface SideAt {
  view: StepView;
  snap: MapSnapshot;
}

export interface AtStep {
  step: number;
  a: SideAt | null;
  b: SideAt | null;
}

/** Run `source` in a worker of its own; null until it has loaded. Terminated on change/unmount. */
export function useSide(source: RunSource | null): Side | null {
  const [side, setSide] = useState<Side | null>(null);
  useEffect(() => {
    setSide(null);
    if (!source) return;
    let live = true;
    const engine = createEngine();
    void engine.api.load(loadSourceOf(source)).then(
      (r) => {
        if (live) setSide({ engine, info: r.info, errors: r.ok ? [] : r.errors });
      },
      (e: unknown) => {
        if (live) setSide({ engine, info: null, errors: [String(e)] });
      },
    );
    return () => {
      live = false;
      engine.dispose();
    };
  }, [source]);
  return side;
}

async function sideAt(s: Side, step: number): Promise<SideAt | null> {
  if (!s.info) return null;
  const k = Math.min(step, s.info.steps);
  const [view, snap] = await Promise.all([s.engine.api.stepView(k), s.engine.api.snapshot(k)]);
  return { view, snap };
}

/** Both sides at one step (the latest asked for wins; the previous answer stays until then). */
export function useAtStep(a: Side | null, b: Side | null, step: number): AtStep | null {
  const [at, setAt] = useState<AtStep | null>(null);
  useEffect(() => {
    if (!a || !b) {
      setAt(null);
      return;
    }
    let live = true;
    void Promise.all([sideAt(a, step), sideAt(b, step)]).then(([sa, sb]) => {
      if (live) setAt({ step, a: sa, b: sb });
    });
    return () => {
      live = false;
    };
  }, [a, b, step]);
  return at;
}

/** Direct-map level per region at step 0 (A and B share the host, so one side is enough). */
export function useBootLevels(side: Side | null): Uint8Array | null {
  const [levels, setLevels] = useState<Uint8Array | null>(null);
  useEffect(() => {
    setLevels(null);
    if (!side?.info) return;
    let live = true;
    void side.engine.api.snapshot(0).then((s) => {
      if (live) setLevels(s.regionLevel);
    });
    return () => {
      live = false;
    };
  }, [side]);
  return levels;
}
