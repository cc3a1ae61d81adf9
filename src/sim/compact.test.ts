/**
 * Checkpoints hold packed copies (RegionWords / LinearMap clone(): only the run and dense slots
 * in use, in region order, no released arena). The layout differs from the running machine's;
 * what it holds and everything after it must not.
 */
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../machine/apply';
import { Machine } from '../machine/machine';
import { OutcomeLog } from '../machine/outcomes';
import { compilePacked, loadPreset, type Scenario } from '../scenario/index';
import { machineDigest } from './digest';
import { Timeline } from './timeline';

function churn(steps: number) {
  const r = loadPreset('virtio-churn-1h');
  if (!r.ok) throw new Error('virtio-churn-1h');
  const w = r.scenario.workload!;
  const s: Scenario = { ...r.scenario, workload: { ...w, steps }, captions: [] };
  const { spec, events } = compilePacked(s);
  return { spec, events: Array.from({ length: events.length }, (_, i) => events.at(i)) };
}

const regionBytes = (m: Machine) =>
  m.frames.bytes + m.guests.reduce((s, g) => s + g.state.bytes + g.gmemMap.bytes, 0);

describe('packed checkpoints (clone compacts the run and dense slots)', () => {
  const { spec, events } = churn(12_000);
  const n = events.length;
  const k = Math.floor(n / 2);

  it('a clone after churn holds less than the machine it copies, and the same state', () => {
    const a = new Machine(spec);
    for (let i = 0; i < k; i++) applyEvent(a, events[i]!);
    const c = a.clone();
    // Churn released slots (regions that went dense or uniform): the copy leaves them out.
    expect(regionBytes(c)).toBeLessThan(regionBytes(a));
    expect(machineDigest(c)).toBe(machineDigest(a));
    expect(c.checkInvariants()).toBeNull();
    expect(c.frames.sparseRegions).toBe(a.frames.sparseRegions);
    expect(c.frames.denseRegions).toBe(a.frames.denseRegions);
  });

  it('a packed copy runs on exactly as the machine it copies (digest at every 500th step)', () => {
    const a = new Machine(spec);
    for (let i = 0; i < k; i++) applyEvent(a, events[i]!);
    const c = a.clone();
    c.log = OutcomeLog.countsOnly(a.log.counts);
    const d = c.clone();
    for (let i = k; i < n; i++) {
      applyEvent(a, events[i]!);
      applyEvent(c, events[i]!);
      applyEvent(d, events[i]!);
      if (i % 500 === 0 || i === n - 1) {
        const want = machineDigest(a);
        expect(machineDigest(c)).toBe(want);
        expect(machineDigest(d)).toBe(want);
      }
    }
    expect(c.checkInvariants()).toBeNull();
  });

  it('restored from a packed copy into a machine that ran further, it is that step and runs on', () => {
    const a = new Machine(spec);
    for (let i = 0; i < k; i++) applyEvent(a, events[i]!);
    const checkpoint = a.clone();
    const b = new Machine(spec);
    for (let i = 0; i < n; i++) applyEvent(b, events[i]!);
    b.restoreFrom(checkpoint);
    b.log = OutcomeLog.countsOnly(checkpoint.log.counts);
    expect(machineDigest(b)).toBe(machineDigest(a));
    for (let i = k; i < n; i++) {
      applyEvent(a, events[i]!);
      applyEvent(b, events[i]!);
    }
    expect(machineDigest(b)).toBe(machineDigest(a));
    expect(b.checkInvariants()).toBeNull();
  });

  it('restoreFrom the running machine (a spare made a checkpoint) packs too, and runs on', () => {
    const a = new Machine(spec);
    for (let i = 0; i < k; i++) applyEvent(a, events[i]!);
    // A spare: a machine that ran further, its arenas fuller than a's.
    const b = new Machine(spec);
    for (let i = 0; i < n; i++) applyEvent(b, events[i]!);
    b.restoreFrom(a);
    b.log = OutcomeLog.countsOnly(a.log.counts);
    expect(regionBytes(b)).toBeLessThan(regionBytes(a));
    expect(machineDigest(b)).toBe(machineDigest(a));
    expect(b.checkInvariants()).toBeNull();
    // Restored again from the packed copy (a seek), and both run on as a does.
    const c = new Machine(spec);
    c.restoreFrom(b);
    c.log = OutcomeLog.countsOnly(a.log.counts);
    for (let i = k; i < n; i++) {
      applyEvent(a, events[i]!);
      applyEvent(b, events[i]!);
      applyEvent(c, events[i]!);
    }
    expect(machineDigest(b)).toBe(machineDigest(a));
    expect(machineDigest(c)).toBe(machineDigest(a));
    expect(c.checkInvariants()).toBeNull();
  });

  it('a memory-thinned, respaced timeline answers random steps as a straight run does', () => {
    const bytes = new Timeline(spec, [], {}).final.estimateBytes();
    let clock = 0;
    const t = new Timeline(spec, events, {
      replayBudget: { now: () => clock++, ms: 1 },
      progressive: true,
      checkpointBudgetBytes: bytes * 5.5,
    });
    while (!t.done) t.advance(89);
    // Thinned while it ran, then moved: the checkpoints are packed copies restored into the cursor.
    while (!t.respace(5));
    expect(t.checkpointSteps().length).toBeGreaterThan(2);
    let seed = 7;
    const steps = Array.from({ length: 12 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    });
    const got = new Map(steps.map((s) => [s, machineDigest(t.at(s))]));
    const m = new Machine(spec);
    const want = new Map<number, string>();
    if (got.has(0)) want.set(0, machineDigest(m));
    for (let i = 0; i < n; i++) {
      applyEvent(m, events[i]!);
      if (got.has(i + 1)) want.set(i + 1, machineDigest(m));
    }
    for (const s of steps) expect(got.get(s), `step ${s}`).toBe(want.get(s));
  });
});
