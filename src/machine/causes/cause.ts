/**
 * The hooks a host cause of direct-map fragmentation plugs into (issue 17: BPF, modules and
 * execmem, secretmem, KFENCE, hwpoison, TTM, hotplug, the proposals). A cause is one file here
 * plus one line in index.ts, like a kernel design; it changes the direct map only through the
 * set_memory.c calls of DesignContext, so every split names its rule. The hooks for host events
 * arrive with those events; this is the shape they extend.
 */
import type { DesignContext } from '../kernels/design';

export interface HostCause {
  id: string;
  label: string;
  /** One line for the UI. */
  summary: string;
  /** Merged behaviour, or a proposal (labelled as such wherever it appears). */
  status: 'merged' | 'proposal';
  /** At boot, before SYSTEM_RUNNING (KFENCE's pool, debug_pagealloc): splits not in vmstat. */
  boot?(ctx: DesignContext): void;
}
