/**
 * scenarioDigest(): a stable fingerprint of what a scenario makes the engine do — the compiled
 * MachineSpec, every event and the captions — as FNV-1a over canonical text. Two lanes of 32-bit
 * FNV-1a with different offset bases give 64 bits, enough to tell golden fixtures apart; this is
 * a change detector, not a cryptographic hash. (The engine's own state digest is separate.)
 */
import type { EngineEvent } from '../machine/events';
import { generateEvents, type PackedEvents, scenarioSpec } from './compile';
import { eraLinux } from './host-linux';
import type { Scenario } from './types';

const FNV_PRIME = 16777619;

export class Fnv1a64 {
  private h1 = 0x811c9dc5;
  private h2 = 0x84222325; // low half of the 64-bit FNV offset basis, as a second lane

  update(text: string): this {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // Both bytes of each UTF-16 unit, so non-ASCII text hashes the same on every engine.
      h1 = Math.imul(h1 ^ (c & 0xff), FNV_PRIME);
      h1 = Math.imul(h1 ^ (c >>> 8), FNV_PRIME);
      h2 = Math.imul(h2 ^ (c >>> 8), FNV_PRIME);
      h2 = Math.imul(h2 ^ (c & 0xff), FNV_PRIME);
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  /** update(String(n)) without building the string (digits of a safe non-negative integer). */
  updateNumber(n: number): this {
    if (!(Number.isSafeInteger(n) && n >= 0)) return this.update(String(n));
    const d = this.digits;
    let k = 0;
    let x = n;
    do {
      const q = Math.floor(x / 10);
      d[k++] = 48 + (x - q * 10);
      x = q;
    } while (x > 0);
    let h1 = this.h1;
    let h2 = this.h2;
    // ASCII digits: the high byte of each UTF-16 unit is 0.
    while (k > 0) {
      const c = d[--k]!;
      h1 = Math.imul(Math.imul(h1 ^ c, FNV_PRIME), FNV_PRIME);
      h2 = Math.imul(Math.imul(h2, FNV_PRIME) ^ c, FNV_PRIME);
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  private readonly digits = new Uint8Array(20);

  hex(): string {
    const part = (h: number) => (h >>> 0).toString(16).padStart(8, '0');
    return part(this.h1) + part(this.h2);
  }
}

/** JSON with object keys sorted and no whitespace; undefined fields are left out. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/**
 * Hash an event's canonical text `${op},${guest},${gpa},${pfn},${sizeBytes},${via};` without
 * building the string (a million-event load hashes them all).
 */
function hashEvent(h: Fnv1a64, e: EngineEvent): void {
  h.update(e.op).update(',').updateNumber(e.guest).update(',').updateNumber(e.gpa);
  h.update(',').updateNumber(e.pfn).update(',').updateNumber(e.sizeBytes);
  h.update(',').update(e.via).update(';');
}

/**
 * "fnv1a64:" + 16 hex digits over spec, events and captions. Pass the events compilePacked()
 * already made for this scenario to hash those instead of generating them a second time (a
 * million-event run would otherwise compile twice before its first frame).
 */
export function scenarioDigest(s: Scenario, compiled?: PackedEvents): string {
  const spec = scenarioSpec(s);
  const h = new Fnv1a64();
  // A host kernel version that is the design's era is what every version-1 scenario ran: left
  // out, so their digests (and the golden links') stay the ones they always had.
  const { linux, ...host } = spec.host;
  const hashed = linux === eraLinux(spec.kernel) ? { ...spec, host } : spec;
  h.update(canonicalJson({ spec: hashed, captions: s.captions }));
  let n = 0;
  if (compiled) {
    for (; n < compiled.length; n++) hashEvent(h, compiled.at(n));
  } else
    for (const e of generateEvents(s, spec)) {
      hashEvent(h, e);
      n++;
    }
  h.update(`#${n}`);
  return `fnv1a64:${h.hex()}`;
}
