/**
 * A fracture-record.sh --trace recording as a scenario (`sim import host.frec --scenario`, the
 * timeline's "Open the recorded calls as a scenario"): format version 2, no guests, design
 * no-snp, host.linux from the kernel_release header (hostLinuxOf), the RAM from the e820 header
 * when it was recorded (its System RAM ranges) else meminfo.MemTotal rounded up to 2 MiB, and one
 * `recorded-call {call, pfn, count, caller}` event per trace line, in order: pfn = dm_offset /
 * 4096 (the offset from the direct-map base is the physical address), count its pages, caller
 * the first stack frame that is not the traced function (callerOf, as "who split what" groups).
 * Calls the scenario cannot place are left out and counted in `skipped`: outside the direct map
 * (region=outside: module text, a BPF image), beyond the recorded RAM, or a function the model
 * does not replay.
 */
import { hostLinuxOf } from '../formats/import/kernel-release';
import type { Timeline, TraceEvent } from '../formats/import/timeline';
import { isRecordedCall } from '../machine/causes/recorded';

const FRAME = /^(.*?)(?:\+(?:\d+|0x[0-9a-fA-F]+))?(?:\[([\w.-]+)\])?$/;

/**
 * The frame nearest the symbol the call came from: the first that is not the traced function,
 * as "symbol" or "symbol [module]".
 */
export function callerOf(ev: TraceEvent): string {
  for (const f of ev.stack) {
    const m = FRAME.exec(f);
    const sym = m?.[1] ?? f;
    if (sym !== ev.fn && sym !== '?' && sym !== '') return m?.[2] ? `${sym} [${m[2]}]` : sym;
  }
  return '(no stack)';
}

export interface TraceScenario {
  /** The scenario JSON (parseScenario() validates it like any other). */
  scenario: Record<string, unknown>;
  /** Calls left out, with why (one line per reason). */
  skipped: string[];
}

const hex = (n: number) => `0x${n.toString(16)}`;
const MiB2 = 2 * 1024 * 1024;

/** The host's usable RAM: e820 System RAM ranges, or MemTotal; null when neither was recorded. */
function hostOf(tl: Timeline): Record<string, unknown> | null {
  const ranges: [string, string][] = [];
  for (const [k, v] of Object.entries(tl.header)) {
    if (!/^e820\.\d+$/.test(k)) continue;
    const m = /^(0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\s+System RAM$/.exec(v.trim());
    if (!m) continue;
    // /sys/firmware/memmap ends are inclusive; a scenario's are exclusive, in whole pages.
    const start = Math.ceil(Number.parseInt(m[1]!, 16) / 4096) * 4096;
    const end = Math.floor((Number.parseInt(m[2]!, 16) + 1) / 4096) * 4096;
    if (end > start) ranges.push([hex(start), hex(end)]);
  }
  if (ranges.length > 0) {
    ranges.sort((a, b) => Number.parseInt(a[0], 16) - Number.parseInt(b[0], 16));
    return { ranges };
  }
  const kb = Number(tl.header['meminfo.MemTotal']);
  if (!(kb > 0)) return null;
  return { ram: hex(Math.ceil((kb * 1024) / MiB2) * MiB2) };
}

function endOf(host: Record<string, unknown>): number {
  if (typeof host.ram === 'string') return Number.parseInt(host.ram, 16);
  const r = host.ranges as [string, string][];
  return Number.parseInt(r[r.length - 1]![1], 16);
}

/** The recording's calls as a scenario; null with a reason when it has no RAM size to run on. */
export function traceScenario(tl: Timeline): TraceScenario | { error: string } {
  const host = hostOf(tl);
  if (host === null)
    return {
      error: 'the recording has no e820 map and no meminfo.MemTotal: no RAM size to run on',
    };
  const release = tl.header.kernel_release;
  const linux = release ? hostLinuxOf(release) : null;
  if (linux !== null) host.linux = linux;
  const end = endOf(host) / 4096;
  const why = new Map<string, number>();
  const skip = (reason: string) => why.set(reason, (why.get(reason) ?? 0) + 1);
  const events: Record<string, unknown>[] = [];
  for (const ev of tl.trace) {
    if (!isRecordedCall(ev.fn)) skip(`${ev.fn}: not a call the model replays`);
    else if (ev.dmOffset === null) skip('outside the direct map (region=outside)');
    else if (Math.floor(ev.dmOffset / 4096) >= end) skip('beyond the recorded RAM');
    else
      events.push({
        op: 'recorded-call',
        call: ev.fn,
        pfn: hex(Math.floor(ev.dmOffset / 4096)),
        count: Math.max(1, Math.min(ev.pages, 1_000_000)),
        caller: callerOf(ev).slice(0, 200),
      });
  }
  const who = tl.host ? ` on ${tl.host}` : '';
  return {
    scenario: {
      version: 2,
      title: `Recorded calls${who}${release ? ` (${release})` : ''}`,
      description: `${events.length} set_memory_* / set_direct_map_* / set_mce_nospec call(s) from a fracture-record.sh --trace recording, replayed on the direct map.`,
      host,
      kernel: 'no-snp',
      guests: [],
      events,
    },
    skipped: [...why].map(([reason, n]) => `${n} call(s) left out: ${reason}`),
  };
}
