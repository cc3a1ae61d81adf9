/**
 * Outcomes as text, in one place: the kernel-log-like message of the CLI, the golden fixtures
 * and the mailing-list report (outcomeMessage, outcomeLine), and the app's outcome log rows
 * (logMessage: kernel wording where the kernel prints something: #PF error_code(0x80000007) -
 * RMP violation, show_fault_oops in arch/x86/mm/fault.c; SEV-SNP: messages from
 * arch/x86/virt/svm/sev.c). The two wordings differ and both are pinned (the goldens and the
 * CLI tests, the host tests and the e2e log specs), so both live here, on the same helpers.
 */
import type { Machine } from '../machine/machine';
import type { Outcome } from '../machine/outcomes';
import {
  formatSize,
  hex,
  MiB,
  PAGE_OFFSET,
  PAGE_OFFSET_LA57,
  PAGE_SIZE,
  PMD_SIZE,
  PUD_SIZE,
} from '../machine/units';

/** Direct-map virtual address of a physical address, as the kernel prints it (0x…). */
/**
 * The direct-map virtual address of a physical byte: page_offset_base + phys, with the 4-level
 * base 0xffff888000000000 or, with 5-level paging (`la57`), 0xff11000000000000
 * (__PAGE_OFFSET_BASE_L4 / _L5 in arch/x86/include/asm/page_64_types.h).
 */
export function directMapVa(physBytes: number, la57 = false): string {
  return `0x${((la57 ? PAGE_OFFSET_LA57 : PAGE_OFFSET) + BigInt(physBytes)).toString(16)}`;
}

/** A step as a dmesg timestamp: "[     4]", right-aligned in `width` columns. */
export function stamp(step: number, width = 6): string {
  return `[${String(step).padStart(width, ' ')}]`;
}

/** A guest's name, or `guest <i>` for an index the machine does not have. */
function guestName(m: Machine, i: number): string {
  return m.guests[i]?.spec.name ?? `guest ${i}`;
}

function gpaText(o: Outcome): string {
  return o.gpa >= 0 ? ` GPA ${hex(o.gpa)}` : '';
}

/**
 * One outcome as a kernel-log-like message, without the step prefix: the wording of the CLI,
 * the golden fixtures and the mailing-list report.
 */
export function outcomeMessage(m: Machine, o: Outcome): string {
  const who = o.guest >= 0 ? `${guestName(m, o.guest)}: ` : '';
  const pfn = hex(o.pfn);
  switch (o.kind) {
    case 'dm-split': {
      const size = o.detail === 1 ? PUD_SIZE : PMD_SIZE;
      const what = o.detail === 1 ? '1G → 512 x 2M' : '2M → 512 x 4K';
      const phys = o.pfn * PAGE_SIZE;
      return `direct map: split ${what} at phys ${hex(phys)}-${hex(phys + size)}`;
    }
    case 'rmp-fault': {
      const user = o.detail % 8 >= 4 ? 'user' : 'kernel';
      return `${who}#PF: error_code(0x${o.detail.toString(16)}) - RMP violation, ${user} write to PFN ${pfn}${gpaText(o)}`;
    }
    case 'thp-split':
      return `${who}THP mapping of GPA ${hex(o.gpa)} (2 MiB) split to 4K, PFN ${pfn}`;
    case 'sigbus':
      return `${who}SIGBUS (RMP fault cannot be resolved) at${gpaText(o)}, PFN ${pfn}`;
    case 'guest-killed':
      return `${who}guest killed`;
    case 'launch-refused':
      return `${who}launch refused: memory registration failed`;
    case 'psmash':
      return `PSMASH: 2M RMP entry at PFN ${pfn} split into 512 x 4K`;
    case 'host-oops':
      if (o.rule === 'unmap.invalidate')
        // %px: the address in hex without 0x.
        return `BUG: unable to handle page fault for address: ${directMapVa(o.pfn * PAGE_SIZE, m.spec.host.la57).slice(2)} - not-present page (PFN ${pfn})`;
      return `Oops: kernel write to PFN ${pfn} through the direct map - RMP violation`;
    case 'rmpupdate-fail':
      return `RMPUPDATE failed for PFN ${pfn} (${o.detail === 2 ? '2M' : '4K'}): FAIL_OVERLAP`;
    case 'dm-unmap':
      return `direct map: ${o.detail} page(s) from PFN ${pfn} removed (not present)`;
    case 'double-backed':
      return `${who}GPA ${hex(o.gpa)}: ${o.detail} page(s) backed twice (shared copy at PFN ${pfn})`;
    case 'folio-split':
      return `${who}guest_memfd folio of order ${o.detail} at PFN ${pfn} split${gpaText(o)}`;
    case 'oom':
      return `${who}out of host memory (${o.detail} page(s))${gpaText(o)}`;
    case 'ignored':
      return `${who}event ignored${o.pfn >= 0 ? ` (PFN ${pfn})` : ''}${gpaText(o)}`;
    case 'launch':
      return `${who}launched, ${formatSize(o.detail * PAGE_SIZE)} of guest RAM registered`;
    case 'exit':
      return `${who}exited, ${formatSize(o.detail * PAGE_SIZE)} of guest RAM reclaimed`;
    case 'dm-collapse': {
      const size = o.detail === 1 ? PUD_SIZE : PMD_SIZE;
      const what = o.detail === 1 ? '512 x 2M → 1G' : '512 x 4K → 2M';
      const phys = o.pfn * PAGE_SIZE;
      return `direct map: collapse ${what} at phys ${hex(phys)}-${hex(phys + size)}`;
    }
  }
}

