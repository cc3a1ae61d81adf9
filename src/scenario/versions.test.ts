/**
 * Model versions in links (issue 14, "Compatibility": a model version in the link; where a link
 * records its final counters, show then and now) and link refusals (issue 16).
 */
import { describe, expect, it } from 'vitest';
import { MODEL_CHANGES } from './model-changes';
import { loadPreset } from './presets';
import { resolveSource } from './source';
import { decodeShareFragment, encodeShareFragment, MAX_FRAGMENT_CHARS } from './url';
import { MODEL_VERSION, modelChangesSince, nearestLinuxVersion } from './versions';

function scenarioLink(): string {
  const p = loadPreset('thread-2021');
  if (!p.ok) throw new Error('preset');
  return encodeShareFragment(p.scenario);
}

const codes = (fragment: string) => {
  const r = resolveSource({ kind: 'fragment', fragment });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r;
};

describe('the model version is the last MODEL_CHANGES version', () => {
  it('MODEL_VERSION = the newest entry', () => {
    expect(MODEL_VERSION).toBe(Math.max(...MODEL_CHANGES.map((c) => c.version)));
    expect(MODEL_VERSION).toBeGreaterThanOrEqual(2);
  });
});

describe('new links carry the model version (m=)', () => {
  it.each([['a preset link', encodeShareFragment({ preset: 'thread-2021' }, { step: 3 })]])(
    '%s',
    (_, fragment) => {
      expect(fragment).toContain(`&m=${MODEL_VERSION}`);
      expect(decodeShareFragment(fragment).model).toBe(MODEL_VERSION);
    },
  );
});

describe('a link without m= is model 1', () => {
  it.each([
    ['#preset=thread-2021', 1],
    ['#preset=thread-2021&m=2', 2],
    ['#preset=thread-2021&m=x', 1],
  ])('%s → model %d', (fragment, model) => {
    expect(decodeShareFragment(fragment).model).toBe(model);
  });
});

describe('an older model touching the link design opens with model-changed', () => {
  it.each([
    // [fragment, expects a model-changed repair]
    // A preset link opens today's preset: no older model to claim unless it recorded counters.
    ['#preset=thread-2021', false],
    ['#preset=thread-2021&kernel=rfc-2021', false],
    ['#preset=thread-2021&c=8192-2048-4194304', true],
    [`#preset=thread-2021&m=${MODEL_VERSION}`, false],
    // A written-out scenario without m= was made with model 1.
    [scenarioLink().replace(/&m=\d+/, ''), true],
  ])('%s → %s', (fragment, expected) => {
    const r = codes(fragment);
    const changed = r.repairs.find((x) => x.code === 'model-changed');
    expect(changed !== undefined).toBe(expected);
    if (changed) {
      expect(changed.text).toMatch(
        /^This link was made with model version 1; the model has changed since: .+\. The run shows today's model\./,
      );
    }
  });

  it('a link recording its counters (c=) says what they were then', () => {
    const r = codes('#preset=thread-2021&step=2&c=8192-2048-4194304');
    const changed = r.repairs.find((x) => x.code === 'model-changed');
    expect(changed?.value).toBe('8192-2048-4194304');
    expect(changed?.text).toMatch(/DirectMap4k 8,192 kB, DirectMap2M 2,048 kB, DirectMap1G/);
  });

  it('changes since a version list only those touching the design', () => {
    expect(modelChangesSince(MODEL_VERSION, 'rfc-2021')).toEqual([]);
    expect(modelChangesSince(1, 'not-a-design')).toEqual([]);
  });

  // Model 3 (2026-12-03): the SNP host's own RMP traffic (arch/x86/kvm/svm/sev.c
  // snp_safe_alloc_page, sev_gmem_post_populate; drivers/crypto/ccp/sev-dev.c sev_fw_alloc) and
  // guest_memfd's 2 MiB folios under the gmem RFCs.
  it.each([
    ['upstream-2024', /SNP host’s own RMP traffic/],
    ['gmem-thp-rfc', /2 MiB folios/],
    ['unmap-2023', /taken out of the direct map as well/],
    ['no-snp', /per-vCPU pages/],
  ])('a model-2 link on %s hears of model 3', (design, text) => {
    const since = modelChangesSince(2, design);
    expect(since.some((t) => text.test(t))).toBe(true);
    const v3 = MODEL_CHANGES.filter((c) => c.version === 3 && c.designs.includes(design));
    expect(since).toEqual(expect.arrayContaining(v3.map((c) => c.text)));
  });
});

describe('a newer link format (v=99) is refused, not run under version-1 rules', () => {
  it('refused with a link-newer repair carrying the version', () => {
    const r = codes('#v=99&s=abc');
    expect(r.resolved.kind).toBe('default');
    const newer = r.repairs.find((x) => x.code === 'link-newer');
    expect(newer?.value).toBe('99');
    expect(newer?.text).toMatch(/link format version 99 is not supported by this build/);
  });
});

describe('a truncated s= is reported as cut short, not invalid characters', () => {
  const full = encodeShareFragment({
    version: 2,
    host: { ram: '4G', gbpages: true, allocator: 'buddy', linux: '6.11', la57: false },
    kernel: 'upstream-2024',
    guests: [],
    events: [],
    captions: [],
  });
  const s = /s=([^&]+)/.exec(full)?.[1] ?? '';
  it.each([
    ['cut to an impossible base64 length', s.slice(0, s.length - (s.length % 4 === 1 ? 1 : 0) - 3)],
    ['cut mid-stream', s.slice(0, Math.floor(s.length / 2))],
  ])('%s', (_, cut) => {
    const d = decodeShareFragment(`#v=1&s=${cut}`);
    expect(d.errors[0]?.message).toContain(`looks cut short (${cut.length} characters, ends with`);
    expect(d.errors[0]?.message).not.toMatch(/base64url text/);
  });
  it('a wrong character is still named as such', () => {
    const d = decodeShareFragment('#v=1&s=ab*cd');
    expect(d.errors[0]?.message).toMatch(/base64url text/);
  });
});

describe('the decoder limit is exported for the writers', () => {
  it('MAX_FRAGMENT_CHARS is a million', () => expect(MAX_FRAGMENT_CHARS).toBe(1_000_000));
});

describe('an unknown host.linux uses the nearest known rule set at or below it', () => {
  it.each([
    ['6.15', '6.15'],
    ['6.12', '6.12'],
    ['6.14', '6.13'],
    ['7.0', '6.15'],
    ['4.19', '5.12'],
    ['6.11.3', '6.11'],
    ['6.12-rhel10', '6.12'],
  ])('%s → %s', (v, known) => expect(nearestLinuxVersion(v)).toBe(known));
});
