import { describe, expect, it } from 'vitest';
import { applyEvent } from '../machine/apply';
import { Machine } from '../machine/machine';
import { OutcomeLog } from '../machine/outcomes';
import { compilePacked, loadPreset, PRESET_NAMES } from '../scenario/index';
import { machineDigest } from './digest';

// Presets small enough to run three times in a unit test.
const SMALL = PRESET_NAMES.filter((n) => !/1t|16t/.test(n));

describe('Machine.restoreFrom (checkpoint restore into a reused machine)', () => {
  for (const name of SMALL) {
    it(`${name}: a machine restored from step k is step k, and runs on exactly like it`, () => {
      const r = loadPreset(name);
      if (!r.ok) throw new Error(name);
      const { spec, events } = compilePacked(r.scenario);
      const n = Math.min(events.length, 3000);
      const k = Math.floor(n / 3);
      const a = new Machine(spec);
      for (let i = 0; i < k; i++) applyEvent(a, events.at(i));
      const checkpoint = a.clone();
      // b has run further (its buffers hold a later state, some of them larger) before restoring.
      const b = new Machine(spec);
      for (let i = 0; i < n; i++) applyEvent(b, events.at(i));
      b.restoreFrom(checkpoint);
      // The log is the caller's (a timeline gives a restored machine a counts-only log).
      b.log = OutcomeLog.countsOnly(checkpoint.log.counts);
      a.log = OutcomeLog.countsOnly(checkpoint.log.counts);
      expect(b.step).toBe(k);
      expect(machineDigest(b)).toBe(machineDigest(checkpoint));
      expect(b.checkInvariants()).toBeNull();
      for (let i = k; i < n; i++) {
        applyEvent(a, events.at(i));
        applyEvent(b, events.at(i));
      }
      expect(machineDigest(b)).toBe(machineDigest(a));
      // The checkpoint itself was not disturbed by either run.
      expect(checkpoint.step).toBe(k);
      // And into a machine that is behind (smaller buffers than the checkpoint's).
      const c = new Machine(spec);
      for (let i = 0; i < Math.floor(k / 2); i++) applyEvent(c, events.at(i));
      c.restoreFrom(checkpoint);
      c.log = OutcomeLog.countsOnly(checkpoint.log.counts);
      expect(machineDigest(c)).toBe(machineDigest(checkpoint));
      for (let i = k; i < n; i++) applyEvent(c, events.at(i));
      expect(machineDigest(c)).toBe(machineDigest(a));
    });
  }
});
