/**
 * Outcomes as the outcome log shows them: one dmesg-like line each, with the step number as the
 * timestamp and, where the kernel prints something, its wording (#PF error_code(0x80000007) -
 * RMP violation, show_fault_oops in arch/x86/mm/fault.c; SEV-SNP: messages from
 * arch/x86/virt/svm/sev.c).
 */
import type { Machine } from '../machine/machine';
import type { Outcome } from '../machine/outcomes';
import type { OutcomeRow } from './protocol';

const PAGE_OFFSET = 0xffff888000000000n;

export const hex = (n: number): string => `0x${n.toString(16)}`;

/** Direct-map virtual address of a physical address. */
export function directMapVa(physBytes: number): string {
  return `0x${(PAGE_OFFSET + BigInt(physBytes)).toString(16)}`;
}

/** The kernel function a splitting rule stands for, as dmesg readers know it. */
const SPLIT_CALLER: Record<string, string> = {
  'upstream.adjust_direct_map': 'adjust_direct_map',
  'rfc.presplit': 'set_memory_4k',
  'unmap.invalidate': 'set_direct_map_invalid_noflush',
};

const KILL_REASON: Record<string, string> = {
  'rfc.hugetlb_sigbus': 'hugetlbfs cannot split',
  'rmp.user_private': 'VMM wrote a guest-private page',
};

function errorCode(code: number): string {
  return `error_code(0x${code.toString(16).padStart(code >= 2 ** 31 ? 8 : 4, '0')})`;
}

export function stamp(step: number): string {
  return `[${String(step).padStart(6, ' ')}]`;
}

function text(o: Outcome, guest: string): string {
  const at = o.pfn >= 0 ? hex(o.pfn * 4096) : '?';
  const pfn = o.pfn >= 0 ? hex(o.pfn) : '?';
  const gpa = o.gpa >= 0 ? hex(o.gpa) : null;
  switch (o.kind) {
    case 'dm-split': {
      const what = o.detail === 1 ? '1G→2M' : '2M→4K';
      return `x86/mm: direct map split ${what} at ${at} (${SPLIT_CALLER[o.rule] ?? o.rule})`;
    }
    case 'rmp-fault': {
      const user = o.detail % 8 >= 4;
      const who = user ? `user write by ${guest}'s VMM` : 'kernel write via the direct map';
      const where = gpa !== null ? ` to GPA ${gpa}` : '';
      return `SEV-SNP: RMP violation: ${who}${where} (PFN ${pfn}), #PF: ${errorCode(o.detail)}`;
    }
    case 'host-oops': {
      const va = o.pfn >= 0 ? directMapVa(o.pfn * 4096) : '?';
      const why = o.detail >= 2 ** 31 ? 'RMP violation' : 'not-present page';
      return `BUG: unable to handle page fault for address: ${va}, #PF: ${errorCode(o.detail)} - ${why}`;
    }
    case 'thp-split':
      return `kvm: ${guest}: THP split: huge PMD at GPA ${gpa ?? '?'} split to 4K (split_huge_pmd)`;
    case 'sigbus':
      return `kvm: ${guest}: SIGBUS on write to GPA ${gpa ?? '?'} (PFN ${pfn})`;
    case 'guest-killed':
      return `kvm: guest ${guest} killed: SIGBUS (${KILL_REASON[o.rule] ?? o.rule})`;
    case 'launch-refused':
      return `kvm: guest ${guest}: launch refused: hugetlbfs memory cannot be registered`;
    case 'psmash':
      return `SEV-SNP: PSMASH 2M RMP entry at PFN ${pfn}`;
    case 'rmpupdate-fail':
      return `SEV-SNP: RMPUPDATE failed for PFN ${pfn}, ${o.detail === 2 ? '2M' : '4K'} (FAIL_OVERLAP)`;
    case 'dm-unmap':
      return `x86/mm: ${o.detail} pages removed from the direct map at ${at} (set_direct_map_invalid_noflush)`;
    case 'double-backed':
      return `qemu: ${guest}: GPA ${gpa ?? '?'} backed twice (${o.detail} pages kept by ${o.rule === 'seq.move' ? 'the sequestered area' : 'hugetlbfs'})`;
    case 'folio-split':
      return `kvm: ${guest}: guest_memfd ${o.detail === 18 ? '1G' : '2M'} folio split at GPA ${gpa ?? '?'}`;
    case 'oom':
      return `kvm: ${guest}: out of host memory (${o.detail} pages)`;
    case 'ignored':
      return `kvm: ${guest}: event ignored (guest not running)`;
    case 'launch':
      return `kvm: guest ${guest} launched: ${(o.detail * 4096) / 2 ** 20} MiB registered`;
    case 'exit':
      return `kvm: guest ${guest} exited: ${o.detail} pages reclaimed`;
    default:
      return `${o.kind} (${o.rule})`;
  }
}

export function outcomeRow(m: Machine, index: number, o: Outcome): OutcomeRow {
  const name = o.guest >= 0 ? (m.guests[o.guest]?.spec.name ?? `g${o.guest}`) : null;
  return {
    index,
    step: o.step,
    kind: o.kind,
    rule: o.rule,
    guest: name,
    pfn: o.pfn,
    gpa: o.gpa,
    message: `${stamp(o.step)} ${text(o, name ?? 'host')}`,
  };
}
