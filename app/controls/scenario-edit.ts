/**
 * Pure edits of a current-version scenario (RunInfo.scenario) for the controls. Each returns a new
 * object; the engine validates the result when it loads it, so a bad combination comes back as
 * a readable error rather than being guessed at here.
 */
import {
  linuxForKernel,
  type ProfileName,
  SCENARIO_VERSION,
  type Scenario,
  type ScenarioGuest,
} from '../../src/scenario/index';
import type { Backing, KernelDesign } from '../../src/worker/protocol';

export const RAM_CHOICES = ['1G', '4G', '16G', '64G', '256G', '1T', '4T', '16T'] as const;
export const GUEST_MEMORY_CHOICES = [
  '64M',
  '256M',
  '1G',
  '4G',
  '16G',
  '32G',
  '64G',
  '256G',
] as const;
export const GUEST_COUNT_CHOICES = [1, 2, 4, 8, 16, 32, 64] as const;
export const WORKLOAD_STEP_CHOICES = [100, 1_000, 10_000, 100_000, 1_000_000] as const;

export { BACKING_LABELS } from '../panels/format';

export function asScenario(json: unknown): Scenario | null {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return null;
  const s = json as Partial<Scenario>;
  if (s.version !== SCENARIO_VERSION || !s.host || !Array.isArray(s.guests)) return null;
  return json as Scenario;
}

/** Another design; a host.linux that was the old design's era follows to the new one's. */
export function withKernel(s: Scenario, kernel: KernelDesign): Scenario {
  return {
    ...s,
    kernel,
    host: { ...s.host, linux: linuxForKernel(s.host.linux, s.kernel, kernel) },
  };
}

/** Another host kernel version (host.linux; the link leaves it out when it is the era's). */
export function withLinux(s: Scenario, linux: string): Scenario {
  return { ...s, host: { ...s.host, linux } };
}

export function withBacking(s: Scenario, backing: Backing): Scenario {
  return { ...s, guests: s.guests.map((g) => ({ ...g, backing })) };
}

export function withRam(s: Scenario, ram: string): Scenario {
  const { ranges: _ranges, ...host } = s.host;
  return { ...s, host: { ...host, ram } };
}

export function withGbpages(s: Scenario, gbpages: boolean): Scenario {
  return { ...s, host: { ...s.host, gbpages } };
}

/** Keeps the existing guests (events name them); new ones copy the first guest. */
export function withGuestCount(s: Scenario, count: number): Scenario {
  const template: ScenarioGuest = s.guests[0] ?? {
    name: 'vm',
    memory: '256M',
    vcpus: 1,
    backing: 'thp',
    snp: true,
  };
  const names = new Set(s.guests.map((g) => g.name));
  const guests = s.guests.slice(0, count);
  for (let i = guests.length; i < count; i++) {
    let n = i + 1;
    while (names.has(`${template.name}${n}`)) n++;
    const name = `${template.name}${n}`;
    names.add(name);
    guests.push({ ...template, name });
  }
  // Explicit events for dropped guests would no longer resolve.
  const kept = new Set(guests.map((g) => g.name));
  const events = s.events.filter(
    (e) =>
      e.guest === undefined || (typeof e.guest === 'number' ? e.guest < count : kept.has(e.guest)),
  );
  return { ...s, guests, events };
}

export function withGuestMemory(s: Scenario, memory: string): Scenario {
  return { ...s, guests: s.guests.map((g) => ({ ...g, memory })) };
}

/** profile null removes the generated workload (explicit events stay). */
export function withWorkload(
  s: Scenario,
  profile: ProfileName | null,
  seed: number,
  steps: number,
): Scenario {
  if (profile === null) {
    const { workload: _w, ...rest } = s;
    return rest;
  }
  return { ...s, workload: { seed, steps, profiles: [{ profile, weight: 1 }] } };
}

/** New seed or length for the generated workload, keeping its profile mix. */
export function withWorkloadRun(s: Scenario, run: { seed?: number; steps?: number }): Scenario {
  if (s.workload === undefined) return s;
  return { ...s, workload: { ...s.workload, ...run } };
}

/** The backing shared by every guest, or null when they differ (or there are none). */
export function commonBacking(s: Scenario): Backing | null {
  const first = s.guests[0]?.backing;
  if (first === undefined) return null;
  return s.guests.every((g) => g.backing === first) ? first : null;
}
