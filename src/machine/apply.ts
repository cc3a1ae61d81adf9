/**
 * Applying one event (one step) to the machine. Every architectural consequence is emitted as an
 * outcome with its rule; nothing here throws for a guest or host mishap.
 */
import type { EngineEvent } from './events';
import {
  DM_UNMAPPED,
  frameUse,
  frameWord,
  G_BACKED,
  G_GMEM,
  G_PRIVATE,
  G_VALIDATED,
  MAP_4K,
  MAP_HUGETLB_1G,
  MAP_HUGETLB_2M,
  MAP_THP,
  PF_PROT,
  PF_RMP,
  PF_USER,
  PF_WRITE,
  RMP_ASSIGNED,
  RMP_VALIDATED,
  USE_HOLE,
  USE_SEQ,
} from './frame-bits';
import type { Guest, GuestStatus } from './guest';
import {
  allocBacking,
  allocGmem,
  hostRuns,
  modeOf,
  reclaimRmp,
  releaseFrames,
  rmpUpdateRun,
  stateRuns,
} from './guest-ops';
import type { Machine } from './machine';
import type { PageLevel } from './units';

const CHUNK = 512;
const GIG = 512 * 512;

export function applyEvent(m: Machine, ev: EngineEvent): void {
  m.step++;
  if (ev.op === 'host-write') {
    m.curGuest = -1;
    hostWrite(m, ev.pfn);
    return;
  }
  m.curGuest = ev.guest;
  const g = m.guests[ev.guest];
  if (!g) return m.emit('ignored', 'guest.not_running', -1, 0, -1, -1);
  if (ev.op === 'launch') return launch(m, g);
  if (!g.running) return m.emit('ignored', 'guest.not_running', -1, 0, ev.gpa);
  const gfn = Math.floor(ev.gpa / 4096);
  const n = Math.min(Math.max(1, Math.ceil(ev.sizeBytes / 4096)), Math.max(0, g.pages - gfn));
  if (ev.op === 'exit') {
    teardown(m, g, 'exited');
    return m.emit('exit', 'guest.exit', -1, g.pages);
  }
  if (n <= 0) return m.emit('ignored', 'guest.not_running', -1, 0, ev.gpa);
  if (ev.op === 'accept') accept(m, g, gfn, n);
  else if (ev.op === 'share') share(m, g, gfn, n);
  else if (ev.op === 'unshare') unshare(m, g, gfn, n);
  else if (ev.op === 'hv-write') hvWrite(m, g, gfn, n, ev.via);
}

function launch(m: Machine, g: Guest): void {
  if (g.status !== 'created') return m.emit('ignored', 'guest.not_running', -1, 0);
  const mode = modeOf(m, g);
  const refusal = mode === 'plain' ? null : m.design.onRegister(g.spec.backing);
  if (refusal) {
    g.status = 'refused';
    g.reason = refusal.reason;
    return m.emit('launch-refused', refusal.rule, -1, g.pages);
  }
  if (mode === 'gmem') {
    // QEMU marks all of a confidential guest's RAM private at start; frames come on demand.
    g.state.update(0, g.pages, 0, G_PRIVATE);
  } else if (!allocBacking(m, g, 0, g.pages, true)) {
    m.emit('oom', 'host.oom', -1, g.pages);
    teardown(m, g, 'failed');
    g.reason = 'out of host memory while pinning guest RAM';
    return;
  }
  g.status = 'running';
  m.emit('launch', 'guest.launch', -1, g.pages);
}

/** The guest makes [gfn, gfn + n) private and validates it (PSC to private, then PVALIDATE). */
function accept(m: Machine, g: Guest, gfn: number, n: number): void {
  const mode = modeOf(m, g);
  if (mode === 'plain') return g.state.update(gfn, n, 0, G_VALIDATED);
  stateRuns(g, gfn, n, (start, count, w) => {
    if (!(w & G_PRIVATE) || (m.design.sequester && w & G_GMEM))
      return toPrivate(m, g, start, count, w);
    if (mode === 'gmem' && !(w & G_GMEM)) {
      if (!allocGmem(m, g, start, count)) return m.emit('oom', 'host.oom', -1, count, start * 4096);
      hostRuns(g.gmemMap, start, count, (gs, pfn, cnt) =>
        rmpUpdateRun(m, gs, pfn, cnt, true, m.design.gmemFolio !== '4k'),
      );
      if (w & G_BACKED) g.doubleBacked += count;
      g.state.update(start, count, 0, G_VALIDATED | G_GMEM);
      return;
    }
    if (!(w & G_VALIDATED)) {
      const map = mode === 'gmem' ? g.gmemMap : g.backingMap;
      hostRuns(map, start, count, (_gs, pfn, cnt) =>
        m.frames.update(pfn, cnt, RMP_VALIDATED, RMP_VALIDATED),
      );
      g.state.update(start, count, 0, G_VALIDATED);
    }
  });
}

