/**
 * 5-level paging (host.la57, issue 14): the direct map starts at 0xff11000000000000
 * (__PAGE_OFFSET_BASE_L5 in arch/x86/include/asm/page_64_types.h) instead of
 * 0xffff888000000000, ptdump prints p4d lines for empty p4d entries (ptdump_hole() at depth 1,
 * mm/ptdump.c), and a walk visits a p4d table. Nothing else changes.
 */
import { describe, expect, it } from 'vitest';
import { formatPtdump } from '../formats/ptdump';
import { applyEvent } from '../machine/apply';
import { Machine } from '../machine/machine';
import { compileScenario, parseScenario } from '../scenario/index';
import { inspectFrame, ptdumpLineOf, tableWalk } from '../worker/inspect';
import { outcomeRow } from '../worker/messages';
import { metricsOf } from './metrics';
import { directMapEntries } from './report';

function machine(la57: boolean): Machine {
  const r = parseScenario({
    version: 2,
    host: {
      ranges: [
        ['0x0', '0x9f000'],
        ['0x40000000', '0x100000000'],
      ],
      kernelMemory: '64M',
      la57,
      // The t≈0 layout: the guest's first page is then the first frame at 1 GiB.
      boot: 'bare',
    },
    kernel: 'unmap-2023',
    guests: [{ name: 'vm', memory: '64M', vcpus: 1, backing: '4k' }],
    events: [
      { op: 'launch', guest: 'vm' },
      { op: 'accept', guest: 'vm', gpa: '0x0' },
      { op: 'hv-write', guest: 'vm', gpa: '0x0', via: 'direct-map' },
    ],
  });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  const { spec, events } = compileScenario(r.scenario);
  const m = new Machine(spec);
  for (const e of events) applyEvent(m, e);
  return m;
}

const ptdump = (m: Machine) =>
  formatPtdump(directMapEntries(m), { fiveLevel: m.spec.host.la57 === true });

describe('host.la57: the direct map at 0xff11000000000000 with a p4d level', () => {
  it.each([
    [false, '0xffff888000000000', false],
    [true, '0xff11000000000000', true],
  ] as const)('la57 %s: ptdump starts at %s, p4d lines %s', (la57, base, p4d) => {
    const text = ptdump(machine(la57));
    expect(text.split('\n')[1]).toMatch(new RegExp(`^${base}-`));
    expect(/ p4d$/m.test(text)).toBe(p4d);
    // 5-level: the rest of the first 256 TiB pgd entry is empty p4d entries.
    if (la57)
      expect(text).toContain(
        '0xff11008000000000-0xff12000000000000      261632G                               p4d',
      );
  });

  it.each([
    [false, 0xffff888000000000n],
    [true, 0xff11000000000000n],
  ] as const)('la57 %s: the inspector and the oops use the direct map base %s', (la57, base) => {
    const m = machine(la57);
    // The guest's private page, after the SNP host's own pages (snp-host.ts) in the same 2 MiB.
    const pfn = m.guests[0]!.gmemMap.get(0);
    const va = `0x${(base + BigInt(pfn) * 4096n).toString(16)}`;
    const lines = ptdump(m).trimEnd().split('\n');
    const line = ptdumpLineOf(lines, pfn, la57);
    expect(line.startsWith(`0x${base.toString(16).slice(0, 6)}`)).toBe(true);
    const f = inspectFrame(m, m.log, pfn, m.step, line);
    expect(f.directMapVa).toBe(va);
    expect(f.tableWalk).toBe(
      la57
        ? 'pgd → p4d → pud → pmd → pte (4K, not present) (5-level paging)'
        : 'pgd → pud → pmd → pte (4K, not present) (4-level paging, p4d folded)',
    );
    const oops = Array.from({ length: m.log.length }, (_, i) => m.log.get(i)).findIndex(
      (o) => o.kind === 'host-oops',
    );
    expect(outcomeRow(m, oops, m.log.get(oops)).message).toContain(va);
  });

  it('changes no counter', () => {
    expect(metricsOf(machine(true))).toEqual(metricsOf(machine(false)));
  });

  it.each([
    ['1G', false, 'pgd → pud (1G leaf) (4-level paging, p4d folded)'],
    ['1G', true, 'pgd → p4d → pud (1G leaf) (5-level paging)'],
    ['2M', true, 'pgd → p4d → pud → pmd (2M leaf) (5-level paging)'],
    [null, true, 'pgd → p4d → pud → … (not mapped; 5-level paging)'],
  ] as const)('tableWalk(%s, la57 %s) = %s', (level, la57, want) => {
    expect(tableWalk(level, la57)).toBe(want);
  });
});
