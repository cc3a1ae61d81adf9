/**
 * Scenario format 2 (issue 14, "Kernel versions" and "Compatibility"): host.linux and host.la57,
 * their validation, era defaults, the migration from version 1, the link codec and overrides.
 */
import { describe, expect, it } from 'vitest';
import { KERNEL_DESIGNS } from '../machine/events';
import { DESIGN_LINUX } from '../machine/linux';
import { compileScenario } from './compile';
import { scenarioDigest } from './digest';
import { eraLinux, linuxForKernel, linuxWarning } from './host-linux';
import { loadPreset, PRESET_NAMES } from './presets';
import { repairScenario } from './repair';
import { parseScenario } from './schema';
import { resolveSource } from './source';
import { compactScenario, decodeShareFragment, encodeShareFragment } from './url';
import { KNOWN_LINUX_VERSIONS } from './versions';

const v2 = (host: Record<string, unknown> = {}, kernel = 'upstream-2024') => ({
  version: 2,
  host: { ram: '4G', ...host },
  kernel,
});

const parsed = (input: unknown) => {
  const r = parseScenario(input);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r;
};

describe('each design defaults to its era kernel, which the model knows', () => {
  it.each(KERNEL_DESIGNS.map((k) => [k, DESIGN_LINUX[k]]))('%s → %s', (kernel, linux) => {
    const r = parsed(v2({}, kernel));
    expect(r.scenario.host.linux).toBe(linux);
    expect(r.warnings).toEqual([]);
    expect(KNOWN_LINUX_VERSIONS as readonly string[]).toContain(linux);
  });
  it('upstream-2024 is 6.11 (KVM SNP host support merged in 6.11, not 6.10)', () => {
    expect(eraLinux('upstream-2024')).toBe('6.11');
  });
});

describe('host.linux is validated field by field', () => {
  it.each([['six'], ['6'], [''], ['6.11 '], ['6.11-'], [6.11], ['1.2.3.4.5']])(
    '%j is refused with a host.linux message',
    (linux) => {
      const r = parseScenario(v2({ linux }));
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.errors[0]?.path).toBe('host.linux');
      expect(r.errors[0]?.message).toMatch(
        /^host\.linux: found .*; allowed: a kernel version such as "5\.17"/,
      );
    },
  );
  it.each([['6.15'], ['6.11.3'], ['6.12-rhel10'], ['6.15-rc2'], ['5.17']])(
    '%s is accepted',
    (linux) => {
      const r = parsed(v2({ linux }));
      expect(r.scenario.host.linux).toBe(linux);
      expect(r.warnings).toEqual([]);
    },
  );
  it('a bad host.linux is repaired to the era default, in words', () => {
    const r = repairScenario(v2({ linux: 'next' }, 'rfc-2021'));
    expect(r.scenario?.host.linux).toBe('5.12');
    expect(r.repairs[0]).toMatch(
      /^host\.linux: found "next"; .* → host\.linux reset to its default/,
    );
  });
});

describe('an unknown version falls back to the nearest known rule set, named', () => {
  it.each([
    ['6.9', '6.6'],
    ['6.14', '6.13'],
    ['7.2', '6.15'],
    ['4.19', '5.12'],
  ])('%s uses %s and says so', (linux, near) => {
    const r = parsed(v2({ linux }));
    expect(r.scenario.host.linux).toBe(linux);
    expect(r.warnings).toEqual([
      expect.stringContaining(`"${linux}" has no rule set of its own; the rules of ${near} apply`),
    ]);
  });
  it('an unknown variant of a known version says so too', () => {
    expect(linuxWarning('6.12-suse')).toMatch(
      /variant "suse" is not one the model knows; the rules of 6\.12 apply/,
    );
  });
  it('comes from a scenario load as the linux-nearest repair code', () => {
    const r = resolveSource({ kind: 'scenario', scenario: v2({ linux: '6.9' }) });
    expect(r.ok && r.repairs.map((x) => x.code)).toEqual(['linux-nearest']);
  });
  it('and from a link', () => {
    const r = resolveSource({ kind: 'fragment', fragment: '#preset=thread-2021&linux=6.14' });
    expect(r.ok && r.repairs.filter((x) => x.code === 'linux-nearest')).toHaveLength(1);
  });
});

