import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../machine/events';
import { compilePacked, compileScenario, generateEvents } from './compile';
import { dmaPoolBytes, swiotlbBytes } from './layout';
import { Prng } from './prng';
import { parseScenario } from './schema';
import type { ProfileName, Scenario } from './types';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

function scenario(profiles: ProfileName[], steps = 3000, seed = 7, extra = {}): Scenario {
  const r = parseScenario({
    version: 1,
    host: { ram: '64G' },
    guests: [
      { name: 'a', memory: '4G', vcpus: 4, backing: 'thp' },
      { name: 'b', memory: '6G', vcpus: 2, backing: '4k' },
      { name: 'plain', memory: '1G', vcpus: 1, backing: 'thp', snp: false },
    ],
    workload: { seed, steps, profiles: profiles.map((profile) => ({ profile, weight: 1 })) },
    ...extra,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}

const ALL: ProfileName[] = ['linux-boot', 'virtio-io', 'lazy-accept', 'uniform'];

describe('SWIOTLB and DMA pool sizes follow the kernel', () => {
  it.each([
    [1 * GiB, 64 * MiB], // 6% = 61.4M, clamped up to 64M
    [4 * GiB, 246 * MiB], // 6% = 245.76M, rounded up to 256K segments
    [16 * GiB, 983.25 * MiB],
    [32 * GiB, GiB], // 6% = 1.92G, clamped down to 1G
    [1024 * GiB, GiB],
  ])('swiotlbBytes(%d) = %d', (mem, want) => {
    expect(swiotlbBytes(mem)).toBe(want);
  });

  it('caps SWIOTLB at a quarter of a tiny guest', () => {
    expect(swiotlbBytes(64 * MiB)).toBe(16 * MiB);
  });

  it.each([
    [512 * MiB, 128 * 1024],
    [GiB, 128 * 1024],
    [4 * GiB, 512 * 1024],
    [3 * GiB, 512 * 1024], // 384K allocated as an order-7 block
    [32 * GiB, 4 * MiB],
    [256 * GiB, 4 * MiB],
  ])('dmaPoolBytes(%d) = %d', (mem, want) => {
    expect(dmaPoolBytes(mem)).toBe(want);
  });
});

describe('the PRNG', () => {
  it('is mulberry32: seed 1 starts 0.6270739405881613, the published sequence, forever', () => {
    const r = new Prng(1);
    expect([r.nextU32(), r.nextU32(), r.nextU32()]).toEqual([2693262067, 11749833, 2265367787]);
  });

  it('draws below bounds larger than 2^32', () => {
    const r = new Prng(5);
    for (let i = 0; i < 1000; i++) {
      const x = r.below(2 ** 40);
      expect(x >= 0 && x < 2 ** 40 && Number.isInteger(x)).toBe(true);
    }
  });
});

function check(events: EngineEvent[], s: Scenario): void {
  const launched = new Set<number>();
  const mem = s.guests.map(
    (g) => Number.parseInt(g.memory, 10) * (g.memory.endsWith('G') ? GiB : MiB),
  );
  for (const e of events) {
    if (e.op === 'host-write') {
      // 64G as a typical e820 ends at 66 GiB (2 GiB PCI hole below 4 GiB).
      expect(e.pfn * 4096 < 66 * GiB).toBe(true);
      continue;
    }
    if (e.op === 'launch') launched.add(e.guest);
    else expect(launched.has(e.guest), `guest ${e.guest} ${e.op} before launch`).toBe(true);
    expect(e.gpa % 4096).toBe(0);
    expect(e.sizeBytes % 4096).toBe(0);
    expect(e.gpa + e.sizeBytes <= (mem[e.guest] ?? 0)).toBe(true);
    if (e.op !== 'launch' && e.op !== 'exit') expect(e.sizeBytes).toBeGreaterThan(0);
  }
}

describe('workload generation', () => {
  it('is deterministic: the same seed gives the same events', () => {
    const s = scenario(ALL);
    expect(compileScenario(s).events).toEqual(compileScenario(s).events);
    expect([...generateEvents(s)]).toEqual(compileScenario(s).events);
    const other = compileScenario(scenario(ALL, 3000, 8)).events;
    expect(other).not.toEqual(compileScenario(s).events);
  });

  it.each([[['linux-boot']], [['virtio-io']], [['lazy-accept']], [['uniform']], [ALL]] as [
    ProfileName[],
  ][])('keeps every event of %j inside its guest, after its launch', (profiles) => {
    const s = scenario(profiles);
    const events = compileScenario(s).events;
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThanOrEqual(3000);
    check(events, s);
  });

  it('boots a Linux guest in kernel order with realistic shares', () => {
    const r = parseScenario({
      version: 1,
      host: { ram: '16G' },
      guests: [{ name: 'g', memory: '4G', vcpus: 4, backing: 'thp' }],
      workload: { seed: 1, steps: 10_000, profiles: [{ profile: 'linux-boot', weight: 1 }] },
    });
    if (!r.ok) throw new Error('bad fixture');
    const ev = compileScenario(r.scenario).events;
    expect(ev[0]?.op).toBe('launch');
    const accepts = ev.filter((e) => e.op === 'accept');
    expect(accepts.reduce((n, e) => n + e.sizeBytes, 0)).toBe(4 * GiB);
    const shares = ev.filter((e) => e.op === 'share');
    // kvmclock (1 page for ≤ 64 vCPUs), then 4 GHCB and 4 pv pages
    expect(shares[0]?.sizeBytes).toBe(4096);
    expect(shares.slice(1, 9).every((e) => e.sizeBytes === 4096)).toBe(true);
    // SWIOTLB: 246 MiB at the top of memory below 4 GiB, in 2M chunks
    const sw = shares.filter((e) => e.gpa >= 4 * GiB - 246 * MiB);
    expect(sw.reduce((n, e) => n + e.sizeBytes, 0)).toBe(246 * MiB);
    expect(sw.every((e) => e.sizeBytes === 2 * MiB && e.gpa % (2 * MiB) === 0)).toBe(true);
    // three DMA pools of 512K each, naturally aligned
    const pools = shares.slice(-3);
    expect(pools.map((e) => e.sizeBytes)).toEqual([512 * 1024, 512 * 1024, 512 * 1024]);
    expect(pools.every((e) => e.gpa % (512 * 1024) === 0)).toBe(true);
    expect(pools[2]!.gpa).toBeLessThan(16 * MiB); // the ZONE_DMA pool
    expect(ev.length).toBe(1 + 4 + 1 + 8 + 123 + 3);
  });

  it('accepts lazily in ascending 2 MiB units after firmware-accepted low memory', () => {
    const s = scenario(['lazy-accept'], 100_000);
    const ev = compileScenario(s).events.filter((e) => e.guest === 0 && e.op === 'accept');
    expect(ev[0]).toMatchObject({ gpa: 0, sizeBytes: 256 * MiB });
    const lazy = ev.slice(1);
    expect(lazy.every((e) => e.sizeBytes === 2 * MiB)).toBe(true);
    expect(lazy.map((e) => e.gpa)).toEqual([...lazy.map((e) => e.gpa)].sort((a, b) => a - b));
    expect(256 * MiB + lazy.length * 2 * MiB).toBe(4 * GiB);
  });

  it('gives a non-SNP guest only a launch and hypervisor writes', () => {
    const ev = compileScenario(scenario(ALL)).events.filter((e) => e.guest === 2);
    expect(new Set(ev.map((e) => e.op))).toEqual(new Set(['launch', 'hv-write']));
  });

  it('puts explicit events after the generated ones', () => {
    const s = scenario(['linux-boot'], 5, 1, { events: [{ op: 'exit', guest: 'b' }] });
    const ev = compileScenario(s).events;
    expect(ev).toHaveLength(6);
    expect(ev[5]).toEqual({ op: 'exit', guest: 1, gpa: 0, pfn: 0, sizeBytes: 0, via: 'user' });
  });

  it('generates a million events quickly into typed arrays', () => {
    const s = scenario(['linux-boot', 'virtio-io', 'uniform'], 1_000_000);
    const t = performance.now();
    const packed = compilePacked(s);
    expect(packed.events.length).toBe(1_000_000);
    expect(performance.now() - t).toBeLessThan(3000);
    expect(packed.events.at(0).op).toBe('launch');
  });
});
