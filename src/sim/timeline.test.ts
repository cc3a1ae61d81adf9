import { describe, expect, it } from 'vitest';
import type { EngineEvent, MachineSpec } from '../machine/events';
import { compilePacked, loadPreset, parseScenario, type Scenario } from '../scenario/index';
import { machineDigest } from './digest';
import { metricsOf } from './metrics';
import { SERIES_COLUMNS, Timeline } from './timeline';

/** A preset, optionally with its workload cut or grown to `steps` events. */
function run(preset: string, steps?: number): { spec: MachineSpec; events: EngineEvent[] } {
  const r = loadPreset(preset);
  if (!r.ok) throw new Error(preset);
  const s: Scenario =
    steps !== undefined && r.scenario.workload
      ? { ...r.scenario, workload: { ...r.scenario.workload, steps }, captions: [] }
      : r.scenario;
  const p = parseScenario(JSON.parse(JSON.stringify(s)));
  if (!p.ok) throw new Error(p.errors[0]?.message);
  const { spec, events } = compilePacked(p.scenario);
  return { spec, events: Array.from({ length: events.length }, (_, i) => events.at(i)) };
}

/** What a step is: its metrics and the digest of the whole machine. */
const fingerprint = (t: Timeline, step: number) => {
  const m = t.at(step);
  return { step: m.step, metrics: metricsOf(m), digest: machineDigest(m) };
};

/**
 * A deterministic clock: 1 ms per reading. A checkpoint reads it twice (its copy "takes" 1 ms),
 * a slice twice, so the measured rate and copy cost depend only on the slices and spacing.
 */
const ticking = () => {
  let t = 0;
  return { now: () => t++, ms: 1 };
};

describe('Timeline', () => {
  const small = run('virtio-churn-1h', 1500);

  it('built progressively, answers every step exactly as a timeline built in one go', () => {
    const once = new Timeline(small.spec, small.events, { checkpointInterval: 100 });
    const prog = new Timeline(small.spec, small.events, {
      checkpointInterval: 100,
      progressive: true,
    });
    expect(prog.computed).toBe(0);
    const sizes = [1, 7, 250, 333, 1000];
    let k = 0;
    while (!prog.done) {
      const before = prog.computed;
      prog.advance(sizes[k++ % sizes.length]!);
      // Every step computed so far, forwards from the last slice and a few backwards.
      for (let s = before; s <= prog.computed; s += 37)
        expect(fingerprint(prog, s)).toEqual(fingerprint(once, s));
      expect(fingerprint(prog, prog.computed)).toEqual(fingerprint(once, prog.computed));
    }
    expect(prog.computed).toBe(once.steps);
    expect(machineDigest(prog.final)).toBe(machineDigest(once.final));
    expect(prog.log.length).toBe(once.log.length);
  });

  it('seeks in any order to the same machine (restores, forward replays, the final step)', () => {
    const t = new Timeline(small.spec, small.events, { checkpointInterval: 64 });
    const ref = new Timeline(small.spec, small.events, { checkpointInterval: 64 });
    const order = [1500, 3, 1499, 700, 701, 640, 64, 63, 0, 1200, 1100, 1137, 1500, 5];
    for (const s of order) expect(fingerprint(t, s)).toEqual(fingerprint(ref, s));
  });

  it('clamps steps past what has been computed to the last computed step', () => {
    const t = new Timeline(small.spec, small.events, { progressive: true });
    t.advance(300);
    expect(t.at(900).step).toBe(300);
    expect(t.at(-5).step).toBe(0);
    expect(t.metricsAt(10_000).step).toBe(300);
  });

  it('grows its series as it runs, ending at the last computed step, and ends as the one-shot series', () => {
    const big = run('virtio-churn-1h', 9000);
    const once = new Timeline(big.spec, big.events);
    const prog = new Timeline(big.spec, big.events, { progressive: true });
    prog.advance(4321);
    const part = prog.series;
    expect(part.steps[part.steps.length - 1]).toBe(4321);
    expect(part.columns.DirectMap4k[part.steps.length - 1]).toBe(prog.final.dm.count4k * 4);
    const whole = once.series;
    // Samples before the frontier are the one-shot run's samples.
    const n = part.steps.length - 1;
    expect(Array.from(part.steps.subarray(0, n))).toEqual(Array.from(whole.steps.subarray(0, n)));
    prog.advance(1e9);
    const done = prog.series;
    expect(Array.from(done.steps)).toEqual(Array.from(whole.steps));
    for (const c of SERIES_COLUMNS)
      expect(Array.from(done.columns[c]), c).toEqual(Array.from(whole.columns[c]));
  });

  it('spaces checkpoints by measured replay and copy time, without changing any step', () => {
    const long = run('virtio-churn-1h', 6000);
    const timed = new Timeline(long.spec, long.events, {
      replayBudget: ticking(),
      progressive: true,
    });
    while (!timed.done) timed.advance(100);
    const fixed = new Timeline(long.spec, long.events, { checkpointInterval: 64 });
    const steps = timed.checkpointSteps();
    const gaps = steps.slice(1).map((s, i) => s - steps[i]!);
    // None until 2,000 events are measured (step 0 is a boot, not a copy). Then the copy-cost
    // rule (copies at most an eighth of the run: ~800 apart at 100 events/ms and 1 ms a copy)
    // is capped by what the memory budget holds spread over the run (6,000 / 64 ≈ 94 for this
    // small machine), and nothing is closer than MIN_INTERVAL (64).
    expect(steps[0]).toBe(0);
    expect(steps[1]).toBeGreaterThanOrEqual(2000);
    expect(gaps.length).toBeGreaterThan(3);
    for (const g of gaps.slice(1)) expect(g).toBeGreaterThanOrEqual(64);
    for (const g of gaps.slice(1)) expect(g).toBeLessThanOrEqual(101);
    for (const s of [0, 17, 499, 800, 1203, 2500, 4999, 6000])
      expect(fingerprint(timed, s)).toEqual(fingerprint(fixed, s));
  });

  it('a pinned step answers as the one-shot timeline does while the run goes on', () => {
    const once = new Timeline(small.spec, small.events, { checkpointInterval: 100 });
    const prog = new Timeline(small.spec, small.events, {
      checkpointInterval: 100,
      progressive: true,
    });
    prog.advance(333);
    prog.pin();
    prog.advance(700);
    expect(prog.cursorStep()).toBe(333);
    expect(fingerprint(prog, 333)).toEqual(fingerprint(once, 333));
    // The head ran on untouched by the pin.
    expect(fingerprint(prog, 1033)).toEqual(fingerprint(once, 1033));
  });
});

