/**
 * Applying one event (one step) to the machine. Every architectural consequence is emitted as an
 * outcome with its rule; nothing here throws for a guest or host mishap. What a guest event does
 * is its kernel design's (g.kernel, from kernels/); this file only routes events, resolves which
 * frame a hypervisor write reaches, runs the RMP write check and tears guests down.
 */
import { applyHostEvent } from './causes';
import { type EngineEvent, isHostOp } from './events';
import {
  DM_UNMAPPED,
  frameUse,
  G_BACKED,
  MAP_HUGETLB_1G,
  MAP_HUGETLB_2M,
  MAP_THP,
  PF_PROT,
  PF_RMP,
  PF_USER,
  PF_WRITE,
  USE_HOLE,
  USE_RMPTABLE,
} from './frame-bits';
import type { Guest, GuestStatus } from './guest';
import { allocBacking, releaseFrames } from './guest-ops';
import type { Machine } from './machine';
import type { RuleId } from './rules';
import type { PageLevel } from './units';

const CHUNK = 512;

export function applyEvent(m: Machine, ev: EngineEvent): void {
  m.step++;
  if (ev.op === 'host-write') {
    m.curGuest = -1;
    hostWrite(m, ev.pfn);
    return;
  }
  if (isHostOp(ev.op)) {
    m.curGuest = -1;
    return applyHostEvent(m, ev);
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
  if (ev.op === 'accept') g.kernel.accept(m, g, gfn, n);
  else if (ev.op === 'share') g.kernel.share(m, g, gfn, n);
  else if (ev.op === 'unshare') g.kernel.unshare(m, g, gfn, n);
  else if (ev.op === 'hv-write') hvWrite(m, g, gfn, n, ev.via);
}

function launch(m: Machine, g: Guest): void {
  if (g.status !== 'created') return m.emit('ignored', 'guest.not_running', -1, 0);
  const refusal = g.kernel.register(g.spec.backing);
  if (refusal) {
    g.status = 'refused';
    g.reason = refusal.reason;
    return m.emit('launch-refused', refusal.rule, -1, g.pages);
  }
  // Guest RAM first (QEMU's memory backends), then KVM_SEV_INIT2 … SNP_LAUNCH_FINISH.
  if (!g.kernel.launch(m, g) || !m.design.hostTraffic.launch(m, g)) {
    m.emit('oom', 'host.oom', -1, g.pages);
    teardown(m, g, 'failed');
    g.reason = 'out of host memory while pinning guest RAM';
    return;
  }
  g.status = 'running';
  m.emit('launch', 'guest.launch', -1, g.pages);
}

const PF_USER_WRITE = PF_RMP + PF_USER + PF_WRITE + PF_PROT;
const PF_KERNEL_WRITE = PF_RMP + PF_WRITE + PF_PROT;

function userLevel(kind: number): PageLevel {
  if (kind === MAP_THP || kind === MAP_HUGETLB_2M) return '2M';
  return kind === MAP_HUGETLB_1G ? '1G' : '4K';
}

/** The hypervisor (VMM through its mapping, or the kernel through the direct map) writes. */
function hvWrite(m: Machine, g: Guest, gfn: number, n: number, via: 'user' | 'direct-map'): void {
  for (let p = gfn; p < gfn + n && g.running; p++) {
    const w = g.state.get(p);
    let pfn = g.kernel.writeTarget(g, p, w, via);
    let level: PageLevel = '4K';
    if (pfn < 0) {
      if (!(w & G_BACKED)) {
        // The VMM touching unbacked memory faults a page (or a huge page) in.
        if (!allocBacking(m, g, p, 1, false)) return m.emit('oom', 'host.oom', -1, 1, p * 4096);
      }
      pfn = g.backingMap.get(p);
      level = userLevel(g.userMap[Math.floor(p / CHUNK)]!);
    }
    if (via === 'user') userWrite(m, g, p, pfn, level);
    else kernelWrite(m, pfn, p * 4096);
  }
}

function userWrite(m: Machine, g: Guest, p: number, pfn: number, level: PageLevel): void {
  if (!m.writeFaults(pfn, level)) return;
  m.emit('rmp-fault', 'rmp.check.write', pfn, PF_USER_WRITE, p * 4096);
  const rule = g.kernel.userRmpFault(m, g, p, pfn, level);
  if (rule !== null) kill(m, g, p, pfn, rule);
}

function kernelWrite(m: Machine, pfn: number, gpa: number): void {
  const level = m.dm.levelOf(pfn);
  if (level === null || m.frames.get(pfn) & DM_UNMAPPED) {
    // Not present in the direct map: error_code(0x0002) - not-present page.
    return m.emit('host-oops', 'unmap.invalidate', pfn, PF_WRITE, gpa);
  }
  let rule: RuleId = 'rmp.check.write';
  if (!m.writeFaults(pfn, level)) {
    if (!m.inUseWriteFaults(pfn)) return;
    rule = 'rmp.check.inuse';
  }
  m.emit('rmp-fault', rule, pfn, PF_KERNEL_WRITE, gpa);
  m.emit('host-oops', 'rmp.kernel_oops', pfn, PF_KERNEL_WRITE, gpa);
}

function hostWrite(m: Machine, pfn: number): void {
  if (!(pfn >= 0 && pfn < m.totalPages)) return m.emit('ignored', 'dm.boot', pfn, 0);
  const use = frameUse(m.frames.get(pfn));
  if (use === USE_HOLE && pfn >= 256) return m.emit('ignored', 'dm.boot', pfn, 0);
  // The RMP table is e820-reserved: the direct map never maps it.
  if (use === USE_RMPTABLE) return m.emit('ignored', 'snp.rmp_table', pfn, 0);
  kernelWrite(m, pfn, -1);
}

function kill(m: Machine, g: Guest, p: number, pfn: number, rule: RuleId): void {
  m.emit('sigbus', rule, pfn, 7, p * 4096);
  m.emit('guest-killed', rule, pfn, g.pages, p * 4096);
  teardown(m, g, 'killed');
  g.reason = rule;
}

/** Guest exit or death: reclaim every frame (RMPUPDATE to shared, then free). Splits remain. */
export function teardown(m: Machine, g: Guest, status: GuestStatus): void {
  // vCPUs and the SNP context go first (kvm_destroy_vcpus(), sev_vm_destroy()), then guest RAM.
  m.design.hostTraffic.teardown(m, g);
  releaseFrames(m, g, g.backingMap, 0, g.pages, G_BACKED);
  g.kernel.teardown(m, g);
  g.state.set(0, g.pages, 0);
  g.userMap.fill(0);
  g.doubleBacked = 0;
  g.status = status;
}
