import { describe, expect, it } from 'vitest';
import { parseScenario } from './schema';
import type { ScenarioError } from './types';

const base = () => ({
  version: 1,
  host: { ram: '4G' },
  guests: [{ name: 'vm', memory: '1G', vcpus: 2, backing: 'thp' }],
});

function errorsOf(input: unknown): ScenarioError[] {
  const r = parseScenario(input);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

describe('parseScenario', () => {
  it('fills the version-2 defaults (a version-1 scenario migrated)', () => {
    const r = parseScenario(base());
    expect(r.ok && r.scenario).toEqual({
      version: 2,
      host: { ram: '4G', gbpages: true, allocator: 'buddy', linux: '6.11', la57: false },
      kernel: 'upstream-2024',
      guests: [{ name: 'vm', memory: '1G', vcpus: 2, backing: 'thp', snp: true }],
      events: [],
      captions: [],
    });
  });

  it('accepts sizes and addresses the way kernel people write them', () => {
    const r = parseScenario({
      ...base(),
      host: {
        ranges: [
          ['0x0', '0x9f000'],
          [0x100000, '0x100000000'],
        ],
        kernelMemory: 268435456,
      },
      guests: [{ name: 'vm', memory: '1024M', vcpus: 1, backing: 'hugetlbfs-1g' }],
      events: [
        { op: 'launch', guest: 'vm' },
        { op: 'share', guest: 0, gpa: '2M', size: 4096 },
        { op: 'host-write', pfn: 126976 },
      ],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.host.ranges).toEqual([
      ['0x0', '0x9f000'],
      ['0x100000', '0x100000000'],
    ]);
    expect(r.scenario.host.kernelMemory).toBe('256M');
    expect(r.scenario.guests[0]?.memory).toBe('1G');
    expect(r.scenario.events[1]).toEqual({ op: 'share', guest: 0, gpa: '0x200000', size: '4K' });
    expect(r.scenario.events[2]).toEqual({ op: 'host-write', pfn: '0x1f000' });
  });

  it('gives back a parsed scenario unchanged when parsed again', () => {
    const first = parseScenario({ ...base(), events: [{ op: 'launch', guest: 'vm' }] });
    if (!first.ok) throw new Error('bad fixture');
    const again = parseScenario(first.scenario);
    expect(again.ok && again.scenario).toEqual(first.scenario);
  });

  const table: [string, unknown, string, string, RegExp][] = [
    [
      'a bad backing',
      { ...base(), guests: [{ name: 'a', memory: '1G', vcpus: 1, backing: 'hugetlb' }] },
      'guests[0].backing',
      '"hugetlb"',
      /one of "4k", "thp"/,
    ],
    [
      'a missing guest name',
      { ...base(), guests: [{ memory: '1G', vcpus: 1, backing: 'thp' }] },
      'guests[0].name',
      'missing',
      /non-empty name/,
    ],
    ['an unknown kernel', { ...base(), kernel: 'rfc' }, 'kernel', '"rfc"', /rfc-2021/],
    [
      'an unparsable size',
      { ...base(), host: { ram: 'lots' } },
      'host.ram',
      '"lots"',
      /a size such as/,
    ],
    [
      'a 1 PiB host',
      { ...base(), host: { ram: '1P' } },
      'host.ram',
      '"1P"',
      /too large: at most 16T/,
    ],
    [
      'a host with ram and ranges',
      { ...base(), host: { ram: '4G', ranges: [['0x0', '0x1000000']] } },
      'host.ram',
      '"both \\"ram\\" and \\"ranges\\""',
      /exactly one/,
    ],
    [
      'a guest larger than the host',
      { ...base(), guests: [{ name: 'a', memory: '8G', vcpus: 1, backing: 'thp' }] },
      'guests[0].memory',
      '"8G"',
      /too large: at most host RAM \(4G\)/,
    ],
    [
      'hugetlbfs-1g memory not in whole GiB',
      { ...base(), guests: [{ name: 'a', memory: '1536M', vcpus: 1, backing: 'hugetlbfs-1g' }] },
      'guests[0].backing',
      '"hugetlbfs-1g"',
      /multiple of 1G/,
    ],
    [
      'too many vCPUs',
      { ...base(), guests: [{ name: 'a', memory: '1G', vcpus: 5000, backing: 'thp' }] },
      'guests[0].vcpus',
      '5000',
      /too large: at most 1024/,
    ],
    [
      'duplicate guest names',
      {
        ...base(),
        guests: [
          { name: 'a', memory: '1G', vcpus: 1, backing: 'thp' },
          { name: 'a', memory: '1G', vcpus: 1, backing: 'thp' },
        ],
      },
      'guests[1].name',
      '"a"',
      /no other guest/,
    ],
    [
      'an event for an unknown guest',
      { ...base(), events: [{ op: 'launch', guest: 'nope' }] },
      'events[0].guest',
      '"nope"',
      /"vm" or 0..0/,
    ],
    [
      'an unaligned gpa',
      { ...base(), events: [{ op: 'share', guest: 'vm', gpa: '0x1001' }] },
      'events[0].gpa',
      '"0x1001"',
      /4K-aligned/,
    ],
    [
      'a gpa outside the guest',
      { ...base(), events: [{ op: 'share', guest: 'vm', gpa: '1G' }] },
      'events[0].gpa',
      '"0x40000000"',
      /inside the guest's memory/,
    ],
    [
      'a host-write without pfn',
      { ...base(), events: [{ op: 'host-write' }] },
      'events[0].pfn',
      'missing',
      /host frame number/,
    ],
    [
      'a host frame past the end of RAM',
      // 4G as a typical e820: 2 GiB below the PCI hole, 2 GiB remapped to 4-6 GiB.
      { ...base(), events: [{ op: 'host-write', pfn: '0x180000' }] },
      'events[0].pfn',
      '"0x180000"',
      /0x0\.\.0x17ffff/,
    ],
    [
      'a bad op',
      { ...base(), events: [{ op: 'poke', guest: 0 }] },
      'events[0].op',
      '"poke"',
      /"launch", "accept"/,
    ],
    [
      'a size that is not whole pages',
      { ...base(), events: [{ op: 'share', guest: 0, gpa: 0, size: 100 }] },
      'events[0].size',
      '"100"',
      /multiple of 4K/,
    ],
    [
      'a caption after the last step',
      { ...base(), captions: [{ step: 3, text: 'x' }] },
      'captions[0].step',
      '3',
      /a step 0..0/,
    ],
    [
      'a workload too long with the events',
      {
        ...base(),
        workload: { seed: 1, steps: 10_000_000, profiles: [{ profile: 'uniform', weight: 1 }] },
        events: [{ op: 'launch', guest: 0 }],
      },
      'workload.steps',
      '10000000',
      /too large/,
    ],
    [
      'a zero weight',
      { ...base(), workload: { seed: 1, steps: 5, profiles: [{ profile: 'uniform', weight: 0 }] } },
      'workload.profiles[0].weight',
      '0',
      /above 0/,
    ],
    [
      'an unknown profile',
      { ...base(), workload: { seed: 1, steps: 5, profiles: [{ profile: 'boot', weight: 1 }] } },
      'workload.profiles[0].profile',
      '"boot"',
      /"linux-boot"/,
    ],
    ['a newer version', { ...base(), version: 7 }, 'version', '7', /newer Fracture/],
    ['no host', { version: 1 }, 'host', 'missing', /ram \| ranges/],
  ];

  it.each(table)(
    'names path, value and what is allowed for %s',
    (_, input, path, value, allowed) => {
      const errors = errorsOf(input);
      const e = errors.find((x) => x.path === path);
      expect(e, JSON.stringify(errors)).toBeDefined();
      expect(e?.value).toBe(value);
      expect(e?.allowed).toMatch(allowed);
      expect(e?.message.startsWith(`${path}: `)).toBe(true);
    },
  );

  it('refuses more than 1,024 guests before looking at any of them', () => {
    const guests = Array.from({ length: 1025 }, () => 'x');
    const errors = errorsOf({ ...base(), guests });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/guests: .* too large: at most 1,024 guests/);
  });

  it('never throws, whatever it is given', () => {
    for (const input of [null, 3, 'x', [], { version: 1, host: null }, { host: { ram: {} } }]) {
      expect(parseScenario(input).ok).toBe(false);
    }
  });

  it('warns about unknown fields and overcommitted hosts instead of failing', () => {
    const r = parseScenario({
      ...base(),
      colour: 'red',
      guests: [{ name: 'a', memory: '4G', vcpus: 1, backing: 'thp', extra: 1 }],
    });
    expect(r.ok).toBe(true);
    expect(r.warnings).toContain('colour: unknown field, ignored');
    expect(r.warnings).toContain('guests[0].extra: unknown field, ignored');
    expect(r.warnings.some((w) => w.includes('launches may fail'))).toBe(true);
  });

  it('migrates a version-0 draft (ramGiB, design, memGiB) to version 1', () => {
    const r = parseScenario({
      ramGiB: 8,
      design: 'rfc',
      guests: [{ name: 'vm', memGiB: 2, vcpus: 1, backing: 'hugetlbfs' }],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.host.ram).toBe('8G');
    expect(r.scenario.kernel).toBe('rfc-2021');
    expect(r.scenario.guests[0]?.backing).toBe('hugetlbfs-2m');
    expect(r.warnings).toContain('migrated from version 0 to 1');
  });
});

describe('rule: a workload without profiles runs the default mix and says so (schema.ts DEFAULT_PROFILES)', () => {
  const withWorkload = (workload: Record<string, unknown>) => ({ ...base(), workload });
  it.each([
    ['profiles missing', { seed: 3, steps: 100 }],
    ['profiles missing, other fields unknown', { seed: 3, steps: 100, mix: 'x' }],
  ])('%s', (_what, workload) => {
    const r = parseScenario(withWorkload(workload));
    expect(r.ok && r.scenario.workload).toEqual({
      seed: 3,
      steps: 100,
      profiles: [
        { profile: 'linux-boot', weight: 1 },
        { profile: 'virtio-io', weight: 1 },
      ],
    });
    expect(r.warnings).toContain(
      'workload.profiles: missing; using the default mix linux-boot (weight 1) and virtio-io (weight 1)',
    );
    expect(workload).not.toHaveProperty('profiles'); // the input is not changed
  });

  it.each([
    ['an empty list', []],
    ['null', null],
    ['a string', 'linux-boot'],
  ])('profiles given as %s are still an error, not replaced', (_what, profiles) => {
    const errors = errorsOf(withWorkload({ seed: 3, steps: 100, profiles }));
    expect(errors[0]?.path).toBe('workload.profiles');
  });

  it('the default is written out, so the parsed scenario parses again unchanged and silently', () => {
    const r = parseScenario(withWorkload({ seed: 3, steps: 100 }));
    const again = r.ok ? parseScenario(r.scenario) : r;
    expect(again.ok && again.scenario).toEqual(r.ok && r.scenario);
    expect(again.warnings).toEqual([]);
  });
});
