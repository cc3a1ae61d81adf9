/**
 * Compare state in the address bar's query string (`?cmpKernel=upstream-2024&cmpBacking=thp`,
 * and `cmpView=side` for A and B side by side instead of the difference map), next to the
 * scenario's fragment, so a compare link opens compare on the same run — in the app, or with
 * `embed=1` as a compare embed. The query string keeps the fragment's share-link codec untouched
 * (unknown fragment keys are repairs).
 */

import type { Backing, KernelDesign } from '../../src/worker/protocol';
import { BACKINGS, KERNEL_DESIGNS } from '../../src/worker/protocol';
/** How compare draws A and B: the difference map (default) or both maps side by side. */
export const COMPARE_VIEWS = ['diff', 'side'] as const;
export type CompareView = (typeof COMPARE_VIEWS)[number];

export interface CompareParams {
  kernel?: KernelDesign;
  backing?: Backing;
  view?: CompareView;
}

export function readCompareParams(search: string): CompareParams | null {
  const q = new URLSearchParams(search);
  if (!q.has('cmpKernel') && !q.has('cmpBacking') && q.get('compare') !== '1') return null;
  const out: CompareParams = {};
  const k = q.get('cmpKernel');
  const b = q.get('cmpBacking');
  const v = q.get('cmpView');
  if (k && (KERNEL_DESIGNS as readonly string[]).includes(k)) out.kernel = k as KernelDesign;
  if (b && (BACKINGS as readonly string[]).includes(b)) out.backing = b as Backing;
  if (v && (COMPARE_VIEWS as readonly string[]).includes(v)) out.view = v as CompareView;
  return out;
}

/** Write (or with null, remove) the compare parameters without a history entry. */
export function writeCompareParams(p: CompareParams | null): void {
  const q = new URLSearchParams(window.location.search);
  q.delete('cmpKernel');
  q.delete('cmpBacking');
  q.delete('cmpView');
  q.delete('compare');
  if (p) {
    if (p.kernel) q.set('cmpKernel', p.kernel);
    if (p.backing) q.set('cmpBacking', p.backing);
    if (p.view && p.view !== 'diff') q.set('cmpView', p.view);
  }
  const search = q.toString();
  const url = `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`;
  window.history.replaceState(window.history.state, '', url);
}

/** A link with its compare parameters set to `p` (whatever the address bar held). */
export function withCompareParams(link: string, p: CompareParams): string {
  const u = new URL(link);
  for (const k of ['cmpKernel', 'cmpBacking', 'cmpView', 'compare']) u.searchParams.delete(k);
  if (p.kernel) u.searchParams.set('cmpKernel', p.kernel);
  if (p.backing) u.searchParams.set('cmpBacking', p.backing);
  if (p.view && p.view !== 'diff') u.searchParams.set('cmpView', p.view);
  return u.toString();
}
