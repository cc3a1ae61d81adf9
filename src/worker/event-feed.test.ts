import { describe, expect, it } from 'vitest';
import { applyEvent } from '../machine/apply';
import { Machine } from '../machine/machine';
import {
  compilePacked,
  loadPreset,
  resolveSource,
  type Scenario,
  scenarioDigest,
} from '../scenario/index';
import { machineDigest } from '../sim/digest';
import { Timeline } from '../sim/timeline';
import { EventFeed, knownLength } from './event-feed';
import { EngineHost } from './host';

/** virtio-churn-1h cut to `steps`, with every profile and a few explicit events after them. */
function churn(steps: number, profiles = ['linux-boot', 'lazy-accept', 'virtio-io', 'uniform']) {
  const r = loadPreset('virtio-churn-1h');
  if (!r.ok) throw new Error('preset');
  const s: Scenario = structuredClone(r.scenario);
  s.host = { ...s.host, ram: '16G' };
  s.guests = s.guests.map((g) => ({ ...g, memory: '4G' }));
  s.workload = {
    ...s.workload!,
    steps,
    profiles: profiles.map((profile) => ({ profile, weight: 2 })) as never,
  };
  s.events = [
    { op: 'share', guest: 'web', gpa: '0x1f000', size: '4K' },
    { op: 'hv-write', guest: 'web', gpa: '0x1f000', size: '4K', via: 'direct-map' },
    { op: 'host-write', pfn: '0x30000', size: '4K' },
    { op: 'unshare', guest: 'web', gpa: '0x20000', size: '8K' },
  ] as never;
  s.captions = s.captions.filter((c) => c.step <= steps);
  const p = resolveSource({ kind: 'scenario', scenario: s });
  if (!p.ok) throw new Error(p.errors.join('; '));
  return p.scenario;
}

describe('EventFeed: the events of compilePacked, generated as they are asked for', () => {
  it('makes the same events in the same order, and the same digest once all are made', () => {
    const s = churn(40_000);
    const { spec, events } = compilePacked(s);
    const n = knownLength(s);
    expect(n).toBe(events.length);
    const feed = new EventFeed(s, spec, n!);
    expect(feed.generated).toBe(0);
    // Out of order: a late step first (the chunk before it is generated), then the rest.
    expect(feed.at(35_000)).toEqual(events.at(35_000));
    expect(feed.digest()).toBeNull();
    for (let i = 0; i < events.length; i++) expect(feed.at(i)).toEqual(events.at(i));
    expect(feed.at(events.length)).toBeUndefined();
    expect(feed.digest()).toBe(scenarioDigest(s));
  });

  it('knows the length only when a profile never runs dry', () => {
    expect(knownLength(churn(100, ['linux-boot', 'lazy-accept']))).toBeNull();
    expect(knownLength(churn(100, ['linux-boot', 'virtio-io']))).toBe(104);
    expect(knownLength(churn(100, ['uniform']))).toBe(104);
  });
});

describe('Seeks in a fed run are the straight run (checkpoints thinned by a small budget)', () => {
  it('gives the machine digest of a straight run at every asked step, in any order', () => {
    const s = churn(12_000);
    const { spec, events } = compilePacked(s);
    const straight = new Machine(spec);
    const want = new Map<number, string>();
    const interval = 700;
    // Checkpoint steps, the steps either side of them, and some in between.
    const asked = [0, 1, 699, 700, 701, 1399, 1400, 5000, 8399, 8400, 8401, 11_000, 12_003];
    for (const k of [...asked, 12_004].sort((a, b) => a - b)) {
      while (straight.step < k) applyEvent(straight, events.at(straight.step));
      want.set(k, machineDigest(straight));
    }
    const feed = new EventFeed(s, spec, knownLength(s)!);
    const budget = new Machine(spec).estimateBytes() * 4;
    const t = new Timeline(spec, feed, {
      checkpointInterval: interval,
      checkpointBudgetBytes: budget,
      progressive: true,
    });
    t.advance(6000);
    // Seeks while the run is half computed, then the rest of the run.
    for (const k of [5000, 700, 1, 1400])
      expect(machineDigest(t.at(k)), `step ${k}`).toBe(want.get(k));
    t.advance(Number.POSITIVE_INFINITY);
    expect(t.checkpointSteps().length).toBeLessThanOrEqual(4);
    const order = [12_003, 0, 8401, 8399, 701, 699, 11_000, 8400, 1399, 12_004, 700, 5000];
    for (const k of order) expect(machineDigest(t.at(k)), `step ${k}`).toBe(want.get(k));
    expect(machineDigest(t.final)).toBe(machineDigest(straight));
  });
});

describe('EngineHost: a long run fed lazily', () => {
  it('answers like a run compiled at once, and sends the digest with progress once known', () => {
    const s = churn(50_000);
    const eager = new EngineHost();
    const lazy = new EngineHost(null, undefined, { lazyEvents: 0 });
    const a = eager.load({ kind: 'scenario', scenario: s });
    const b = lazy.load({ kind: 'scenario', scenario: s }, { progressive: true, step: 3000 });
    expect(b.ok).toBe(true);
    expect(b.info?.scenarioDigest).toBe('');
    while (!lazy.advanceFor(1)) {}
    const p = lazy.progress();
    expect(p?.done).toBe(true);
    expect(p?.scenarioDigest).toBe(a.info?.scenarioDigest);
    for (const k of [3000, 50_004, 17, 33_000]) {
      expect(lazy.snapshot(k)).toEqual(eager.snapshot(k));
      expect(lazy.stepViews(k)).toEqual(eager.stepViews(k));
    }
    expect(lazy.outcomes({ from: 0, count: 50 })).toEqual(eager.outcomes({ from: 0, count: 50 }));
  });
});