/** Shared → private for one run with state word w. */
function toPrivate(m: Machine, g: Guest, start: number, count: number, w: number): void {
  const mode = modeOf(m, g);
  if (mode === 'backing') {
    if (m.design.sequester && w & G_GMEM) {
      // Move back from the sequestered area: the original frame is still assigned.
      hostRuns(g.gmemMap, start, count, (_gs, pfn, cnt) => seqRelease(m, pfn, cnt));
      hostRuns(g.backingMap, start, count, (gs, pfn, cnt) => {
        if (m.frames.get(pfn) & RMP_ASSIGNED)
          m.frames.update(pfn, cnt, RMP_VALIDATED, RMP_VALIDATED);
        else rmpUpdateRun(m, gs, pfn, cnt, true, false);
      });
      g.doubleBacked -= count;
      g.state.update(start, count, G_GMEM, G_PRIVATE | G_VALIDATED);
      return;
    }
    // A whole-chunk accept over a huge user mapping gets a 2M RMP entry (RFC: NPT level 2M).
    hostRuns(g.backingMap, start, count, (gs, pfn, cnt) =>
      rmpUpdateRun(m, gs, pfn, cnt, true, g.userMap[Math.floor(gs / CHUNK)] !== MAP_4K),
    );
    g.state.update(start, count, 0, G_PRIVATE | G_VALIDATED);
    return;
  }
  const inPlace = m.design.inPlaceShared && w & G_GMEM;
  if (!inPlace && !allocGmem(m, g, start, count))
    return m.emit('oom', 'host.oom', -1, count, start * 4096);
  // gmem-thp-rfc: a whole 2 MiB chunk made private again gets a 2M folio and a 2M entry.
  const allow2m = m.design.gmemFolio !== '4k' && !inPlace;
  hostRuns(g.gmemMap, start, count, (gs, pfn, cnt) => rmpUpdateRun(m, gs, pfn, cnt, true, allow2m));
  g.state.update(start, count, 0, G_PRIVATE | G_VALIDATED | G_GMEM);
  // A new private frame next to the shared copy: backed twice until the copy is discarded.
  if (!inPlace && w & G_BACKED) g.doubleBacked += count;
  if (w & G_BACKED && !m.design.inPlaceShared) discardShared(m, g, start, count);
}

/** QEMU's ram_block_discard_range() on the shared copy after a conversion to private. */
function discardShared(m: Machine, g: Guest, start: number, count: number): void {
  stateRuns(g, start, count, (s, cnt, w) => {
    if (!(w & G_BACKED)) return;
    const c = Math.floor(s / CHUNK);
    const kind = g.userMap[c];
    if (kind === MAP_HUGETLB_2M || kind === MAP_HUGETLB_1G) {
      return m.emit('double-backed', 'qemu.double_backing', g.backingMap.get(s), cnt, s * 4096);
    }
    if (kind === MAP_THP) {
      g.userMap[c] = MAP_4K;
      m.emit('thp-split', 'vmm.thp_discard', g.backingMap.get(c * CHUNK), c, c * CHUNK * 4096);
    }
    hostRuns(g.backingMap, s, cnt, (_gs, pfn, n) => m.freeFrames(pfn, n));
    g.doubleBacked -= w & G_GMEM ? cnt : 0;
    g.state.update(s, cnt, G_BACKED, 0);
  });
}

