/**
 * The inspector on the SNP host's own pages (kernels/snp-host.ts): what the page is, its RMP
 * entry as rmp_make_private() / rmp_mark_pages_firmware() left it, and the guest it serves.
 */
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../machine/apply';
import { Machine } from '../machine/machine';
import { GiB, MiB } from '../machine/units';
import { inspectFrame } from './inspect';

describe('inspector: the host pages of an SNP guest', () => {
  const m = new Machine({
    host: {
      ranges: [{ start: 0, end: 4 * GiB }],
      gbpages: true,
      allocator: 'buddy',
      kernelBytes: 64 * MiB,
      seed: 1,
    },
    kernel: 'upstream-2024',
    guests: [{ name: 'vm', memoryBytes: 64 * MiB, vcpus: 2, backing: 'thp', snp: true }],
  });
  applyEvent(m, { op: 'launch', guest: 0, gpa: 0, pfn: 0, sizeBytes: 0, via: 'user' });
  const page = (kind: string) => m.guests[0]!.hostPages.find((p) => p.kind === kind)!.pfn;
  const at = (pfn: number) => inspectFrame(m, m.log, pfn, 1, '');

  it.each([
    [
      'vmsa',
      'kernel: VMSA, vCPU 0',
      { assigned: true, vmsa: true, asid: 1, gpa: '0xfffffffff000' },
    ],
    ['context', 'firmware: SNP guest context page', { assigned: true, immutable: true, asid: 0 }],
    ['vmcb', 'kernel: VMCB, vCPU 0 (in use by the CPU while it runs)', { assigned: false }],
  ] as const)('a %s page: "%s", RMP %j', (kind, use, rmp) => {
    const f = at(page(kind));
    expect(f.use).toBe(use);
    expect(f.rmp).toMatchObject(rmp);
    expect(f.guest).toBe('vm');
  });

  it('the RMP table: reserved, not in the direct map', () => {
    const f = at(m.rmpTable!.start / 4096);
    expect([f.use, f.dmLevel]).toEqual(['rmp-table', null]);
  });
});
