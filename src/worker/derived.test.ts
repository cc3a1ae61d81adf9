import { describe, expect, it } from 'vitest';
import type { Outcome, OutcomeKind } from '../machine/outcomes';
import { Derived, MAX_MARKS } from './derived';
import { MARK_KINDS } from './protocol';

/** A log of outcomes, steps ascending, that grows as a run computes. */
function fakeLog(outcomes: Outcome[]) {
  return {
    get length() {
      return outcomes.length;
    },
    kindAt: (i: number) => outcomes[i]!.kind,
    stepAt: (i: number) => outcomes[i]!.step,
    get: (i: number) => outcomes[i]!,
  };
}

function o(step: number, kind: OutcomeKind, pfn = 0, detail = 0): Outcome {
  return { step, kind, rule: 'r', guest: -1, pfn, gpa: -1, detail };
}

describe('Derived: the first split step of each region (the snapshot’s split flags)', () => {
  it('a 2M→4K split marks its region, a 1G→2M split all 512 of its gigabyte, the earliest wins', () => {
    const d = new Derived(1024, 10);
    d.extend({
      log: fakeLog([
        o(3, 'dm-split', 512 * 5),
        o(4, 'dm-split', 512 * 512, 1),
        o(6, 'dm-split', 512 * 5),
      ]),
    });
    expect(d.splitAt[5]).toBe(3);
    expect(d.splitAt[512]).toBe(4);
    expect(d.splitAt[1023]).toBe(4);
    expect(d.splitAt[0]).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('Derived: scrubber marks', () => {
  it('marks only the mark kinds, in log order', () => {
    const d = new Derived(1, 10);
    d.extend({ log: fakeLog([o(1, 'launch'), o(2, 'rmp-fault'), o(3, 'psmash'), o(9, 'exit')]) });
    const m = d.marks();
    expect([...m.steps]).toEqual([2, 3]);
    expect([...m.kinds].map((k) => MARK_KINDS[k])).toEqual(['rmp-fault', 'psmash']);
  });

  it(`past ${MAX_MARKS} marks, a run extended slice by slice keeps what one pass keeps`, () => {
    const steps = 100_000;
    const all: Outcome[] = [];
    for (let s = 1; s <= steps; s++) all.push(o(s, s % 3 === 0 ? 'rmp-fault' : 'dm-split'));
    const once = new Derived(1, steps);
    once.extend({ log: fakeLog(all) });
    const grown: Outcome[] = [];
    const sliced = new Derived(1, steps);
    for (let i = 0; i < all.length; i += 7919) {
      grown.push(...all.slice(i, i + 7919));
      sliced.extend({ log: fakeLog(grown) });
    }
    expect(sliced.marks()).toEqual(once.marks());
    // One per kind per 1/4096 of the run (and one more bin for the last step), at most.
    expect(once.marks().steps.length).toBeLessThanOrEqual(2 * 4097);
  });
});
