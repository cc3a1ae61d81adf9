/**
 * The events of a long run, generated as the run needs them: a 10-million-event scenario would
 * otherwise spend seconds generating (and seconds more hashing) every event before its first
 * frame. The feed packs each event once, in chunks, the first time a step asks for it, and hashes
 * it for the scenario digest on the way, so the digest is ready once the last event is made.
 *
 * Packed at 12 bytes an event (op, via, guest, and gpa/pfn and size in 4 KiB pages); an event
 * that does not fit (an unaligned or huge address) is kept as it is, beside the arrays.
 * Deterministic: the events are those of compilePacked() (the same generator), in order.
 */
import type { EngineEvent, MachineSpec } from '../machine/events';
import { EVENT_OPS, generateEvents, type Scenario } from '../scenario/index';
import { DigestStream } from './digest-stream';

/** Events generated at a time (a chunk costs ~10 ms; the timeline asks for one event at a time). */
const CHUNK = 32_768;
const PAGE = 4096;
const PAGES_MAX = 2 ** 32;

const OP_CODE = new Map<EngineEvent['op'], number>(EVENT_OPS.map((op, i) => [op, i]));

/**
 * The number of events the scenario makes, when it is known without generating them: a workload
 * with a profile that never runs dry (virtio-io, uniform) makes exactly `steps`; lazy-accept
 * and linux-boot alone may stop short, and then only generating tells (null).
 */
export function knownLength(s: Scenario): number | null {
  const w = s.workload;
  if (w === undefined) return s.events.length;
  if (w.steps === 0) return s.events.length;
  const endless = w.profiles.some((p) => p.profile === 'virtio-io' || p.profile === 'uniform');
  return endless && s.guests.length > 0 ? w.steps + s.events.length : null;
}

export class EventFeed {
  readonly length: number;
  private readonly op: Uint8Array;
  private readonly via: Uint8Array;
  private readonly guest: Uint16Array;
  private readonly addrPages: Uint32Array;
  private readonly sizePages: Uint32Array;
  private readonly odd = new Map<number, EngineEvent>();
  private readonly source: Iterator<EngineEvent>;
  private readonly hash: DigestStream;
  private made = 0;

  /** `length` from knownLength(s): the feed throws if the scenario makes fewer events. */
  constructor(s: Scenario, spec: MachineSpec, length: number) {
    this.length = length;
    this.op = new Uint8Array(length);
    this.via = new Uint8Array(length);
    this.guest = new Uint16Array(length);
    this.addrPages = new Uint32Array(length);
    this.sizePages = new Uint32Array(length);
    this.source = generateEvents(s, spec);
    this.hash = new DigestStream(s, spec);
  }

  /** Events generated so far. */
  get generated(): number {
    return this.made;
  }

  /** Bytes the packed arrays hold (all of them, allocated up front). */
  get bytes(): number {
    return this.length * 12;
  }

  /** The scenario digest (scenarioDigest()), once every event is generated; else null. */
  digest(): string | null {
    return this.made >= this.length ? this.hash.finish(this.made) : null;
  }

  at(i: number): EngineEvent | undefined {
    if (i >= this.made) {
      if (i >= this.length) return undefined;
      this.fill(Math.max(i + 1, this.made + CHUNK));
    }
    const odd = this.odd.get(i);
    if (odd) return odd;
    const op = EVENT_OPS[this.op[i]!]!;
    const addr = this.addrPages[i]! * (op === 'host-write' ? 1 : PAGE);
    return {
      op,
      guest: this.guest[i]!,
      gpa: op === 'host-write' ? 0 : addr,
      pfn: op === 'host-write' ? addr : 0,
      sizeBytes: this.sizePages[i]! * PAGE,
      via: this.via[i] === 1 ? 'direct-map' : 'user',
    };
  }

  /** Generate events up to index `end` (exclusive; at most the length). */
  fill(end: number): void {
    const n = Math.min(this.length, end);
    const h = this.hash;
    while (this.made < n) {
      const r = this.source.next();
      if (r.done) throw new Error(`the scenario made ${this.made} events, not ${this.length}`);
      const e = r.value;
      const i = this.made++;
      h.event(e);
      const addr = e.op === 'host-write' ? e.pfn : e.gpa / PAGE;
      const size = e.sizeBytes / PAGE;
      if (
        !Number.isInteger(addr) ||
        addr < 0 ||
        addr >= PAGES_MAX ||
        !Number.isInteger(size) ||
        size < 0 ||
        size >= PAGES_MAX ||
        (e.op === 'host-write' && e.gpa !== 0) ||
        (e.op !== 'host-write' && e.pfn !== 0) ||
        e.guest > 0xffff
      ) {
        this.odd.set(i, e);
        continue;
      }
      this.op[i] = OP_CODE.get(e.op) ?? 0;
      this.via[i] = e.via === 'direct-map' ? 1 : 0;
      this.guest[i] = e.guest;
      this.addrPages[i] = addr;
      this.sizePages[i] = size;
    }
  }
}
