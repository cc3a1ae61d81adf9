/**
 * Dave Hansen's "stronger contract" (25 Mar 2021, never merged), modelled as a what-if: the guest
 * announces every share and the host moves the shared page into one dedicated area. Guest RAM is
 * allocated and kept in whole 2 MiB units (the host is free to choose placement), so a 2 MiB
 * region holds one guest's private pages or sequestered shared pages, never both, and never host
 * pages. No RMPUPDATE needs a split: a host write can only fault by writing guest-private memory,
 * which the contract forbids. The original private frame stays with the guest while the page is
 * shared (counted as double-backed).
 */
import {
  G_BACKED,
  G_GMEM,
  G_PRIVATE,
  G_VALIDATED,
  RMP_ASSIGNED,
  RMP_VALIDATED,
} from '../frame-bits';
import type { Guest } from '../guest';
import { allocBacking, hostRuns, rmpUpdateRun, stateRuns } from '../guest-ops';
import type { Machine } from '../machine';
import type { Design } from './design';
import { registerAll } from './design';
import { backingToPrivate, backingValidate, IN_PLACE } from './in-place';
import { plainKernel } from './plain';
import { SequesteredArea } from './sequester-area';
import { SNP_HOST } from './snp';

const area = (m: Machine): SequesteredArea => m.designState as SequesteredArea;

/** Shared → private: a sequestered page moves back to its private frame, still assigned. */
function toPrivate(m: Machine, g: Guest, start: number, count: number, w: number): void {
  if (!(w & G_GMEM)) return backingToPrivate(m, g, start, count);
  hostRuns(g.gmemMap, start, count, (_gs, pfn, cnt) => area(m).release(m, pfn, cnt));
  hostRuns(g.backingMap, start, count, (gs, pfn, cnt) => {
    if (m.frames.get(pfn) & RMP_ASSIGNED) m.frames.update(pfn, cnt, RMP_VALIDATED, RMP_VALIDATED);
    else rmpUpdateRun(m, gs, pfn, cnt, true, false);
  });
  g.doubleBacked -= count;
  g.state.update(start, count, G_GMEM, G_PRIVATE | G_VALIDATED);
}

export const sequester: Design = {
  ...SNP_HOST,
  ...IN_PLACE,
  id: 'sequester',
  label: 'Sequestered sharing (Dave’s contract)',
  summary:
    'The host moves every shared page into one dedicated area; guest regions never mix, nothing splits for sharing.',
  plain: plainKernel(true),
  gmemMapLabel: 'sequestered shared area (4K)',
  createState: () => new SequesteredArea(),
  register: registerAll,
  launch: (m, g) => allocBacking(m, g, 0, g.pages, true),
  accept(m, g, gfn, n) {
    stateRuns(g, gfn, n, (start, count, w) => {
      if (!(w & G_PRIVATE) || w & G_GMEM) toPrivate(m, g, start, count, w);
      else if (!(w & G_VALIDATED)) backingValidate(m, g, start, count);
    });
  },
  share(m, g, gfn, n) {
    stateRuns(g, gfn, n, (start, count, w) => {
      if (!(w & G_PRIVATE)) return;
      // [seq.move] back the GPA with a page of the dedicated area; the private frame stays.
      area(m).alloc(m, g, start, count);
      hostRuns(g.backingMap, start, count, (_gs, pfn, cnt) =>
        m.frames.update(pfn, cnt, RMP_VALIDATED, 0),
      );
      g.doubleBacked += count;
      g.state.update(start, count, G_PRIVATE | G_VALIDATED, G_GMEM);
      m.emit('double-backed', 'seq.move', g.gmemMap.get(start), count, start * 4096);
    });
  },
  unshare(m, g, gfn, n) {
    stateRuns(g, gfn, n, (start, count, w) => {
      if (!(w & G_PRIVATE)) toPrivate(m, g, start, count, w);
    });
  },
  writeTarget: (g, gfn, w) => (w & G_GMEM ? g.gmemMap.get(gfn) : -1),
  teardown(m, g) {
    stateRuns(g, 0, g.pages, (s, cnt, w) => {
      if (w & G_GMEM) hostRuns(g.gmemMap, s, cnt, (_gs, pfn, n) => area(m).release(m, pfn, n));
    });
  },
  frameOf(g, gfn) {
    const w = g.state.get(gfn);
    if (w & G_GMEM) return g.gmemMap.get(gfn);
    return w & G_BACKED ? g.backingMap.get(gfn) : -1;
  },
};
