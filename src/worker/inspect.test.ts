import { describe, expect, it } from 'vitest';
import { applyEvent } from '../machine/apply';
import { Machine } from '../machine/machine';
import { GiB, MiB } from '../machine/units';
import { splitProvenance } from './inspect';

function run(linux: string, op: 'bpf-load' | 'module-load' | 'secretmem', size: number) {
  const m = new Machine({
    host: {
      ranges: [
        { start: 0, end: 0x9f000 },
        { start: 4 * GiB, end: 8 * GiB },
      ],
      gbpages: true,
      allocator: 'buddy',
      kernelBytes: 64 * MiB,
      seed: 1,
      linux,
    },
    kernel: 'no-snp',
    guests: [],
  });
  applyEvent(m, { op, guest: 0, gpa: 0, pfn: 0, sizeBytes: size, via: 'user' });
  const pfn = m.log.get(m.log.length - 1).pfn;
  return splitProvenance(m, m.log, pfn, m.step);
}

describe('the inspector says who split a region, by which call, at which step, and if it heals', () => {
  it.each([
    ['bpf on 5.17', '5.17', 'bpf-load', 1, 'bpf', 'set_memory_ro', 'set_memory_ro', false],
    // The ROX cache's 2 MiB block split the 1 GiB; the module's rodata split the region.
    [
      'a module on 6.15',
      '6.15',
      'module-load',
      200 * 1024,
      'module',
      'set_memory_rox',
      'set_memory_ro',
      true,
    ],
    [
      'secretmem on 6.5',
      '6.5',
      'secretmem',
      4096,
      'secretmem',
      'set_direct_map_invalid_noflush',
      'set_direct_map_invalid_noflush',
      false,
    ],
  ] as const)('%s', (_, linux, op, size, cause, pudCall, call, canHeal) => {
    const p = run(linux, op, size);
    expect(p.pud).toMatchObject({ cause, call: pudCall, step: 1 });
    expect(p.pmd).toMatchObject({ cause, call, step: 1, canHeal });
  });
});
