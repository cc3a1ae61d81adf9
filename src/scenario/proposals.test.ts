/**
 * The proposals' scenario fields (format version 2, additive): `guests[].gmemNoDirectMap`
 * (GUEST_MEMFD_FLAG_NO_DIRECT_MAP, lore 20260114134510.1835-8-kalyazin@amazon.com) and
 * `host.gfpUnmapped` (__GFP_UNMAPPED, lore 20230308094106.227365-1-rppt@kernel.org). Off by
 * default and left out of a parsed scenario; the design decides which guests may have the first
 * (kernels/caps.ts: kvm_arch_gmem_supports_no_direct_map() refuses SNP and TDX VMs).
 */
import { describe, expect, it } from 'vitest';
import { compileScenario } from './compile';
import { parseScenario } from './schema';

const base = (kernel: string, snp: boolean, extra: Record<string, unknown> = {}) => ({
  version: 2,
  host: { ram: '4G', gbpages: true, allocator: 'buddy' },
  kernel,
  guests: [{ name: 'vm', memory: '64M', vcpus: 1, backing: '4k', snp, ...extra }],
});

describe('guests[].gmemNoDirectMap', () => {
  it.each([
    ['upstream-2024', true, false],
    ['unmap-2023', true, false],
    ['rfc-2021', true, false],
    ['upstream-2024', false, true],
    ['no-snp', true, true],
    ['no-snp', false, true],
  ] as const)('kernel %s, snp %s: accepted = %s', (kernel, snp, ok) => {
    const r = parseScenario(base(kernel, snp, { gmemNoDirectMap: true }));
    expect(r.ok).toBe(ok);
    if (!r.ok) {
      expect(r.errors[0]?.path).toBe('guests[0].gmemNoDirectMap');
      expect(r.errors[0]?.message).toMatch(/gmemNoDirectMap.*KVM_X86_SNP_VM/);
    } else {
      expect(r.scenario.guests[0]?.gmemNoDirectMap).toBe(true);
      expect(compileScenario(r.scenario).spec.guests[0]?.gmemNoDirectMap).toBe(true);
    }
  });

  it('is left out when false, so existing scenarios and their digests do not change', () => {
    const r = parseScenario(base('upstream-2024', true, { gmemNoDirectMap: false }));
    expect(r.ok && 'gmemNoDirectMap' in r.scenario.guests[0]!).toBe(false);
    expect(r.ok && 'gmemNoDirectMap' in compileScenario(r.scenario).spec.guests[0]!).toBe(false);
  });

  it('rejects a non-boolean, naming the field', () => {
    const r = parseScenario(base('no-snp', false, { gmemNoDirectMap: 'yes' }));
    expect(!r.ok && r.errors[0]?.message).toMatch(/^guests\[0\]\.gmemNoDirectMap: .*true or false/);
  });

  it('warns that a non-4k backing is ignored (guest_memfd folios are 4K)', () => {
    const r = parseScenario(base('no-snp', false, { gmemNoDirectMap: true, backing: 'thp' }));
    expect(r.warnings.join('\n')).toMatch(/guests\[0\]\.backing: .*guest_memfd/);
  });
});

describe('host.gfpUnmapped', () => {
  it('round-trips when true and is left out when false', () => {
    const on = parseScenario({ ...base('no-snp', false), host: { ram: '4G', gfpUnmapped: true } });
    expect(on.ok && on.scenario.host.gfpUnmapped).toBe(true);
    expect(on.ok && compileScenario(on.scenario).spec.host.gfpUnmapped).toBe(true);
    if (on.ok)
      expect(parseScenario(on.scenario)).toMatchObject({ ok: true, scenario: on.scenario });
    const off = parseScenario({
      ...base('no-snp', false),
      host: { ram: '4G', gfpUnmapped: false },
    });
    expect(off.ok && 'gfpUnmapped' in off.scenario.host).toBe(false);
  });

  it('rejects a non-boolean, naming the field', () => {
    const r = parseScenario({ ...base('no-snp', false), host: { ram: '4G', gfpUnmapped: 1 } });
    expect(!r.ok && r.errors[0]?.message).toMatch(/^host\.gfpUnmapped: /);
  });
});
