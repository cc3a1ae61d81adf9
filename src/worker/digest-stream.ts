/**
 * scenarioDigest() computed as the events are generated (src/scenario/digest.ts), for runs whose
 * events are made as they are needed (event-feed.ts): the same canonical header, the same text
 * per event, the same count at the end. digest-stream.test.ts checks it against scenarioDigest.
 */
import type { EngineEvent, MachineSpec } from '../machine/events';
import { Fnv1a64 } from '../scenario/digest';
import { canonicalJson, eraLinux, type Scenario } from '../scenario/index';

export class DigestStream {
  private readonly h = new Fnv1a64();
  private done: string | null = null;

  constructor(s: Scenario, spec: MachineSpec) {
    // As scenarioDigest: a host kernel version that is the design's era is left out.
    const { linux, ...host } = spec.host;
    const hashed = linux === eraLinux(spec.kernel) ? { ...spec, host } : spec;
    this.h.update(canonicalJson({ spec: hashed, captions: s.captions }));
  }

  /** The next event's canonical text `${op},${guest},${gpa},${pfn},${sizeBytes},${via};`. */
  event(e: EngineEvent): void {
    const h = this.h;
    h.update(e.op).update(',').updateNumber(e.guest).update(',').updateNumber(e.gpa);
    h.update(',').updateNumber(e.pfn).update(',').updateNumber(e.sizeBytes);
    h.update(',').update(e.via).update(';');
  }

  /** "fnv1a64:" + 16 hex digits, after `events` events (call once; later calls repeat it). */
  finish(events: number): string {
    this.done ??= `fnv1a64:${this.h.update(`#${events}`).hex()}`;
    return this.done;
  }
}
