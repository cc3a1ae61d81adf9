/**
 * Goldens for the audit cases of issue 14 about the SNP host's own RMP traffic and huge
 * guest_memfd folios, as readable dumps (src/sim/fixtures/golden/audit-*.txt; UPDATE_GOLDEN=1
 * rewrites them) plus the claim each one makes, checked directly.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMeminfo, formatVmstat } from '../formats/meminfo';
import { lastOutcomeLines } from '../formats/outcomes';
import { applyEvent } from '../machine/apply';
import { Machine } from '../machine/machine';
import { PAGES_PER_2M } from '../machine/units';
import { compileScenario, parseScenario } from '../scenario/index';
import { machineDigest } from './digest';
import { metricsOf } from './metrics';

const DIR = join(import.meta.dirname, 'fixtures', 'golden');

function golden(name: string, text: string): void {
  const path = join(DIR, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(path, text);
    return;
  }
  expect(text).toBe(readFileSync(path, 'utf8'));
}

function machine(scenario: unknown): { m: Machine; steps: number } {
  const r = parseScenario(scenario);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  const { spec, events } = compileScenario(r.scenario);
  const m = new Machine(spec);
  for (const e of events) applyEvent(m, e);
  return { m, steps: events.length };
}

function dump(title: string, m: Machine): string {
  const metrics = metricsOf(m);
  return [
    `# ${title}`,
    `kernel: ${m.spec.kernel}; steps: ${m.step}`,
    '',
    '## /proc/meminfo',
    formatMeminfo(metrics.meminfo, m.spec.host.gbpages).trimEnd(),
    '',
    '## /proc/vmstat',
    formatVmstat(metrics.vmstat).trimEnd(),
    '',
    '## outcomes',
    ...lastOutcomeLines(m, Number.POSITIVE_INFINITY),
    '',
    `## host pages of the guest: ${m.guests[0]!.hostPages.map((p) => `${p.kind}@0x${p.pfn.toString(16)}`).join(' ')}`,
    `## counts: ${JSON.stringify(metrics.outcomes)}`,
    `## digest: ${machineDigest(m)}`,
    '',
  ].join('\n');
}

// The bare t≈0 layout (but for the SNP host's own traffic): the audit case's own splits only.
const host = { ram: '16G', kernelMemory: '256M', boot: 'bare' };

describe('golden: issue 14 audit cases (the SNP host, huge folios)', () => {
  it('a 4K accept under gmem-thp-rfc splits nothing and PSMASHes once', () => {
    const base = {
      version: 1,
      host,
      kernel: 'gmem-thp-rfc',
      guests: [{ name: 'vm', memory: '1G', vcpus: 1, backing: 'thp' }],
      events: [{ op: 'launch', guest: 'vm' }],
    };
    const launched = machine(base).m;
    const { m } = machine({
      ...base,
      events: [...base.events, { op: 'accept', guest: 'vm', gpa: '0x0', size: '4K' }],
    });
    expect(m.dm.level2Splits).toBe(launched.dm.level2Splits);
    expect(m.dm.level3Splits).toBe(launched.dm.level3Splits);
    expect(m.count('psmash') - launched.count('psmash')).toBe(1);
    expect(m.log.get(m.log.length - 1).rule).toBe('rmp.npf.sizem');
    golden('audit-gmem-thp-4k-accept', dump('a 4K accept under gmem-thp-rfc', m));
  });

  it('launching an 8-vCPU SNP guest splits the regions its VMSA and firmware pages land in', () => {
    const { m } = machine({
      version: 1,
      host,
      kernel: 'upstream-2024',
      guests: [{ name: 'vm', memory: '4G', vcpus: 8, backing: 'thp' }],
      events: [{ op: 'launch', guest: 'vm' }],
    });
    const pages = m.guests[0]!.hostPages;
    const rmp = pages.filter((p) => ['vmsa', 'context', 'guest-resp', 'image'].includes(p.kind));
    expect(rmp.filter((p) => p.kind === 'vmsa').length).toBe(8);
    const regions = new Set(rmp.map((p) => Math.floor(p.pfn / PAGES_PER_2M)));
    for (const r of regions) expect(m.dm.regionLevel(r)).toBe('4K');
    // Each region that was not 4K at boot (the first 2 MiB is) was split, by the launch (step 1)
    // or, for the TMR's region, when kvm_amd loaded.
    const boot = new Machine(m.spec);
    const split = new Set<number>();
    for (let i = 0; i < m.log.length; i++) {
      const o = m.log.get(i);
      if (o.kind === 'dm-split' && o.detail === 0) split.add(Math.floor(o.pfn / PAGES_PER_2M));
    }
    const large = [...regions].filter((r) => r > 0);
    expect(large.length).toBeGreaterThan(0);
    for (const r of large)
      expect([r, split.has(r) || boot.dm.regionLevel(r) === '4K']).toEqual([r, true]);
    const rules = new Set(
      Array.from({ length: m.log.length }, (_, i) => m.log.get(i))
        .filter((o) => o.step === 1 && o.kind === 'dm-split')
        .map((o) => o.rule),
    );
    expect([...rules].every((r) => r.startsWith('snp.'))).toBe(true);
    golden('audit-snp-launch-8vcpu', dump('launching an 8-vCPU SNP guest (upstream-2024)', m));
  });
});
