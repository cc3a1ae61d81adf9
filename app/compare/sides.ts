/** What A and B are: B's default when a link names none, and a side's label. */
import type { Backing, RunInfo } from '../../src/worker/protocol';
import { BACKING_LABELS } from '../controls/scenario-edit';
import type { CompareParams } from '../share/compare-url';

type BChoice = Required<Omit<CompareParams, 'view'>>;

/** B when the link names none: upstream-2024 (or, on upstream, another backing). */
export function defaultB(info: RunInfo, p: CompareParams | null): BChoice {
  const backingA: Backing = info.guests[0]?.backing ?? 'thp';
  if (p?.kernel || p?.backing)
    return { kernel: p.kernel ?? info.kernel, backing: p.backing ?? backingA };
  return info.kernel !== 'upstream-2024'
    ? { kernel: 'upstream-2024', backing: backingA }
    : { kernel: info.kernel, backing: backingA === 'hugetlbfs-2m' ? 'thp' : 'hugetlbfs-2m' };
}

export function sideBacking(info: RunInfo): string {
  const bs = new Set(info.guests.map((g) => g.backing));
  return bs.size === 1 ? BACKING_LABELS[[...bs][0]!] : 'mixed backing';
}
