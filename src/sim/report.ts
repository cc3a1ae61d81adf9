/**
 * Text and JSON views of a machine for the command line and the golden fixtures: guest status
 * lines, the direct map as ptdump entries, and the `sim run --json` object whose field names are
 * a contract. Outcome lines are worded in src/formats/outcomes.ts.
 */
import type { DirectMapEntry } from '../formats/ptdump';
import { DM_UNMAPPED } from '../machine/frame-bits';
import type { Machine } from '../machine/machine';
import { formatSize, PAGE_SIZE, PAGES_PER_2M } from '../machine/units';
import { machineDigest } from './digest';
import { type Metrics, metricsOf, type OutcomeCounts } from './metrics';

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
    for (let pfn = p.start / PAGE_SIZE; pfn < p.end / PAGE_SIZE; ) {
      const r = Math.floor(pfn / PAGES_PER_2M);
      const regionEnd = Math.min((r + 1) * PAGES_PER_2M, p.end / PAGE_SIZE);
      const u = m.frames.uniformWord(r);
      if (u >= 0) {
        push(pfn * PAGE_SIZE, regionEnd * PAGE_SIZE, '4K', (u & DM_UNMAPPED) === 0);
        pfn = regionEnd;
        continue;
      }
      m.frames.readRegion(r, words);
      for (; pfn < regionEnd; pfn++) {
        const present = (words[pfn - r * PAGES_PER_2M]! & DM_UNMAPPED) === 0;
        push(pfn * PAGE_SIZE, (pfn + 1) * PAGE_SIZE, '4K', present);
      }
    }
  }
  return out;
}

export interface RunJson {
  title: string;
  scenarioDigest: string;
  kernel: string;
  /** The host kernel version whose rules ran (host.linux, else the design's era). */
  linux: string;
  /** 5-level paging (host.la57). */
  la57: boolean;
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
    linux: m.linux.version,
    la57: m.spec.host.la57 === true,
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