/** The guest makes [gfn, gfn + n) shared (PVALIDATE rescind, then PSC to shared). */
function share(m: Machine, g: Guest, gfn: number, n: number): void {
  const mode = modeOf(m, g);
  if (mode === 'plain') return g.state.update(gfn, n, G_PRIVATE, 0);
  stateRuns(g, gfn, n, (start, count, w) => {
    if (!(w & G_PRIVATE)) return;
    if (mode === 'backing' && m.design.sequester) {
      // seq.move: back the GPA with a page of the dedicated area; the private frame stays.
      seqAlloc(m, g, start, count);
      hostRuns(g.backingMap, start, count, (_gs, pfn, cnt) =>
        m.frames.update(pfn, cnt, RMP_VALIDATED, 0),
      );
      g.doubleBacked += count;
      g.state.update(start, count, G_PRIVATE | G_VALIDATED, G_GMEM);
      m.emit('double-backed', 'seq.move', g.gmemMap.get(start), count, start * 4096);
      return;
    }
    if (mode === 'backing') {
      hostRuns(g.backingMap, start, count, (gs, pfn, cnt) =>
        rmpUpdateRun(m, gs, pfn, cnt, false, true),
      );
      g.state.update(start, count, G_PRIVATE | G_VALIDATED, 0);
      return;
    }
    if (w & G_GMEM) {
      hostRuns(g.gmemMap, start, count, (gs, pfn, cnt) => {
        noteFolioSplit(m, g, gs, pfn, cnt);
        rmpUpdateRun(m, gs, pfn, cnt, false, true);
        if (!m.design.inPlaceShared) m.freeFrames(pfn, cnt);
      });
      if (!m.design.inPlaceShared) {
        g.state.update(start, count, G_GMEM, 0);
        if (w & G_BACKED) g.doubleBacked -= count;
      }
    } else if (m.design.inPlaceShared && !allocGmem(m, g, start, count)) {
      return m.emit('oom', 'host.oom', -1, count, start * 4096);
    }
    g.state.update(start, count, G_PRIVATE | G_VALIDATED, 0);
    if (!m.design.inPlaceShared && !allocBacking(m, g, start, count, false))
      m.emit('oom', 'host.oom', -1, count, start * 4096);
  });
}

/** A conversion inside a large private folio splits it (gmem-thp-rfc, gmem-1g-rfc). */
function noteFolioSplit(m: Machine, g: Guest, gfn: number, pfn: number, count: number): void {
  if (m.design.gmemFolio === '1g') {
    const block = Math.floor(gfn / GIG);
    if (g.gigaFolio.has(block * GIG) && !g.gigaSplit.has(block)) {
      g.gigaSplit.add(block);
      m.emit(
        'folio-split',
        'gmem.folio_split',
        g.gigaFolio.get(block * GIG)!,
        18,
        block * GIG * 4096,
      );
    }
  } else if (m.rmp2m[Math.floor(pfn / CHUNK)] === 1 && count < CHUNK) {
    m.emit('folio-split', 'gmem.folio_split', Math.floor(pfn / CHUNK) * CHUNK, 9, gfn * 4096);
  }
}

function unshare(m: Machine, g: Guest, gfn: number, n: number): void {
  if (modeOf(m, g) === 'plain') return g.state.update(gfn, n, 0, G_PRIVATE);
  stateRuns(g, gfn, n, (start, count, w) => {
    if (!(w & G_PRIVATE)) toPrivate(m, g, start, count, w);
  });
}

const PF_USER_WRITE = PF_RMP + PF_USER + PF_WRITE + PF_PROT;
const PF_KERNEL_WRITE = PF_RMP + PF_WRITE + PF_PROT;

function userLevel(kind: number): PageLevel {
  if (kind === MAP_THP || kind === MAP_HUGETLB_2M) return '2M';
  return kind === MAP_HUGETLB_1G ? '1G' : '4K';
}

/** The hypervisor (VMM through its mapping, or the kernel through the direct map) writes. */
function hvWrite(m: Machine, g: Guest, gfn: number, n: number, via: 'user' | 'direct-map'): void {
  const mode = modeOf(m, g);
  for (let p = gfn; p < gfn + n && g.running; p++) {
    let w = g.state.get(p);
    const c = Math.floor(p / CHUNK);
    const privateFrame = mode === 'gmem' && w & G_GMEM && (w & G_PRIVATE || m.design.inPlaceShared);
    const sequestered = m.design.sequester && w & G_GMEM;
    let pfn: number;
    let level: PageLevel = '4K';
    if (via === 'direct-map' && privateFrame) pfn = g.gmemMap.get(p);
    else if (sequestered || (m.design.inPlaceShared && w & G_GMEM)) pfn = g.gmemMap.get(p);
    else {
      if (!(w & G_BACKED)) {
        // The VMM touching unbacked memory faults a page (or a huge page) in.
        if (!allocBacking(m, g, p, 1, false)) return m.emit('oom', 'host.oom', -1, 1, p * 4096);
        w = g.state.get(p);
      }
      pfn = g.backingMap.get(p);
      level = userLevel(g.userMap[c]!);
    }
    if (via === 'user') userWrite(m, g, p, c, pfn, level);
    else kernelWrite(m, pfn, p * 4096);
  }
}

