import { describe, expect, it } from 'vitest';
import { compileScenario, loadPreset, type Scenario } from '../scenario/index';
import { narrativeOf } from '../scenario/narrative';
import { Timeline } from './timeline';
import { BaseOutcomes, hostEventText, stepSignature, WhatIfStory } from './whatif';

const preset = (name: string): Scenario => {
  const r = loadPreset(name);
  if (!r.ok) throw new Error(name);
  return r.scenario;
};

function story(base: Scenario, run: Scenario, o: Parameters<typeof narrativeOf>[2]) {
  const n = narrativeOf(run, base, o);
  const b = compileScenario(base);
  const w = compileScenario(run);
  const t = new Timeline(w.spec, w.events);
  const s = new WhatIfStory(n.pending, new BaseOutcomes(b.spec, b.events), n.stale);
  s.update(t.final);
  return { captions: s.captions(), timeline: t };
}

describe('WhatIfStory: a preset caption holds where its step turns out the same', () => {
  const base = preset('thread-2021');
  const huge = {
    ...base,
    guests: base.guests.map((g) => ({ ...g, backing: 'hugetlbfs-2m' as const })),
  };

  it('compares the set of kinds and rules of a step', () => {
    const w = compileScenario(huge);
    const t = new Timeline(w.spec, w.events);
    expect(stepSignature(t.log, 4)).toBe(
      'guest-killed/rfc.hugetlb_sigbus rmp-fault/rmp.check.write sigbus/rfc.hugetlb_sigbus',
    );
    expect(stepSignature(t.log, 7)).toBe('');
  });

  it('THP → hugetlbfs: step 4 is rewritten from the SIGBUS rule, unchanged steps keep theirs', () => {
    const { captions } = story(base, huge, { backing: 'hugetlbfs-2m' });
    const at = (s: number) => captions.find((c) => c.step === s);
    expect(at(4)).toMatchObject({ auto: true });
    expect(at(4)?.text).toMatch(/^In this what-if: A hugetlbfs mapping cannot be split/);
    expect(at(4)?.text).toContain('vm: guest killed');
    for (const s of [0, 2, 3, 7]) expect(at(s)).toEqual(base.captions.find((c) => c.step === s));
    // Same outcome (a launch), but the caption says THP: it no longer holds as written.
    expect(at(1)?.auto).toBe(true);
    expect(captions.map((c) => c.step)).toEqual(base.captions.map((c) => c.step));
  });

  it('a step that causes nothing in the what-if says what it caused in the preset', () => {
    const up = { ...base, kernel: 'upstream-2024' as const };
    const { captions } = story(base, up, { kernel: 'upstream-2024' });
    const at4 = captions.find((c) => c.step === 4);
    expect(at4?.text).toMatch(/^In this what-if nothing happens at this step; in the preset/);
    expect(at4?.text).toContain('THP mapping of GPA 0x0 (2 MiB) split to 4K');
  });

  it('decides only what both runs have computed', () => {
    const n = narrativeOf(huge, base, { backing: 'hugetlbfs-2m' });
    const b = compileScenario(base);
    const w = compileScenario(huge);
    const t = new Timeline(w.spec, w.events, { progressive: true });
    const s = new WhatIfStory(n.pending, new BaseOutcomes(b.spec, b.events), n.stale);
    t.advance(3);
    expect(s.update(t.final)).toBe(true);
    expect(s.captions().map((c) => c.step)).toEqual([0, 1, 2, 3]);
    expect(s.decided).toBe(false);
    t.advance(100);
    s.update(t.final);
    expect(s.decided).toBe(true);
    expect(s.update(t.final)).toBe(false);
  });
});

describe('what-if captions name the host event that is the cause (issue 17)', () => {
  it('secretmem on 6.5 rerun on 6.1: the host event is named where nothing happens now', () => {
    const base = preset('secretmem-6.5');
    const old = { ...base, host: { ...base.host, linux: '6.1' } };
    const { captions } = story(base, old, { linux: '6.1' });
    const at1 = captions.find((c) => c.step === 1);
    expect(at1?.auto).toBe(true);
    expect(at1?.text).toMatch(/^In this what-if, the host event secretmem \(64M\)/);
  });

  it('names the op and what it carries; guest events are not named', () => {
    const e = { guest: 0, gpa: 0, pfn: 0x1f000, sizeBytes: 2048, via: 'user' } as const;
    expect(hostEventText({ ...e, op: 'bpf-load' })).toBe('bpf-load (2048 programs)');
    expect(hostEventText({ ...e, op: 'hwpoison' })).toBe('hwpoison (pfn 0x1f000)');
    expect(hostEventText({ ...e, op: 'secretmem', sizeBytes: 64 << 20 })).toBe('secretmem (64M)');
    expect(hostEventText({ ...e, op: 'accept' })).toBeNull();
  });
});
