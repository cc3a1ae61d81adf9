import { describe, expect, it } from 'vitest';
import type { Machine } from '../machine/machine';
import { OUTCOME_KINDS, type Outcome } from '../machine/outcomes';
import { directMapVa, logMessage, logText, outcomeLine, outcomeMessage, stamp } from './outcomes';

const m = { guests: [{ spec: { name: 'vm0' } }], spec: { host: {} } } as unknown as Machine;

function outcome(o: Partial<Outcome>): Outcome {
  return {
    step: 4,
    kind: 'dm-split',
    rule: 'rfc.presplit',
    guest: 0,
    pfn: 0x200,
    gpa: 0x5000,
    detail: 0,
    ...o,
  };
}

describe('outcome text: both wordings from one module', () => {
  it('every outcome kind has its own words in both (no fallback text)', () => {
    for (const kind of OUTCOME_KINDS) {
      const o = outcome({ kind });
      expect(outcomeMessage(m, o)).not.toContain('(rfc.presplit)');
      expect(logText(o, 'vm0')).not.toBe(`${kind} (rfc.presplit)`);
    }
  });

  it.each([
    // Documentation/arch/x86/x86_64/mm.rst: the direct map starts at 0xffff888000000000.
    [0, '0xffff888000000000'],
    [0x200000, '0xffff888000200000'],
    // 16 TiB up: 0xffff888000000000 + 0x100000000000.
    [2 ** 44, '0xffff988000000000'],
  ])('directMapVa(%d) = %s', (phys, va) => {
    expect(directMapVa(phys)).toBe(va);
  });

  it('a step is stamped like dmesg: six columns in the log and the report, seven in the CLI', () => {
    expect(stamp(4)).toBe('[     4]');
    expect(logMessage(outcome({}), 'vm0')).toBe(
      '[     4] x86/mm: direct map split 2M→4K at 0x200000 (set_memory_4k)',
    );
    expect(outcomeLine(m, outcome({}))).toBe(
      '[      4] direct map: split 2M → 512 x 4K at phys 0x200000-0x400000  [rfc.presplit]',
    );
  });

  it('a not-present direct-map fault names the address as %px prints it (no 0x)', () => {
    const o = outcome({ kind: 'host-oops', rule: 'unmap.invalidate', pfn: 0x10 });
    expect(outcomeMessage(m, o)).toBe(
      'BUG: unable to handle page fault for address: ffff888000010000 - not-present page (PFN 0x10)',
    );
  });
});
