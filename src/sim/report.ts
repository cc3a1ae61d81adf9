/**
 * Text and JSON views of a machine for the command line and the golden fixtures: outcome lines in
 * a dmesg-like form ("[   step] message  [rule]"), guest status lines, the direct map as ptdump
 * entries, and the `sim run --json` object whose field names are a contract.
 */
import type { DirectMapEntry } from '../formats/ptdump';
import { DM_UNMAPPED } from '../machine/frame-bits';
import type { Machine } from '../machine/machine';
import type { Outcome } from '../machine/outcomes';
import { formatSize, hex, PAGES_PER_2M } from '../machine/units';
import { machineDigest } from './digest';
import { type Metrics, metricsOf, type OutcomeCounts } from './metrics';

const PAGE_OFFSET = 0xffff888000000000n;

function guestName(m: Machine, i: number): string {
  return m.guests[i]?.spec.name ?? `guest ${i}`;
}

function gpaText(o: Outcome): string {
  return o.gpa >= 0 ? ` GPA ${hex(o.gpa)}` : '';
}

/** One outcome as a kernel-log-like message, without the step prefix. */
export function outcomeMessage(m: Machine, o: Outcome): string {
  const who = o.guest >= 0 ? `${guestName(m, o.guest)}: ` : '';
  const pfn = hex(o.pfn);
  switch (o.kind) {
    case 'dm-split': {
      const size = o.detail === 1 ? 2 ** 30 : 2 ** 21;
      const what = o.detail === 1 ? '1G → 512 x 2M' : '2M → 512 x 4K';
      return `direct map: split ${what} at phys ${hex(o.pfn * 4096)}-${hex(o.pfn * 4096 + size)}`;
    }
    case 'rmp-fault': {
      const user = o.detail % 8 >= 4 ? 'user' : 'kernel';
      return `${who}#PF: error_code(0x${o.detail.toString(16)}) - RMP violation, ${user} write to PFN ${pfn}${gpaText(o)}`;
    }
    case 'thp-split':
      return `${who}THP mapping of GPA ${hex(o.gpa)} (2 MiB) split to 4K, PFN ${pfn}`;
    case 'sigbus':
      return `${who}SIGBUS (RMP fault cannot be resolved) at${gpaText(o)}, PFN ${pfn}`;
    case 'guest-killed':
      return `${who}guest killed`;
    case 'launch-refused':
      return `${who}launch refused: memory registration failed`;
    case 'psmash':
      return `PSMASH: 2M RMP entry at PFN ${pfn} split into 512 x 4K`;
    case 'host-oops':
      if (o.rule === 'unmap.invalidate')
        return `BUG: unable to handle page fault for address: ${(PAGE_OFFSET + BigInt(o.pfn) * 4096n).toString(16)} - not-present page (PFN ${pfn})`;
      return `Oops: kernel write to PFN ${pfn} through the direct map - RMP violation`;
    case 'rmpupdate-fail':
      return `RMPUPDATE failed for PFN ${pfn} (${o.detail === 2 ? '2M' : '4K'}): FAIL_OVERLAP`;
    case 'dm-unmap':
      return `direct map: ${o.detail} page(s) from PFN ${pfn} removed (not present)`;
    case 'double-backed':
      return `${who}GPA ${hex(o.gpa)}: ${o.detail} page(s) backed twice (shared copy at PFN ${pfn})`;
    case 'folio-split':
      return `${who}guest_memfd folio of order ${o.detail} at PFN ${pfn} split${gpaText(o)}`;
    case 'oom':
      return `${who}out of host memory (${o.detail} page(s))${gpaText(o)}`;
    case 'ignored':
      return `${who}event ignored${o.pfn >= 0 ? ` (PFN ${pfn})` : ''}${gpaText(o)}`;
    case 'launch':
      return `${who}launched, ${formatSize(o.detail * 4096)} of guest RAM registered`;
    case 'exit':
      return `${who}exited, ${formatSize(o.detail * 4096)} of guest RAM reclaimed`;
  }
}

/** "[   step] message  [rule]", the step right-aligned in 7 columns like dmesg's timestamp. */
export function outcomeLine(m: Machine, o: Outcome): string {
  return `[${String(o.step).padStart(7, ' ')}] ${outcomeMessage(m, o)}  [${o.rule}]`;
}