/** "[   step] message  [rule]", the step right-aligned in 7 columns like dmesg's timestamp. */
export function outcomeLine(m: Machine, o: Outcome): string {
  return `${stamp(o.step, 7)} ${outcomeMessage(m, o)}  [${o.rule}]`;
}

/** The last `n` outcome lines logged up to the machine's step (all when n is Infinity). */
export function lastOutcomeLines(m: Machine, n: number): string[] {
  const end = m.log.lowerBound(m.step + 1);
  const start = Math.max(0, end - n);
  const lines: string[] = [];
  for (let i = start; i < end; i++) lines.push(outcomeLine(m, m.log.get(i)));
  return lines;
}

/** The kernel function a splitting rule stands for, as dmesg readers know it. */
const SPLIT_CALLER: Record<string, string> = {
  'upstream.adjust_direct_map': 'adjust_direct_map',
  'rfc.presplit': 'set_memory_4k',
  'unmap.invalidate': 'set_direct_map_invalid_noflush',
  'bpf.jit': 'bpf_jit_binary_lock_ro',
  'bpf.pack': 'bpf_prog_pack_alloc',
  'module.rwx': 'module_enable_rodata_ro',
  'module.rox_cache': 'execmem_cache_populate',
  'kfence.pool': 'kfence_init_pool',
  'secretmem.fault': 'secretmem_fault',
  'hwpoison.nospec': 'set_mce_nospec',
  'ttm.caching': 'ttm_pool_alloc',
  'boot.rodata': 'mark_rodata_ro',
  'boot.iommu': 'iommu_alloc_4k_pages',
};

const KILL_REASON: Record<string, string> = {
  'rfc.hugetlb_sigbus': 'hugetlbfs cannot split',
  'rmp.user_private': 'VMM wrote a guest-private page',
};

function errorCode(code: number): string {
  return `error_code(0x${code.toString(16).padStart(code >= 2 ** 31 ? 8 : 4, '0')})`;
}

/**
 * One outcome as the app's outcome log words it (kernel wording where the kernel prints
 * something), without the step; `guest` names the guest, or "host".
 */
export function logText(o: Outcome, guest: string, la57 = false): string {
  const at = o.pfn >= 0 ? hex(o.pfn * PAGE_SIZE) : '?';
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
      const va = o.pfn >= 0 ? directMapVa(o.pfn * PAGE_SIZE, la57) : '?';
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
      return `kvm: guest ${guest} launched: ${(o.detail * PAGE_SIZE) / MiB} MiB registered`;
    case 'exit':
      return `kvm: guest ${guest} exited: ${o.detail} pages reclaimed`;
    case 'dm-collapse':
      return `x86/mm: direct map collapse ${o.detail === 1 ? '2M→1G' : '4K→2M'} at ${at} (cpa_collapse_large_pages)`;
    default:
      return `${o.kind} (${o.rule})`;
  }
}

/** "[  step] text" as the outcome log shows one outcome. */
export function logMessage(o: Outcome, guest: string, la57 = false): string {
  return `${stamp(o.step)} ${logText(o, guest, la57)}`;
}
