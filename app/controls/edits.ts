/**
 * Edits from the controls, made on the newest scenario asked for — never on the one the panels
 * happen to show. Issue 16: five edits in quick succession while a long run computed kept only
 * the last, because each was applied to the run on screen (the earlier edits were still loading)
 * and the newest load replaced the others. Now an edit made while a load is in flight is applied
 * to that load's scenario (coalesced: one load carries every edit so far), and an edit that cannot
 * be applied yet (the load in flight is a preset or a file, whose scenario only its answer gives)
 * is queued and applied, in order, to the scenario that load became. No edit is dropped. Kernel
 * and backing on a preset stay overrides of the newest preset asked for.
 */
import type { Scenario } from '../../src/scenario/index';
import type { RunSource } from '../../src/worker/protocol';
import { getRun, loadSource, subscribeRun } from '../run/session';
import { asScenario } from './scenario-edit';

type Edit = (s: Scenario) => Scenario;

/** Edits waiting for the load in flight to land (its scenario is known only then). */
let queued: Edit[] = [];
let waiting: (() => void) | null = null;

/** The source the next load should build on: the one in flight, else the run's. */
export function latestSource(): RunSource | null {
  const { pending, source } = getRun();
  return pending ?? source;
}

/** A scenario edit: applied to the newest scenario asked for, queued if none is known yet. */
export function editLatest(edit: Edit): void {
  const { pending, info } = getRun();
  const inFlight = pending?.kind === 'scenario' ? asScenario(pending.scenario) : null;
  if (pending !== null && inFlight === null) {
    queued.push(edit);
    waitForLanding();
    return;
  }
  const base = inFlight ?? (info ? asScenario(info.scenario) : null);
  if (base === null) return;
  void loadSource({ kind: 'scenario', scenario: edit(base) });
}

type PresetSource = Extract<RunSource, { kind: 'preset' }>;

/**
 * A preset's kernel, backing or linux override, on the preset in flight when there is one;
 * `drop` names overrides to remove (a linux override back at the design's era).
 */
export function overrideLatest(
  patch: Partial<PresetSource>,
  drop: readonly ('kernel' | 'backing' | 'linux')[] = [],
): boolean {
  const latest = latestSource();
  if (latest?.kind !== 'preset') return false;
  const next: PresetSource = { ...latest, ...patch };
  for (const key of drop) delete next[key];
  void loadSource(next);
  return true;
}

function waitForLanding(): void {
  if (waiting !== null) return;
  waiting = subscribeRun(() => {
    const { pending, loading, info } = getRun();
    if (pending !== null || loading) return;
    waiting?.();
    waiting = null;
    const edits = queued;
    queued = [];
    const base = info ? asScenario(info.scenario) : null;
    if (base === null || edits.length === 0) return;
    void loadSource({ kind: 'scenario', scenario: edits.reduce((s, e) => e(s), base) });
  });
}