/** The last `n` outcome lines logged up to the machine's step (all when n is Infinity). */
export function lastOutcomeLines(m: Machine, n: number): string[] {
  const end = m.log.lowerBound(m.step + 1);
  const start = Math.max(0, end - n);
  const lines: string[] = [];
  for (let i = start; i < end; i++) lines.push(outcomeLine(m, m.log.get(i)));
  return lines;
}

export interface GuestStatusLine {
  name: string;
  status: string;
  reason?: string;
}

export function guestStatuses(m: Machine): GuestStatusLine[] {
  return m.guests.map((g) =>
    g.reason
      ? { name: g.spec.name, status: g.status, reason: g.reason }
      : { name: g.spec.name, status: g.status },
  );
}

export function guestLine(m: Machine, i: number): string {
  const g = m.guests[i]!;
  const s = g.spec;
  const cpus = `${s.vcpus} vCPU${s.vcpus === 1 ? '' : 's'}`;
  const snp = s.snp ? '' : ', no SNP';
  const why = g.reason ? ` (${g.reason})` : '';
  return `${s.name}: ${formatSize(s.memoryBytes)}, ${s.backing}, ${cpus}${snp}: ${g.status}${why}`;
}

/**
 * The direct map for formatPtdump: DirectMap.pieces() gives the mapped runs by level (boot holes
 * are gaps); inside split regions, frames removed with set_direct_map_invalid_noflush
 * (DM_UNMAPPED) are entries that exist but are not present.
 */
export function directMapEntries(m: Machine): DirectMapEntry[] {
  const out: DirectMapEntry[] = [];
  const push = (start: number, end: number, level: DirectMapEntry['level'], present: boolean) => {
    const last = out[out.length - 1];
    const lastPresent = last?.present !== false;
    if (last && last.level === level && last.end === start && lastPresent === present)
      last.end = end;
    else out.push(present ? { start, end, level } : { start, end, level, present: false });
  };
  const words = new Uint32Array(PAGES_PER_2M);
  for (const p of m.dm.pieces()) {
    if (p.level !== '4K') {
      push(p.start, p.end, p.level, true);
      continue;
    }
    for (let pfn = p.start / 4096; pfn < p.end / 4096; ) {
      const r = Math.floor(pfn / PAGES_PER_2M);
      const regionEnd = Math.min((r + 1) * PAGES_PER_2M, p.end / 4096);
      const u = m.frames.uniformWord(r);
      if (u >= 0) {
        push(pfn * 4096, regionEnd * 4096, '4K', (u & DM_UNMAPPED) === 0);
        pfn = regionEnd;
        continue;
      }
      m.frames.readRegion(r, words);
      for (; pfn < regionEnd; pfn++) {
        const present = (words[pfn - r * PAGES_PER_2M]! & DM_UNMAPPED) === 0;
        push(pfn * 4096, (pfn + 1) * 4096, '4K', present);
      }
    }
  }
  return out;
}

export interface RunJson {
  title: string;
  scenarioDigest: string;
  kernel: string;
  steps: number;
  step: number;
  meminfo: Metrics['meminfo'];
  vmstat: Metrics['vmstat'];
  outcomes: OutcomeCounts;
  guests: GuestStatusLine[];
  digest: string;
  metrics: {
    pageTableBytes: number;
    rmpTableBytes: number;
    doubleBackedBytes: number;
    dmSplits: number;
    dmUnmaps: number;
    rmpupdateFailures: number;
    oom: number;
    ignored: number;
  };
}

/** The `sim run --json` object. Field names of meminfo, vmstat and outcomes are a contract. */
export function runJson(
  m: Machine,
  info: { title: string; scenarioDigest: string; steps: number },
): RunJson {
  const metrics = metricsOf(m);
  return {
    title: info.title,
    scenarioDigest: info.scenarioDigest,
    kernel: m.spec.kernel,
    steps: info.steps,
    step: m.step,
    meminfo: metrics.meminfo,
    vmstat: metrics.vmstat,
    outcomes: metrics.outcomes,
    guests: guestStatuses(m),
    digest: machineDigest(m),
    metrics: {
      pageTableBytes: metrics.pageTableBytes,
      rmpTableBytes: metrics.rmpTableBytes,
      doubleBackedBytes: metrics.doubleBackedBytes,
      dmSplits: m.count('dm-split'),
      dmUnmaps: m.count('dm-unmap'),
      rmpupdateFailures: m.count('rmpupdate-fail'),
      oom: m.count('oom'),
      ignored: m.count('ignored'),
    },
  };
}
