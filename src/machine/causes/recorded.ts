/**
 * Calls recorded on a real host (fracture-record.sh --trace), replayed as host events: a
 * `recorded-call {call, pfn, count, caller}` makes `call` on the direct-map frames
 * [pfn, pfn + count) through cpa.ts, so its splits and collapses follow the same CPA rules and
 * version gates as a modelled cause ([cpa.preserve], [cpa.kernel_4k], [cpa.collapse.pmd] from
 * 6.15, [dm.cpa_flush]). The recorder stores the direct-map address as an offset from the
 * direct-map base (page_offset_base), which is the physical address: pfn = dm_offset / 4096.
 * Every split names the cause "recorded", the call, and the caller (the inspector reads the
 * caller from the scenario event of the split's step, src/scenario/recorded.ts).
 *
 * set_direct_map_valid_noflush(page, nr, valid): the recording has no `valid`; a call on a page
 * the direct map does not map is replayed as valid=true (set_direct_map_default_noflush's
 * effect), else as valid=false (set_direct_map_invalid_noflush's).
 */
import type { CpaCall } from '../cpa';
import { DM_UNMAPPED } from '../frame-bits';
import type { HostCause } from './cause';

/** The calls a recording names, as `call` (fracture-record.sh's TRACE_FNS). */
export const RECORDED_CALLS = [
  'set_memory_ro',
  'set_memory_rox',
  'set_memory_np',
  'set_memory_4k',
  'set_memory_uc',
  'set_memory_wc',
  'set_memory_wb',
  'set_direct_map_invalid_noflush',
  'set_direct_map_default_noflush',
  'set_direct_map_valid_noflush',
  'set_mce_nospec',
] as const;
export type RecordedCall = (typeof RECORDED_CALLS)[number];

export const isRecordedCall = (s: string): s is RecordedCall =>
  (RECORDED_CALLS as readonly string[]).includes(s);

/** The CPA calls the replay makes (its provenance sites). */
const CPA_OF: readonly CpaCall[] = [
  'set_memory_ro',
  'set_memory_rox',
  'set_memory_np',
  'set_memory_4k',
  'set_memory_uc',
  'set_memory_wc',
  'set_memory_wb',
  'set_direct_map_invalid_noflush',
  'set_direct_map_default_noflush',
  'set_mce_nospec',
];

export const recorded: HostCause = {
  id: 'recorded',
  label: 'Recorded calls',
  summary: 'Calls a fracture-record.sh --trace recording saw on a real host, replayed by caller.',
  status: 'merged',
  sources: [
    'public/fracture-record.sh --trace (bpftrace kprobes)',
    'arch/x86/mm/pat/set_memory.c: change_page_attr_set_clr()',
  ],
  calls: CPA_OF,
  ops: ['recorded-call'],
  heals: true,
  apply(m, ev, cx) {
    const name = RECORDED_CALLS[ev.guest];
    const n = Math.min(ev.sizeBytes, m.totalPages - ev.pfn);
    if (name === undefined || !(ev.pfn >= 0 && ev.pfn < m.totalPages) || n <= 0)
      return m.emit('ignored', 'recorded.call', ev.pfn, 0);
    let call: CpaCall;
    if (name === 'set_direct_map_valid_noflush')
      call =
        m.frames.get(ev.pfn) & DM_UNMAPPED
          ? 'set_direct_map_default_noflush'
          : 'set_direct_map_invalid_noflush';
    else call = name;
    cx.cpa(ev.pfn, n, call, 'direct-map', 'recorded.call');
  },
};
