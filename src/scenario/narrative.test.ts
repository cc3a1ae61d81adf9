import { describe, expect, it } from 'vitest';
import { editedNarration, narrativeOf } from './narrative';
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

  it('holds back the captions of a hugetlbfs rerun for checking, and says so in the title and note', () => {
    const run = {
      ...base,
      guests: base.guests.map((g) => ({ ...g, backing: 'hugetlbfs-2m' as const })),
    };
    const n = narrativeOf(run, base, { backing: 'hugetlbfs-2m' });
    expect(n.captions).toEqual([]);
    expect(n.pending).toEqual(base.captions);
    expect(n.title).toBe(`${base.title}, rerun with hugetlbfs 2M backing`);
    expect(n.note).toContain("the preset's captions narrate THP backing");
    // A caption naming the replaced backing no longer holds as written.
    expect(n.stale('backed by transparent huge pages (THP)')).toBe(true);
    expect(n.stale('The host kernel writes one of its own frames')).toBe(false);
  });

  it('names both overrides and what the preset was written for', () => {
    const run = { ...base, kernel: 'hugetlb-ban-2022' as const };
    const n = narrativeOf(run, base, { kernel: 'hugetlb-ban-2022', backing: 'hugetlbfs-1g' });
    expect(n.title).toMatch(/rerun under hugetlb-ban-2022 and with hugetlbfs 1G backing$/);
    expect(n.note).toContain('kernel rfc-2021 with THP backing');
  });
});

describe('editedNarration: an edited preset is no longer the preset', () => {
  const base = preset('thread-2021');

  it("drops the preset's captions and says what it was edited from when the model changes", () => {
    const e = editedNarration(base, { ...base, host: { ...base.host, ram: '4G' } });
    expect(e.title).toBe(`Edited from: ${base.title}`);
    expect(e.captions).toEqual([]);
    expect(e.description).toContain('Edited in Fracture from');
    expect(e.host.ram).toBe('4G');
  });

  it('keeps the narration of a caption edit, and of a further edit of an edited scenario', () => {
    const captioned = { ...base, captions: [...base.captions, { step: 9, text: 'mine' }] };
    expect(editedNarration(base, captioned)).toBe(captioned);
    const edited = editedNarration(base, { ...base, kernel: 'sequester' as const });
    const mine = { ...edited, captions: [{ step: 1, text: 'mine' }] };
    const again = editedNarration(mine, { ...mine, kernel: 'upstream-2024' as const });
    expect(again.title).toBe(edited.title);
    expect(again.captions).toEqual([{ step: 1, text: 'mine' }]);
  });
});
