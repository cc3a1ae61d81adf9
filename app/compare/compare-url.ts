/**
 * Compare state in the address bar's query string (`?cmpKernel=upstream-2024&cmpBacking=thp`),
 * next to the scenario's fragment, so a compare link opens compare on the same run. The query
 * string keeps the fragment's share-link codec untouched (unknown fragment keys are repairs).
 */
import { BACKINGS, KERNEL_DESIGNS } from '../../src/machine/events';
import type { Backing, KernelDesign } from '../../src/worker/protocol';

export interface CompareParams {
  kernel?: KernelDesign;
  backing?: Backing;
}

export function readCompareParams(search: string): CompareParams | null {
  const q = new URLSearchParams(search);
  if (!q.has('cmpKernel') && !q.has('cmpBacking') && q.get('compare') !== '1') return null;
  const out: CompareParams = {};
  const k = q.get('cmpKernel');
  const b = q.get('cmpBacking');
  if (k && (KERNEL_DESIGNS as readonly string[]).includes(k)) out.kernel = k as KernelDesign;
  if (b && (BACKINGS as readonly string[]).includes(b)) out.backing = b as Backing;
  return out;
}

/** Write (or with null, remove) the compare parameters without a history entry. */
export function writeCompareParams(p: CompareParams | null): void {
  const q = new URLSearchParams(window.location.search);
  q.delete('cmpKernel');
  q.delete('cmpBacking');
  q.delete('compare');
  if (p) {
    if (p.kernel) q.set('cmpKernel', p.kernel);
    if (p.backing) q.set('cmpBacking', p.backing);
  }
  const search = q.toString();
  const url = `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`;
  window.history.replaceState(window.history.state, '', url);
}
