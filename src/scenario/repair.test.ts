import { describe, expect, it } from 'vitest';
import { repairScenario } from './repair';

describe('repairScenario', () => {
  it('returns a valid scenario untouched, with no repairs', () => {
    const r = repairScenario({ version: 2, host: { ram: '4G' } });
    expect(r.repairs).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(r.scenario?.host.ram).toBe('4G');
  });

  it('fixes each bad field by its rule and says exactly what it did', () => {
    const r = repairScenario({
      version: 1,
      title: 42,
      host: { ram: '1P', allocator: 'slab' },
      kernel: 'rfc',
      guests: [
        { name: 'a', memory: '1G', vcpus: 0, backing: 'hugetlb' },
        { name: 'gone', memory: 'lots', vcpus: 1, backing: 'thp' },
        { name: 'a', memory: '1G', vcpus: 1, backing: 'thp' },
      ],
      events: [
        { op: 'launch', guest: 2 },
        { op: 'launch', guest: 1 },
        { op: 'share', guest: 'a', gpa: '0x1001' },
        { op: 'poke' },
      ],
      captions: [{ step: 'x', text: 'hi' }],
      bogus: true,
    });
    expect(r.scenario).toBeDefined();
    const s = r.scenario!;
    expect(s.title).toBeUndefined();
    expect(s.host).toEqual({
      ram: '4G',
      gbpages: true,
      allocator: 'buddy',
      linux: '6.11',
      la57: false,
    });
    expect(s.kernel).toBe('upstream-2024');
    expect(s.guests.map((g) => [g.name, g.vcpus, g.backing])).toEqual([
      ['a', 1, 'thp'],
      ['a-1', 1, 'thp'],
    ]);
    // guest 1 was dropped: the launch of guest 2 now points at index 1, the launch of 1 is gone
    expect(s.events).toEqual([{ op: 'launch', guest: 1 }]);
    expect(s.captions).toEqual([]);
    const text = r.repairs.join('\n');
    for (const part of [
      /title: found 42.* → title dropped/,
      /host.ram: "1P" is too large.* → host RAM set to 4G/,
      /host.allocator: .* → host.allocator reset to its default/,
      /kernel: found "rfc".* → reset to the default/,
      /guests\[0\].vcpus: found 0.* → set to 1/,
      /guests\[0\].backing: found "hugetlb".* → set to "thp"/,
      /guests\[1\].memory: found "lots".* → guest 1 dropped/,
      /events\[1\]: its guest 1 was dropped → event dropped/,
      /events\[3\].op: found "poke".* → event 3 dropped/,
      /captions\[0\].step: .* → caption 0 dropped/,
      // later rounds see the list after earlier drops, and their messages say so
      /guests\[1\].name: found "a"; allowed: a name no other guest uses → renamed "a-1"/,
      /events\[1\].gpa: found "0x1001".* → event 1 dropped/,
      /bogus: unknown field, dropped/,
    ]) {
      expect(text).toMatch(part);
    }
    expect(r.errors.length).toBeGreaterThan(5);
  });

  it('keeps ram over ranges when both are given, and drops bad ranges one by one', () => {
    const both = repairScenario({
      version: 1,
      host: { ram: '2G', ranges: [['0x0', '0x1000000']] },
    });
    expect(both.scenario?.host).toMatchObject({ ram: '2G', gbpages: true, allocator: 'buddy' });
    expect(both.scenario?.host.ranges).toBeUndefined();
    const ranges = repairScenario({
      version: 1,
      host: { ranges: [['0x0', '0x80000000'], ['0x200000000', '0x100000000'], 'x'] },
    });
    expect(ranges.scenario?.host.ranges).toEqual([['0x0', '0x80000000']]);
  });

  it('clamps an oversized workload and drops unusable profiles', () => {
    const r = repairScenario({
      version: 1,
      host: { ram: '4G' },
      workload: {
        seed: -1,
        steps: 20_000_000,
        profiles: [
          { profile: 'x', weight: 1 },
          { profile: 'uniform', weight: 1 },
        ],
      },
    });
    expect(r.scenario?.workload).toEqual({
      seed: 1,
      steps: 10_000_000,
      profiles: [{ profile: 'uniform', weight: 1 }],
    });
  });

  it('reads a scenario from a newer version as version 2, and says so', () => {
    const r = repairScenario({ version: 9, host: { ram: '4G' } });
    expect(r.scenario?.version).toBe(2);
    expect(r.repairs[0]).toMatch(/newer Fracture.* → read as version 2/);
  });

  it('gives up, in words, on what is not a scenario at all', () => {
    for (const input of [null, 7, 'text', [1, 2]]) {
      const r = repairScenario(input);
      expect(r.scenario).toBeUndefined();
      expect(r.repairs[0]).toMatch(/nothing to salvage/);
    }
  });
});
