/**
 * How the UI names and colours outcome kinds, and what each means in plain words. Kinds are the
 * engine's (src/machine/outcomes OUTCOME_KINDS); colours are picked to read on light and dark
 * backgrounds and on a grey projector (each also differs in lightness).
 */
import { OUTCOME_KINDS } from '../../src/worker/protocol';

export { OUTCOME_KINDS };

export interface KindMeta {
  label: string;
  color: string;
  /** One sentence for the explanation panel: what happened, in words. */
  what: string;
}

const meta: Record<string, KindMeta> = {
  'dm-split': {
    label: 'direct-map split',
    color: '#e0a100',
    what: 'The host kernel split one of its own direct-map mappings into smaller pages: under SEV-SNP so that no large mapping covers a guest-private page; for a host cause (BPF or module text, secretmem, a memory error, a GPU buffer) because part of the mapping changed its permissions, caching or presence. Each split costs a page-table page and a global TLB flush, and lasts until reboot unless a set_memory_rox over the whole range collapses it (6.15+).',
  },
  'dm-collapse': {
    label: 'direct-map collapse',
    color: '#0f766e',
    what: 'From 6.15, set_memory_rox() over a range whose 512 page-table entries are present, contiguous and alike folds them back into one large mapping (cpa_collapse_large_pages): the split heals and /proc/vmstat counts a collapse.',
  },
  'rmp-fault': {
    label: 'RMP fault',
    color: '#e5484d',
    what: 'A host write went through a mapping larger than 4K whose 2 MiB region holds a guest-private page: the CPU checked the write against the RMP and raised a page fault with X86_PF_RMP.',
  },
  'thp-split': {
    label: 'THP split',
    color: '#3e8ed0',
    what: "The VMM's transparent huge page mapping of guest RAM was split to 4K so that the faulting write can be retried through a 4K mapping.",
  },
  sigbus: {
    label: 'SIGBUS',
    color: '#b0306a',
    what: 'The faulting mapping is a hugetlbfs page, which cannot be split: the kernel sends SIGBUS to the VMM.',
  },
  'guest-killed': {
    label: 'guest killed',
    color: '#8e1b1b',
    what: 'The guest died: its VMM could not survive the fault. Dave Hansen’s point in the 2021 thread — the VM is killed "randomly", long after boot.',
  },
  'launch-refused': {
    label: 'launch refused',
    color: '#8a4fd8',
    what: 'The kernel refused to register the guest’s memory, so the VM fails to start instead of dying later.',
  },
  psmash: {
    label: 'PSMASH',
    color: '#1f9d8a',
    what: 'PSMASH split one 2M RMP entry into 512 4K entries, so one 4K page inside it can change state.',
  },
  'host-oops': {
    label: 'host oops',
    color: '#d4145a',
    what: 'The host kernel wrote a guest-private page through its direct map: an RMP violation on a kernel address, and the host oopses after dumping the RMP entries.',
  },
  'rmpupdate-fail': {
    label: 'RMPUPDATE failed',
    color: '#c2410c',
    what: 'RMPUPDATE refused the requested change (for example a 2M entry over a region that is not entirely unassigned).',
  },
  'dm-unmap': {
    label: 'direct-map unmap',
    color: '#a16207',
    what: 'A private page was removed from the host’s direct map (the 2022–23 design), which splits the mapping around it and flushes the TLB.',
  },
  'double-backed': {
    label: 'double-backed',
    color: '#6b7280',
    what: 'The VMM kept its shared copy after the page was converted to private, so this guest page is now backed twice.',
  },
  'folio-split': {
    label: 'folio split',
    color: '#2563eb',
    what: 'A large guest_memfd folio was split because part of it changed between private and shared.',
  },
  oom: {
    label: 'out of memory',
    color: '#7c2d12',
    what: 'The host ran out of free memory for the request.',
  },
  ignored: {
    label: 'no effect',
    color: '#9ca3af',
    what: 'The event had nothing to act on: its guest is not running (not launched yet, refused, killed or exited), its range is empty, or it names memory outside RAM. The rule says which.',
  },
  launch: {
    label: 'launch',
    color: '#16a34a',
    what: 'The VMM launched the guest and mapped its RAM.',
  },
  exit: {
    label: 'exit',
    color: '#64748b',
    what: 'The guest exited and its pages returned to the host. Direct-map splits stay.',
  },
};

export function kindMeta(kind: string): KindMeta {
  return meta[kind] ?? { label: kind, color: '#9ca3af', what: '' };
}

/** The outcome kinds the jump buttons and keys step through. */
export const JUMP_KINDS = [
  { kind: 'dm-split', label: 'split', key: 's' },
  { kind: 'rmp-fault', label: 'RMP fault', key: 'f' },
  { kind: 'guest-killed', label: 'kill', key: 'k' },
] as const;