describe('Timeline.respace (checkpoints moved once the run is done)', () => {
  const long = run('virtio-churn-1h', 6000);
  /** Built with a clock and a memory budget of about six machines: thinning leaves uneven gaps. */
  const thinned = () => {
    const bytes = new Timeline(long.spec, [], {}).final.estimateBytes();
    const t = new Timeline(long.spec, long.events, {
      replayBudget: ticking(),
      progressive: true,
      checkpointBudgetBytes: bytes * 6.5,
    });
    while (!t.done) t.advance(97);
    return t;
  };
  const gapsOf = (t: Timeline) => {
    const s = [...t.checkpointSteps(), t.steps];
    return s.slice(1).map((x, i) => x - s[i]!);
  };

  it('evens out the gaps a memory-thinned run leaves, keeping the checkpoint count', () => {
    const t = thinned();
    const before = gapsOf(t);
    expect(t.settled).toBe(false);
    let slices = 0;
    while (!t.respace(5)) slices++;
    expect(t.settled).toBe(true);
    const after = gapsOf(t);
    expect(after.length).toBe(before.length);
    // The ticking clock makes every 1,024-event block cost the same: even gaps in steps, within
    // a block's rounding of the run's share.
    const share = t.steps / after.length;
    expect(Math.max(...before)).toBeGreaterThan(share * 1.3);
    for (const g of after) expect(Math.abs(g - share)).toBeLessThan(share * 0.25);
    expect(slices).toBeGreaterThan(1);
  });

  it('answers every step as a fixed-interval timeline does, between slices and after', () => {
    const t = thinned();
    const fixed = new Timeline(long.spec, long.events, { checkpointInterval: 64 });
    const probes = [5999, 3, 2500, 1024, 4097, 6000, 0, 3333];
    let k = 0;
    while (!t.respace(3)) {
      const s = probes[k++ % probes.length]!;
      expect(fingerprint(t, s)).toEqual(fingerprint(fixed, s));
    }
    for (const s of probes) expect(fingerprint(t, s)).toEqual(fingerprint(fixed, s));
  });

  it('has nothing to do without a clock, and nothing more once it is done', () => {
    const plain = new Timeline(long.spec, long.events);
    expect(plain.settled).toBe(true);
    expect(plain.respace(5)).toBe(true);
    // With room for every checkpoint the run's own spacing is even, but for the first 2,000
    // events, measured before any checkpoint is taken: respace fills that gap too.
    const roomy = new Timeline(long.spec, long.events, {
      replayBudget: ticking(),
      progressive: true,
    });
    while (!roomy.done) roomy.advance(100);
    expect(roomy.checkpointSteps()[1]).toBeGreaterThanOrEqual(2000);
    while (!roomy.respace(1000));
    const steps = roomy.checkpointSteps();
    expect(steps[1]).toBeLessThan(400);
    expect(roomy.respace(1000)).toBe(true);
    expect(roomy.checkpointSteps()).toEqual(steps);
  });
});

describe('Timeline.respace with room to spare', () => {
  it('adds checkpoints up to what the memory budget holds when the replay budget asks for more', () => {
    const long = run('virtio-churn-1h', 6000);
    const bytes = new Timeline(long.spec, [], {}).final.estimateBytes();
    // Copies "cost" 1 ms of the ticking clock, so the run itself spaces them ~800 events apart.
    const t = new Timeline(long.spec, long.events, {
      replayBudget: ticking(),
      progressive: true,
      checkpointBudgetBytes: bytes * 30.5,
    });
    while (!t.done) t.advance(500);
    const before = t.checkpointSteps().length;
    while (!t.respace(50));
    const after = t.checkpointSteps();
    // Step 0 (a boot, no copy) and as many copies as fit beside the running machine: copies
    // are packed (no released slots), the head's extra is paid once.
    const head = t.final.estimateBytes();
    const per = Math.min(head, t.final.clone().estimateBytes());
    const capacity = Math.floor((bytes * 30.5 - (head - per)) / per);
    expect(before).toBeLessThan(capacity - 3);
    expect(after.length).toBe(capacity);
    const fixed = new Timeline(long.spec, long.events, { checkpointInterval: 64 });
    for (const s of [1, 777, 3001, 5999]) expect(fingerprint(t, s)).toEqual(fingerprint(fixed, s));
  });
});