describe('version 1 migrates to 2 and keeps its meaning', () => {
  it('a v1 scenario gets its era kernel and la57 off, with a migration note', () => {
    const r = parsed({ version: 1, host: { ram: '4G' }, kernel: 'unmap-2023' });
    expect(r.scenario.version).toBe(2);
    expect(r.scenario.host).toMatchObject({ linux: '6.6', la57: false });
    expect(r.warnings).toContain('migrated from version 1 to 2');
  });
  it('the digest of an era-default scenario is the one version 1 gave it', () => {
    const a = parsed({ version: 1, host: { ram: '4G' } }).scenario;
    const b = parsed(v2({ linux: '6.11' })).scenario;
    const c = parsed(v2({ linux: '6.15' })).scenario;
    expect(scenarioDigest(b)).toBe(scenarioDigest(a));
    expect(scenarioDigest(c)).not.toBe(scenarioDigest(a));
  });
  it.each(PRESET_NAMES.map((n) => [n]))('preset %s is version 2 and round-trips', (name) => {
    const p = loadPreset(name);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.scenario.version).toBe(2);
    expect(parsed(p.scenario).scenario).toEqual(p.scenario);
  });
});

describe('compile carries host.linux and la57 into the spec', () => {
  it.each([
    [v2(), '6.11', undefined],
    [v2({ linux: '6.15', la57: true }), '6.15', true],
  ])('%j', (input, linux, la57) => {
    const { spec } = compileScenario(parsed(input).scenario);
    expect(spec.host.linux).toBe(linux);
    expect(spec.host.la57).toBe(la57);
  });
});

describe('links: v=2, defaults left out, linux= overrides', () => {
  it('an era-default linux and la57 off are left out of s=', () => {
    const s = parsed(v2()).scenario;
    expect(compactScenario(s).host).toEqual({ ram: '4G' });
    const t = parsed(v2({ linux: '6.15', la57: true })).scenario;
    expect(compactScenario(t).host).toEqual({ ram: '4G', linux: '6.15', la57: true });
  });
  it.each([[v2()], [v2({ linux: '6.15', la57: true }, 'rfc-2021')]])('%j round-trips', (input) => {
    const s = parsed(input).scenario;
    const d = decodeShareFragment(encodeShareFragment(s, { step: 1 }));
    expect(d.scenario).toEqual(s);
    expect(encodeShareFragment(s)).toMatch(/^#v=2&s=/);
  });
  it('linux= sets host.linux; a kernel= override moves an era default along', () => {
    const d = decodeShareFragment('#preset=thread-2021&linux=6.15');
    expect(d.scenario?.host.linux).toBe('6.15');
    expect(d.baseScenario?.host.linux).toBe('5.12');
    const k = decodeShareFragment('#preset=thread-2021&kernel=upstream-2024');
    expect(k.scenario?.host.linux).toBe('6.11');
    const both = decodeShareFragment('#preset=thread-2021&kernel=upstream-2024&linux=6.1');
    expect(both.scenario?.host.linux).toBe('6.1');
    expect(encodeShareFragment({ preset: 'x' }, { linux: '6.15' })).toContain('&linux=6.15');
  });
  it('a malformed linux= is ignored, in words', () => {
    const d = decodeShareFragment('#preset=thread-2021&linux=latest');
    expect(d.scenario?.host.linux).toBe('5.12');
    expect(d.repairs).toContainEqual(
      expect.stringMatching(/^parameter linux="latest": not a kernel version/),
    );
  });
  it('a chosen linux stays when the kernel changes; an era default follows', () => {
    expect(linuxForKernel('5.12', 'rfc-2021', 'upstream-2024')).toBe('6.11');
    expect(linuxForKernel('6.15', 'rfc-2021', 'upstream-2024')).toBe('6.15');
  });
});