function userWrite(
  m: Machine,
  g: Guest,
  p: number,
  c: number,
  pfn: number,
  level: PageLevel,
): void {
  if (!m.writeFaults(pfn, level)) return;
  m.emit('rmp-fault', 'rmp.check.write', pfn, PF_USER_WRITE, p * 4096);
  const kind = g.userMap[c];
  if (kind === MAP_THP && level !== '4K') {
    // RFC 07/30: split_huge_pmd() and retry the write at 4K.
    g.userMap[c] = MAP_4K;
    m.emit('thp-split', 'rfc.thp_split', g.backingMap.get(c * CHUNK), c, c * CHUNK * 4096);
    if (m.writeFaults(pfn, '4K')) kill(m, g, p, pfn, 'rmp.user_private');
    return;
  }
  kill(
    m,
    g,
    p,
    pfn,
    kind === MAP_HUGETLB_2M || kind === MAP_HUGETLB_1G ? 'rfc.hugetlb_sigbus' : 'rmp.user_private',
  );
}

function kernelWrite(m: Machine, pfn: number, gpa: number): void {
  const level = m.dm.levelOf(pfn);
  if (level === null || m.frames.get(pfn) & DM_UNMAPPED) {
    // Not present in the direct map: error_code(0x0002) - not-present page.
    return m.emit('host-oops', 'unmap.invalidate', pfn, PF_WRITE, gpa);
  }
  if (!m.writeFaults(pfn, level)) return;
  m.emit('rmp-fault', 'rmp.check.write', pfn, PF_KERNEL_WRITE, gpa);
  m.emit('host-oops', 'rmp.kernel_oops', pfn, PF_KERNEL_WRITE, gpa);
}

function hostWrite(m: Machine, pfn: number): void {
  if (!(pfn >= 0 && pfn < m.totalPages) || (frameUse(m.frames.get(pfn)) === USE_HOLE && pfn >= 256))
    return m.emit('ignored', 'dm.boot', pfn, 0);
  kernelWrite(m, pfn, -1);
}

function kill(m: Machine, g: Guest, p: number, pfn: number, rule: string): void {
  m.emit('sigbus', rule, pfn, 7, p * 4096);
  m.emit('guest-killed', rule, pfn, g.pages, p * 4096);
  teardown(m, g, 'killed');
  g.reason = rule;
}

/** Guest exit or death: reclaim every frame (RMPUPDATE to shared, then free). Splits remain. */
export function teardown(m: Machine, g: Guest, status: GuestStatus): void {
  releaseFrames(m, g, g.backingMap, 0, g.pages, G_BACKED);
  if (m.design.sequester) {
    stateRuns(g, 0, g.pages, (s, cnt, w) => {
      if (w & G_GMEM) hostRuns(g.gmemMap, s, cnt, (_gs, pfn, n) => seqRelease(m, pfn, n));
    });
  } else if (g.gigaFolio.size > 0) {
    for (const pfn of g.gigaFolio.values()) {
      reclaimRmp(m, pfn, GIG);
      m.freeFrames(pfn, GIG);
    }
    stateRuns(g, 0, g.pages, (s, cnt, w) => {
      if (!(w & G_GMEM)) return;
      hostRuns(g.gmemMap, s, cnt, (_gs, pfn, n) => {
        if (!g.isInGiga(pfn)) {
          reclaimRmp(m, pfn, n);
          m.freeFrames(pfn, n);
        }
      });
    });
  } else releaseFrames(m, g, g.gmemMap, 0, g.pages, G_GMEM);
  g.state.set(0, g.pages, 0);
  g.userMap.fill(0);
  g.gigaFolio.clear();
  g.doubleBacked = 0;
  g.status = status;
}

function seqAlloc(m: Machine, g: Guest, start: number, count: number): void {
  for (let i = 0; i < count; i++) {
    if (m.seqFree.length === 0) {
      const block = m.allocBlock(9, frameWord(USE_SEQ));
      if (block < 0) return m.emit('oom', 'host.oom', -1, count - i, (start + i) * 4096);
      m.seqPages += CHUNK;
      for (let k = CHUNK - 1; k >= 0; k--) m.seqFree.push(block + k);
    }
    const pfn = m.seqFree.pop()!;
    m.frames.set(pfn, 1, frameWord(USE_SEQ, g.index));
    g.gmemMap.set(start + i, 1, pfn);
  }
}

function seqRelease(m: Machine, pfn: number, count: number): void {
  for (let k = count - 1; k >= 0; k--) {
    m.frames.set(pfn + k, 1, frameWord(USE_SEQ));
    m.seqFree.push(pfn + k);
  }
}
