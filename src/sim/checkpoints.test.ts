import { describe, expect, it } from 'vitest';
import { CheckpointStore, type Copyable, checkpointIntervalFor } from './checkpoints';

/** A machine that is only a step and counts; it remembers how it got its state. */
class Fake implements Copyable<Fake> {
  static clones = 0;
  log: { counts: Float64Array };
  restored = 0;
  constructor(public step: number) {
    this.log = { counts: Float64Array.of(step) };
  }
  clone(): Fake {
    Fake.clones++;
    return new Fake(this.step);
  }
  restoreFrom(src: Fake): void {
    this.step = src.step;
    this.log = { counts: src.log.counts.slice() };
    this.restored++;
  }
}

function storeAt(steps: number[], budget = 1e9): CheckpointStore<Fake> {
  const s = new CheckpointStore<Fake>(budget, Float64Array.of(0));
  for (const step of steps) s.take(new Fake(step));
  return s;
}

describe('CheckpointStore.before: the checkpoint a seek restores', () => {
  const s = storeAt([100, 200, 300]);
  it.each([
    [0, 0],
    [99, 0],
    [100, 100],
    [250, 200],
    [1e9, 300],
  ])('step %d → checkpoint at %d', (step, want) => {
    expect(s.before(step).step).toBe(want);
  });

  it('step 0 holds no machine (boot restores it) and the counts after boot', () => {
    expect(s.before(0).machine).toBeNull();
    expect([...s.before(0).counts]).toEqual([0]);
    expect([...s.before(150).counts]).toEqual([100]);
  });
});

describe('CheckpointStore.thin: past the memory budget, the checkpoint with the closest neighbours goes', () => {
  it('keeps as many as the budget holds, step 0 and the latest always', () => {
    const s = storeAt([100, 150, 300, 400], 3000);
    expect(s.thin(1000)).toEqual({ capacity: 3, dropped: true });
    // Gaps around 100 (0..150), 150 (100..300), 300 (150..400): 100 goes, then 300 (150..400)
    // against 150 (0..300).
    expect(s.steps()).toEqual([0, 150, 400]);
  });

  it('leaves room for the machines the budget also pays for (head and cursor)', () => {
    const s = new CheckpointStore<Fake>(5000, Float64Array.of(0), 2);
    for (const step of [100, 200, 300, 400]) s.take(new Fake(step));
    // 5 machines fit; 2 are the reserve: step 0 (no copy), and two copies.
    expect(s.thin(1000)).toEqual({ capacity: 3, dropped: true });
    expect(s.steps()).toEqual([0, 200, 400]);
    // Never fewer than step 0 and the latest, however big a machine gets.
    expect(s.thin(4000)).toEqual({ capacity: 2, dropped: true });
    expect(s.steps()).toEqual([0, 400]);
  });

  it("pays the head's extra bytes (released slots a packed copy leaves out) once, beside the reserve", () => {
    const s = new CheckpointStore<Fake>(6000, Float64Array.of(0), 2);
    for (const step of [100, 200, 300, 400, 500]) s.take(new Fake(step));
    // Packed copies of 1000 bytes, a head of 2000: 6000 - 1000 leaves 5 machines, 2 the reserve.
    expect(s.thin(1000, 1000)).toEqual({ capacity: 3, dropped: true });
    expect(s.steps()).toEqual([0, 200, 500]);
    // Without the head's extra, one more would fit.
    const t = new CheckpointStore<Fake>(6000, Float64Array.of(0), 2);
    for (const step of [100, 200, 300, 400, 500]) t.take(new Fake(step));
    expect(t.thin(1000).capacity).toBe(4);
  });

  it('drops nothing within the budget', () => {
    const s = storeAt([100, 200]);
    expect(s.thin(1)).toEqual({ capacity: 1e9, dropped: false });
    expect(s.steps()).toEqual([0, 100, 200]);
  });

  it('never holds fewer than two (step 0 and one more)', () => {
    const s = storeAt([100, 200, 300], 10);
    expect(s.thin(1000).capacity).toBe(2);
    expect(s.steps()).toEqual([0, 300]);
  });

  it('keeps no dropped copy that would take the store over its budget', () => {
    // Thinning leaves as many checkpoints as the budget holds, so a spare would not fit: the
    // next checkpoint is a fresh clone.
    const s = storeAt([100, 150, 300], 3000);
    s.thin(1000);
    const before = Fake.clones;
    s.take(new Fake(500));
    expect(Fake.clones).toBe(before + 1);
  });
});

describe('CheckpointStore.place: a respacing plan moves checkpoints in place', () => {
  it('a planned checkpoint supersedes an unplanned one before it, in its memory', () => {
    const s = storeAt([100, 200, 300]);
    const old = s.before(100).machine;
    s.place(new Fake(150), 400);
    expect(s.steps()).toEqual([0, 150, 200, 300]);
    expect(s.before(150).machine).toBe(old);
    expect(s.before(150).planned).toBe(true);
  });

  it('a target already held is marked, not copied', () => {
    const s = storeAt([100, 200]);
    const clones = Fake.clones;
    s.place(new Fake(200), 400);
    expect(Fake.clones).toBe(clones);
    s.dropUnplanned();
    expect(s.steps()).toEqual([0, 200]);
  });

  it('dropUnplanned keeps step 0 and what the plan placed', () => {
    const s = storeAt([100, 200, 300]);
    s.place(new Fake(50), 400);
    s.place(new Fake(250), 400);
    s.dropUnplanned();
    expect(s.steps()).toEqual([0, 50, 250]);
  });
});

describe('checkpointIntervalFor: whole-machine checkpoints near 2 GiB in all on a 16 TiB host', () => {
  it.each([
    // 1 GiB host (512 regions): 64 checkpoints, at least 64 events apart.
    [1000, 512, 64],
    [1_000_000, 512, 15_625],
    // 16 TiB (8M regions, 320 MiB a machine): 2 GiB holds 6, but never fewer than 8.
    [1_000_000, 8 * 2 ** 20, 125_000],
  ])('%d steps on %d regions → every %d events', (steps, regions, want) => {
    expect(checkpointIntervalFor(steps, regions)).toBe(want);
  });
});
