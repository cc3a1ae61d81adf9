import { describe, expect, it } from 'vitest';
import { narrativeOf } from './narrative';
import { loadPreset } from './presets';
import type { Scenario } from './types';

const preset = (name: string): Scenario => {
  const r = loadPreset(name);
  if (!r.ok) throw new Error(name);
  return r.scenario;
};

describe('narrativeOf: what a run says about itself', () => {
  const base = preset('thread-2021');

  it('is the scenario as written when nothing is overridden, or an override changes nothing', () => {
    for (const o of [{}, { kernel: base.kernel }, { backing: 'thp' as const }]) {
      const n = narrativeOf(base, base, o);
      expect(n.note).toBeNull();
      expect(n.title).toBe(base.title);
      expect(n.captions).toEqual(base.captions);
    }
  });

  it('drops captions written for THP from a hugetlbfs rerun, and says so in the title and note', () => {
    const run = {
      ...base,
      guests: base.guests.map((g) => ({ ...g, backing: 'hugetlbfs-2m' as const })),
    };
    const n = narrativeOf(run, base, { backing: 'hugetlbfs-2m' });
    expect(n.captions).toEqual([]);
    expect(n.title).toBe(`${base.title}, rerun with hugetlbfs 2M backing`);
    expect(n.note).toContain("the preset's captions narrate THP backing");
  });

  it('names both overrides and what the preset was written for', () => {
    const run = { ...base, kernel: 'hugetlb-ban-2022' as const };
    const n = narrativeOf(run, base, { kernel: 'hugetlb-ban-2022', backing: 'hugetlbfs-1g' });
    expect(n.title).toMatch(/rerun under hugetlb-ban-2022 and with hugetlbfs 1G backing$/);
    expect(n.note).toContain('kernel rfc-2021 with THP backing');
  });
});
