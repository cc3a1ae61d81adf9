/**
 * What a step did, in a few words, for the counters panel (StepView.event): "bpf-load: 2048
 * programs", "module-load: module 3, 256 KiB", "accept vm: GPA 0x0, 1 GiB". A host event that
 * splits nothing leaves no outcome in the log; this line still says it happened (issue 17: the
 * host-event ops read well where steps are listed).
 */
import { RECORDED_CALLS } from '../machine/causes/recorded';
import type { EngineEvent } from '../machine/events';
import { formatSize, hex, PAGE_SIZE } from '../machine/units';

const COUNTED: Record<string, string> = {
  'bpf-load': 'programs',
  'bpf-unload': 'programs',
  kprobe: 'probes',
};

/** One event as "op: what" (guest names by index; modules by their number). */
export function eventText(e: EngineEvent, guests: readonly string[]): string {
  const unit = COUNTED[e.op];
  if (unit !== undefined) return `${e.op}: ${e.sizeBytes.toLocaleString('en-US')} ${unit}`;
  switch (e.op) {
    case 'module-load':
    case 'module-unload':
      return `${e.op}: module ${e.guest + 1}${e.sizeBytes > 0 ? `, ${formatSize(e.sizeBytes)}` : ''}`;
    case 'hwpoison':
    case 'unpoison':
      return `${e.op}: PFN ${hex(e.pfn)}`;
    case 'hot-add':
    case 'hot-remove':
      return `${e.op}: ${formatSize(e.sizeBytes)} at ${hex(e.pfn * PAGE_SIZE)}`;
    case 'secretmem':
    case 'secretmem-free':
    case 'gpu-wc':
    case 'gpu-wb':
    case 'page-cache':
    case 'page-cache-drop':
      return `${e.op}: ${formatSize(e.sizeBytes)}`;
    case 'host-write':
      return `host-write: PFN ${hex(e.pfn)}`;
    case 'recorded-call':
      return `recorded-call: ${RECORDED_CALLS[e.guest] ?? 'call'} on PFN ${hex(e.pfn)}, ${e.sizeBytes.toLocaleString('en-US')} page(s)`;
    default: {
      const who = guests[e.guest] ?? `guest ${e.guest}`;
      if (e.op === 'launch' || e.op === 'exit') return `${e.op} ${who}`;
      const size = e.sizeBytes > 0 ? `, ${formatSize(e.sizeBytes)}` : '';
      const via =
        e.op === 'hv-write' ? ` (via the ${e.via === 'user' ? 'VMM mapping' : 'direct map'})` : '';
      return `${e.op} ${who}: GPA ${hex(e.gpa)}${size}${via}`;
    }
  }
}
