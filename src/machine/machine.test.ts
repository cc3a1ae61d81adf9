/**
 * A checkpoint is a Machine copied by clone() or restoreFrom() (src/sim/timeline.ts): the copy
 * must share nothing with its source, or a seek would change the run it seeks in.
 */
import { describe, expect, it } from 'vitest';
import { machineDigest } from '../sim/digest';
import { applyEvent } from './apply';
import { type EngineEvent, KERNEL_DESIGNS, type KernelDesign, type MachineSpec } from './events';
import { Machine } from './machine';
import { OutcomeLog } from './outcomes';
import { Rng } from './rng';
import { GiB, MiB } from './units';

const spec = (kernel: KernelDesign): MachineSpec => ({
  host: {
    ranges: [
      { start: 0, end: 0x9f000 },
      { start: MiB, end: 6 * GiB },
    ],
    gbpages: true,
    allocator: 'buddy',
    kernelBytes: 64 * MiB,
    seed: 3,
  },
  kernel,
  guests: [
    { name: 'thp', memoryBytes: 1 * GiB, vcpus: 2, backing: 'thp', snp: true },
    { name: 'huge', memoryBytes: 1 * GiB, vcpus: 2, backing: 'hugetlbfs-2m', snp: true },
    { name: '4k', memoryBytes: 256 * MiB, vcpus: 1, backing: '4k', snp: true },
    { name: 'plain', memoryBytes: 128 * MiB, vcpus: 1, backing: 'thp', snp: false },
  ],
});

/** Launches, then conversions, writes and host writes in 4K and 2M; guest 2 exits at 1,200. */
function busyEvents(n: number, seed: number): EngineEvent[] {
  const rng = new Rng(seed);
  const ops = ['accept', 'accept', 'share', 'unshare', 'hv-write', 'host-write'] as const;
  const out: EngineEvent[] = [0, 1, 2, 3].map((guest) => ({
    op: 'launch',
    guest,
    gpa: 0,
    pfn: 0,
    sizeBytes: 0,
    via: 'user',
  }));
  while (out.length < n) {
    const guest = rng.int(4);
    const exit = out.length === 1200;
    out.push({
      op: exit ? 'exit' : ops[rng.int(ops.length)]!,
      guest: exit ? 2 : guest,
      gpa: rng.int(guest < 2 ? 512 : 64) * 2 * MiB + (rng.int(2) ? rng.int(512) * 4096 : 0),
      pfn: rng.int((6 * GiB) / 4096),
      sizeBytes: rng.int(3) === 0 ? 2 * MiB : 4096 * (1 + rng.int(4)),
      // The VMM writing a private page kills the guest under the 2021 designs: rarely, then.
      via: rng.int(40) === 0 ? 'user' : 'direct-map',
    });
  }
  return out;
}

const BUSY = 1500;
const MORE = 1000;
const EVENTS = busyEvents(BUSY + MORE, 11);

function run(m: Machine, from: number, to: number): Machine {
  for (let i = from; i < to; i++) applyEvent(m, EVENTS[i]!);
  return m;
}

describe('Machine.clone: a clone is independent of the original', () => {
  it.each(KERNEL_DESIGNS)('%s: 1,000 events on a clone after a busy run', (kernel) => {
    const m = run(new Machine(spec(kernel)), 0, BUSY);
    const before = machineDigest(m);
    const c = m.clone();
    expect(machineDigest(c)).toBe(before);
    run(c, BUSY, BUSY + MORE);
    expect(machineDigest(m)).toBe(before);
    expect(m.step).toBe(BUSY);
    expect(m.checkInvariants()).toBeNull();
    // The clone went on exactly as a machine that never was cloned.
    expect(machineDigest(c)).toBe(machineDigest(run(new Machine(spec(kernel)), 0, BUSY + MORE)));
    expect(c.checkInvariants()).toBeNull();
  });
});

describe('Machine.restoreFrom: a restored machine is independent of its source', () => {
  it.each(KERNEL_DESIGNS)('%s: 1,000 events after restoring a busy run', (kernel) => {
    const m = run(new Machine(spec(kernel)), 0, BUSY);
    const before = machineDigest(m);
    // Its buffers hold another state (another seed's run) before it becomes a copy of m.
    const b = new Machine(spec(kernel));
    const other = busyEvents(700, 5);
    for (const e of other) applyEvent(b, e);
    b.restoreFrom(m);
    b.log = OutcomeLog.countsOnly(m.log.counts);
    expect(machineDigest(b)).toBe(before);
    run(b, BUSY, BUSY + MORE);
    expect(machineDigest(m)).toBe(before);
    expect(m.checkInvariants()).toBeNull();
    expect(machineDigest(b)).toBe(machineDigest(run(new Machine(spec(kernel)), 0, BUSY + MORE)));
    // And the source can go on too, unchanged by the copy's run.
    run(m, BUSY, BUSY + MORE);
    expect(machineDigest(m)).toBe(machineDigest(b));
  });
});
