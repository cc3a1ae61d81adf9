import { describe, expect, it } from 'vitest';
import { scenarioDigest } from './digest';
import { loadPreset } from './presets';
import {
  applyOverrides,
  overridesOf,
  type ResolvedSource,
  resolveScenarioArg,
  resolveSource,
} from './source';
import type { Scenario } from './types';
import { encodeShareFragment } from './url';

function preset(name = 'thread-2021'): Scenario {
  const p = loadPreset(name);
  if (!p.ok) throw new Error(name);
  return p.scenario;
}

function ok(r: ResolvedSource): Extract<ResolvedSource, { ok: true }> {
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r;
}

const noFile = (): string => {
  throw new Error('no such file');
};

describe('applyOverrides: the design replaces the scenario’s, the backing every guest’s (src/scenario/url.ts)', () => {
  it('returns the scenario itself when there is nothing to override', () => {
    const s = preset();
    const r = applyOverrides(s, {});
    expect(r.ok && r.scenario).toBe(s);
  });

  it.each([
    { o: { kernel: 'upstream-2024' as const }, kernel: 'upstream-2024', backing: 'thp' },
    { o: { backing: '4k' as const }, kernel: 'rfc-2021', backing: '4k' },
    {
      o: { kernel: 'sequester' as const, backing: 'hugetlbfs-2m' as const },
      kernel: 'sequester',
      backing: 'hugetlbfs-2m',
    },
  ])('applies $o', ({ o, kernel, backing }) => {
    const r = applyOverrides(preset(), o);
    if (!r.ok) throw new Error(r.errors.join());
    expect(r.scenario.kernel).toBe(kernel);
    expect(r.scenario.guests.every((g) => g.backing === backing)).toBe(true);
  });

  it('validates the result: 1G pages for a 256M guest are refused with the schema’s message', () => {
    const r = applyOverrides(preset(), { backing: 'hugetlbfs-1g' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toContain('hugetlbfs-1g needs a multiple of 1G');
  });

  it('overridesOf keeps only the present ones', () => {
    expect(overridesOf({})).toEqual({});
    expect(overridesOf({ kernel: 'no-snp', backing: undefined })).toEqual({ kernel: 'no-snp' });
  });
});

describe('resolveSource: a load source to the scenario to run', () => {
  it('a preset runs as written, shared as its name', () => {
    const r = ok(resolveSource({ kind: 'preset', preset: 'thread-2021' }));
    expect(scenarioDigest(r.scenario)).toBe(scenarioDigest(preset()));
    expect(r.base).toEqual(preset());
    expect(r.share).toEqual({ preset: 'thread-2021' });
    expect(r.overrides).toEqual({});
    expect(r.resolved).toEqual({ kind: 'preset', preset: 'thread-2021' });
    expect(r.repairs).toEqual([]);
  });

  it('a preset with the pickers’ overrides keeps the preset as the base', () => {
    const src = { kind: 'preset', preset: 'thread-2021', kernel: 'upstream-2024' } as const;
    const r = ok(resolveSource(src));
    expect(r.scenario.kernel).toBe('upstream-2024');
    expect(r.base.kernel).toBe('rfc-2021');
    expect(r.overrides).toEqual({ kernel: 'upstream-2024' });
  });

  it.each([
    [{ kind: 'preset', preset: 'nope' } as const, 'nope'],
    [{ kind: 'preset', preset: 'thread-2021', backing: 'hugetlbfs-1g' } as const, '1G'],
    [{ kind: 'scenario', scenario: { version: 1 } } as const, 'host'],
  ])('refuses %j with what is wrong', (src, word) => {
    const r = resolveSource(src);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toContain(word);
  });

  it('a scenario object runs as given; the schema’s warnings are its repairs', () => {
    const r = ok(resolveSource({ kind: 'scenario', scenario: preset() }));
    expect(r.share).toEqual(r.scenario);
    expect(r.resolved).toEqual({ kind: 'scenario' });
  });

  it('a preset link keeps its overrides apart from its view', () => {
    const frag = '#preset=thread-2021&kernel=sequester&step=3&layer=rmp&sel=512';
    const r = ok(resolveSource({ kind: 'fragment', fragment: frag }));
    expect(r.scenario.kernel).toBe('sequester');
    expect(r.base.kernel).toBe('rfc-2021');
    expect(r.overrides).toEqual({ kernel: 'sequester' });
    expect(r.view).toEqual({ step: 3, layer: 'rmp', sel: 512 });
    expect(r.share).toEqual({ preset: 'thread-2021' });
    expect(r.resolved).toEqual({ kind: 'link', preset: 'thread-2021', repaired: false });
  });

  it('a scenario link is shared as its scenario before the overrides', () => {
    const frag = encodeShareFragment(preset(), { backing: '4k' });
    const r = ok(resolveSource({ kind: 'fragment', fragment: frag }));
    expect(r.scenario.guests[0]?.backing).toBe('4k');
    expect(r.share).toEqual(preset());
    expect(r.resolved).toEqual({ kind: 'link', repaired: false });
  });

  it('drops a layer that is not a map layer, and says so', () => {
    const r = ok(resolveSource({ kind: 'fragment', fragment: '#preset=thread-2021&m=2&layer=x' }));
    expect(r.view).toEqual({});
    expect(r.repairs).toEqual([
      { code: 'layer-ignored', text: 'parameter layer="x": not a map layer, ignored' },
    ]);
  });

  it('repairs a link whose scenario is invalid, the count of problems first', () => {
    const s = preset();
    const broken = { ...s, guests: [{ ...s.guests[0]!, backing: 'hugetlb' }] };
    const r = ok(
      resolveSource({ kind: 'fragment', fragment: encodeShareFragment(broken as never) }),
    );
    expect(r.repairs[0]?.code).toBe('link-invalid');
    expect(r.repairs[0]?.text).toMatch(
      /^the link's scenario had 1 problem\(s\): guests\[0\]\.backing/,
    );
    expect(r.resolved).toEqual({ kind: 'link', repaired: true });
  });

  it('opens the default preset for a link without a scenario, keeping its view', () => {
    const r = ok(resolveSource({ kind: 'fragment', fragment: '#step=2' }));
    expect(r.resolved).toEqual({ kind: 'default', preset: 'thread-2021' });
    expect(r.view).toEqual({ step: 2 });
    expect(r.repairs).toEqual([]);
  });

  it('opens the default preset for a broken link, dropping its view and saying why last', () => {
    const r = ok(resolveSource({ kind: 'fragment', fragment: '#v=1&s=AAAA&step=3' }));
    expect(r.resolved).toEqual({ kind: 'default', preset: 'thread-2021' });
    expect(r.view).toEqual({});
    expect(r.repairs.at(-1)).toEqual({
      code: 'link-unusable',
      text: 'the link could not be used: opened the default preset "thread-2021" instead',
    });
  });
});

describe('resolveScenarioArg: what the CLI accepts', () => {
  it.each([
    ['thread-2021', 'thread-2021'],
    ['#preset=thread-2021-ban&step=2', 'thread-2021-ban'],
    ['https://example.org/#preset=thread-2021', 'thread-2021'],
  ])('%s names preset %s', (arg, name) => {
    const r = resolveScenarioArg(arg, noFile);
    expect(r.ok && r.preset).toBe(name);
  });

  it.each([
    ['#step=2', 'the link holds no scenario'],
    ['#v=1&s=AAAA', 'looks cut short (4 characters, ends with AAAA)'],
    ['missing.json', 'cannot read "missing.json" (no such file)'],
  ])('%s is an error: %s', (arg, text) => {
    const r = resolveScenarioArg(arg, noFile);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toContain(text);
  });

  it('accepts a link that needs repairs only when asked to', () => {
    const s = preset();
    const broken = { ...s, guests: [{ ...s.guests[0]!, backing: 'hugetlb' }] };
    const frag = encodeShareFragment(broken as never);
    const strict = resolveScenarioArg(frag, noFile);
    expect(!strict.ok && strict.errors.some((e) => e.startsWith('would repair: '))).toBe(true);
    const lenient = resolveScenarioArg(frag, noFile, { repair: true });
    expect(lenient.ok && lenient.warnings.length).toBeGreaterThan(0);
  });

  it('reads a file and names it in errors', () => {
    const r = resolveScenarioArg('a.json', () => '{"version": 1}');
    expect(!r.ok && r.errors[0]).toMatch(/^a\.json: /);
  });
});
