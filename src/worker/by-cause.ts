/**
 * The direct map by cause, for the UI (issue 17): which cause made each 2 MiB region what it is
 * (MapSnapshot.regionCause, for the map coloured by cause), the causes by slot (RunInfo.causes),
 * and each cause's share of DirectMap4k/2M/1G at a step (StepView.byCause, the "Where does
 * DirectMap4k come from" panel). DirectMap4k and the split counts are sim/metrics.ts byCause's,
 * the numbers `sim run --by-cause` prints; DirectMap2M is attributed here: a 2M mapping exists
 * because a cause split its 1 GiB block (DirectMap.pudSite), else the boot layout made it. The
 * boot layout's row holds what no cause split, so every column sums to /proc/meminfo's line.
 */
import { CAUSE_IDS, causeSlot, hostCause, SITES } from '../machine/causes';
import { PMD_LEAF, PMD_TABLE, PUD_TABLE } from '../machine/direct-map';
import type { Machine } from '../machine/machine';
import { PAGES_PER_2M } from '../machine/units';
import { byCause, metricsOf } from '../sim/metrics';
import type { CauseInfo, CauseShare } from './protocol';

/** RunInfo.causes: every cause by slot ("boot", "snp", then the registry). */
export function causeInfos(m: Machine): CauseInfo[] {
  return CAUSE_IDS.map((id) => {
    const c = hostCause(id);
    return {
      id,
      // The design's id, not its long label: the legend and the panel have a column's width.
      label: c?.label ?? (id === 'snp' ? `SEV-SNP (${m.spec.kernel})` : 'boot layout'),
      status: c?.status ?? (id === 'boot' ? 'layout' : 'merged'),
    };
  });
}

/** 1 + the cause slot of every call site (site 0, "never split", is the boot layout's). */
const SITE_SLOT = Uint8Array.from(SITES.map((s) => causeSlot(s.cause) + 1));

/**
 * MapSnapshot.regionCause: per 2 MiB region, 1 + the slot of the cause whose split made it 4K
 * (its pmd site; the boot layout's own 4K regions are the boot slot), or of the cause that split
 * its 1 GiB block when it is a 2M mapping there; 0 where nothing split it.
 */
export function regionCauses(m: Machine, regions: number): Uint8Array {
  const dm = m.dm;
  const out = new Uint8Array(regions);
  const n = Math.min(regions, dm.pmd.length);
  for (let r = 0; r < n; r++) {
    const p = dm.pmd[r];
    if (p === PMD_TABLE) out[r] = SITE_SLOT[dm.pmdSite[r]!] ?? 1;
    else if (p === PMD_LEAF) {
      const g = Math.floor(r / PAGES_PER_2M);
      const site = dm.pudSite[g]!;
      if (site !== 0 && dm.pud[g] === PUD_TABLE) out[r] = SITE_SLOT[site] ?? 0;
    }
  }
  return out;
}

/** StepView.byCause at the machine's step: byCause's rows with DirectMap2M and 1G added. */
export function causeShares(m: Machine): CauseShare[] {
  const dm = m.dm;
  const meminfo = metricsOf(m).meminfo;
  // DirectMap2M by the cause of its 1 GiB block's split: O(split blocks × 512).
  const twoMKb = new Map<string, number>();
  for (let g = 0; g < dm.pud.length; g++) {
    const site = dm.pudSite[g]!;
    if (site === 0 || dm.pud[g] !== PUD_TABLE) continue;
    let leaves = 0;
    const end = Math.min((g + 1) * PAGES_PER_2M, dm.pmd.length);
    for (let r = g * PAGES_PER_2M; r < end; r++) if (dm.pmd[r] === PMD_LEAF) leaves++;
    const cause = SITES[site]!.cause;
    twoMKb.set(cause, (twoMKb.get(cause) ?? 0) + leaves * 2048);
  }
  const rows: CauseShare[] = byCause(m).map((r) => ({
    ...r,
    directMap2MKb: r.cause === 'boot' ? 0 : (twoMKb.get(r.cause) ?? 0),
    directMap1GKb: 0,
  }));
  const boot = rows.find((r) => r.cause === 'boot');
  if (boot) {
    const others = rows.reduce((s, r) => s + (r === boot ? 0 : r.directMap2MKb), 0);
    boot.directMap2MKb = meminfo.DirectMap2M - others;
    boot.directMap1GKb = meminfo.DirectMap1G;
  }
  return rows;
}
