import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePacked, compileScenario } from './compile';
import { scenarioDigest } from './digest';
import { DEFAULT_PRESET, loadPreset, PRESET_NAMES } from './presets';

describe('presets', () => {
  it('include the thread example under every design the issue names, and the default', () => {
    expect(PRESET_NAMES).toEqual([
      'thread-2021',
      'thread-2021-hugetlbfs',
      'thread-2021-ban',
      'thread-2021-sequester',
      'thread-2021-upstream',
      'linux-boot-64g',
      'virtio-churn-1h',
      'many-guests-1t',
      'no-snp-baseline',
      'bpf-sockex1-v5.17',
      'bpf-sockex1-v6.1',
      'modules-6.12',
      'modules-6.13',
      'modules-6.15',
      'secretmem-6.5',
      'snp-host-causes',
      'fleet-hwpoison-year',
      'proposals-unmapped',
    ]);
    expect(DEFAULT_PRESET).toBe('thread-2021');
  });

  it.each(PRESET_NAMES.map((n) => [n]))(
    '%s parses cleanly, compiles, and captions real steps',
    (name) => {
      const r = loadPreset(name);
      if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
      const s = r.scenario;
      expect(s.title).toBeTruthy();
      expect(s.description).toBeTruthy();
      expect(s.captions.length).toBeGreaterThan(0);
      expect(s.captions.some((c) => c.step === 0)).toBe(true);
      const { events } = compileScenario(s);
      for (const c of s.captions) expect(c.step).toBeLessThanOrEqual(events.length);
      expect(`${s.description} ${s.captions.map((c) => c.text).join(' ')}`).toMatch(
        /lore|commit|domain\.md|\.c\b/,
      );
    },
  );

  it.each(PRESET_NAMES.map((n) => [n]))('%s.json is 2-space indented JSON', (name) => {
    const text = readFileSync(
      new URL(`../../public/scenarios/${name}.json`, import.meta.url),
      'utf8',
    );
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  });

  it('keep the default small enough to see every 4K frame', () => {
    const r = loadPreset(DEFAULT_PRESET);
    expect(r.ok && r.scenario.host.ram).toBe('1G');
    expect(r.ok && r.scenario.events.length).toBeLessThanOrEqual(12);
  });

  it('tell the thread story: one 4K share inside a 2 MiB region, then a user hv-write', () => {
    const r = loadPreset('thread-2021');
    if (!r.ok) throw new Error('preset');
    const ops = r.scenario.events.map((e) => `${e.op}${e.via ? `/${e.via}` : ''}`);
    expect(ops.slice(0, 4)).toEqual(['launch', 'accept', 'share', 'hv-write/user']);
    expect(r.scenario.events[2]).toMatchObject({ gpa: '0x1f000', size: '4K' });
  });

  it('answer an unknown name with the list of known ones', () => {
    const r = loadPreset('thread');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.allowed).toContain('thread-2021-upstream');
  });

  it('hash to the same scenario digest from the compiled events as from a fresh generation', () => {
    for (const name of PRESET_NAMES) {
      const r = loadPreset(name);
      if (!r.ok) throw new Error(name);
      const { events } = compilePacked(r.scenario);
      expect(scenarioDigest(r.scenario, events), name).toBe(scenarioDigest(r.scenario));
    }
  });
});
