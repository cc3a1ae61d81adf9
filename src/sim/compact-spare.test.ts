/**
 * A checkpoint store recycles dropped checkpoints as spares (CheckpointStore.take: a spare
 * restoreFrom the head). Through a long churn a recycled copy must cost what the head's live
 * state needs packed, not the high-water arena of whatever the spare or the head held before.
 */
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../machine/apply';
import { Machine } from '../machine/machine';
import { OutcomeLog } from '../machine/outcomes';
import { compilePacked, loadPreset, type Scenario } from '../scenario/index';
import { machineDigest } from './digest';

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
/**
 * What a reused copy may hold past a fresh packed one: spare room in reused last chunks (measured
 * 0-92 KiB on this run; an unpacked spare holds the head's released slots, 0.4-0.9 MiB here).
 */
const SLACK = 256 * 1024;

describe('recycled checkpoint copies stay packed', () => {
  const { spec, events } = churn(150_000);
  const n = events.length;

  it('through a long churn, a recycled spare stays the size of a fresh packed copy', () => {
    const a = new Machine(spec);
    let spare: Machine | null = null;
    let packedBelowHead = 0;
    for (let i = 0; i < n; i++) {
      applyEvent(a, events[i]!);
      if ((i + 1) % 30_000 !== 0) continue;
      const fresh = a.clone();
      if (spare) spare.restoreFrom(a);
      else spare = a.clone();
      spare.log = OutcomeLog.countsOnly(a.log.counts);
      expect(regionBytes(fresh)).toBeLessThanOrEqual(regionBytes(a));
      if (regionBytes(fresh) < regionBytes(a)) packedBelowHead++;
      // Not the high-water arena of whatever the spare held before: what the head uses, packed.
      expect(regionBytes(spare), `step ${i + 1}`).toBeLessThanOrEqual(regionBytes(fresh) + SLACK);
      expect(machineDigest(spare)).toBe(machineDigest(a));
    }
    // The churn did release slots (else this test measures nothing).
    expect(packedBelowHead).toBeGreaterThan(0);
  });
});
