/**
 * Scenario → what the engine runs: a MachineSpec and the ordered events, generated workload
 * first, then the explicit events. Event i (0-based) is step i + 1; step 0 is the host right
 * after boot. Deterministic: the same scenario gives the same events everywhere.
 *
 * For very long workloads use generateEvents() (a stream) or compilePacked() (typed arrays,
 * 20 bytes an event) instead of the array of objects compileScenario() returns.
 */
import { normalizeRanges } from '../machine/boot-layout';
import { RECORDED_CALLS } from '../machine/causes/recorded';
import { typicalE820 } from '../machine/e820';
import { type EngineEvent, type EventOp, isHostOp, type MachineSpec } from '../machine/events';
import { PAGE_SIZE } from '../machine/units';
import { resolveGuest } from './checks';
import { WorkloadGenerator } from './generate';
import { BOOT_DEFAULT } from './host-events';
import { eraLinux } from './host-linux';
import { type Caption, defaultKernelBytes, EVENT_OPS, type Scenario } from './types';
import { toBytes, toFrame } from './values';

export interface CompiledScenario {
  spec: MachineSpec;
  events: EngineEvent[];
  captions: Caption[];
}

/** The machine a scenario describes: host ranges, kernel memory, guests in bytes. */
export function scenarioSpec(s: Scenario): MachineSpec {
  const h = s.host;
  const raw =
    h.ranges !== undefined
      ? h.ranges.map(([a, b]) => ({ start: toBytes(a) ?? 0, end: toBytes(b) ?? 0 }))
      : typicalE820(toBytes(h.ram ?? '0') ?? 0);
  const ranges = normalizeRanges(raw);
  let total = 0;
  for (const r of ranges) total += r.end - r.start;
  const kernelBytes =
    h.kernelMemory !== undefined ? (toBytes(h.kernelMemory) ?? 0) : defaultKernelBytes(total);
  return {
    host: {
      ranges,
      layout: h.ranges !== undefined ? 'ranges' : 'e820-typical',
      gbpages: h.gbpages,
      allocator: h.allocator,
      kernelBytes,
      seed: h.seed ?? s.workload?.seed ?? 0,
      linux: h.linux ?? eraLinux(s.kernel),
      ...(h.la57 ? { la57: true } : {}),
      // Left out when they mean what absence means to the engine (keeps spec digests stable).
      ...((h.boot ?? BOOT_DEFAULT) === 'booted' ? { boot: 'booted' as const } : {}),
      ...(h.kfence === false ? { kfence: false } : {}),
      ...(h.debug_pagealloc === true ? { debugPagealloc: true } : {}),
      ...(h.cpu?.hvInUseWrAllowed ? { cpu: { hvInUseWrAllowed: true } } : {}),
      ...(h.gfpUnmapped === true ? { gfpUnmapped: true } : {}),
    },
    kernel: s.kernel,
    guests: s.guests.map((g) => ({
      name: g.name,
      memoryBytes: toBytes(g.memory) ?? 0,
      vcpus: g.vcpus,
      backing: g.backing,
      snp: g.snp,
      ...(g.gmemNoDirectMap === true ? { gmemNoDirectMap: true } : {}),
    })),
  };
}

/** The explicit events in engine form (all fields filled: 0 / "user" where unused). */
export function explicitEvents(s: Scenario): EngineEvent[] {
  const names = new Map(s.guests.map((g, i) => [g.name, i]));
  const modules = new Map<string, number>();
  return s.events.map((e) => {
    if (isHostOp(e.op)) return hostEvent(e, modules);
    const sized = e.op !== 'launch' && e.op !== 'exit';
    return {
      op: e.op,
      guest: resolveGuest(e.guest, s.guests, names) ?? 0,
      gpa: e.gpa !== undefined && e.op !== 'host-write' ? (toBytes(e.gpa) ?? 0) : 0,
      pfn: e.pfn !== undefined && e.op === 'host-write' ? (toFrame(e.pfn) ?? 0) : 0,
      sizeBytes: sized ? (toBytes(e.size ?? '4K') ?? PAGE_SIZE) : 0,
      via: e.op === 'hv-write' ? (e.via ?? 'user') : 'user',
    };
  });
}

/** A host-cause event in engine form (events.ts documents where each field goes). */
function hostEvent(e: Scenario['events'][number], modules: Map<string, number>): EngineEvent {
  let mod = 0;
  if (e.name !== undefined) {
    mod = modules.get(e.name) ?? modules.size;
    modules.set(e.name, mod);
  }
  const addr = e.start ?? e.pfn;
  const pfn =
    addr === undefined
      ? 0
      : e.start !== undefined
        ? (toBytes(addr) ?? 0) / PAGE_SIZE
        : (toFrame(addr) ?? 0);
  const sizeBytes = e.count ?? (e.size !== undefined ? (toBytes(e.size) ?? 0) : 0);
  if (e.op === 'recorded-call') mod = (RECORDED_CALLS as readonly string[]).indexOf(e.call ?? '');
  return { op: e.op, guest: Math.max(mod, 0), gpa: 0, pfn, sizeBytes, via: 'user' };
}

/** All events, generated then explicit, as a stream (constant memory for any length). */
export function* generateEvents(s: Scenario, spec = scenarioSpec(s)): Generator<EngineEvent> {
  if (s.workload !== undefined) yield* new WorkloadGenerator(spec, s.workload);
  yield* explicitEvents(s);
}

export function compileScenario(s: Scenario): CompiledScenario {
  const spec = scenarioSpec(s);
  const events: EngineEvent[] = [];
  if (s.workload !== undefined) {
    const gen = new WorkloadGenerator(spec, s.workload);
    for (let e = gen.nextEvent(); e !== null; e = gen.nextEvent()) events.push(e);
  }
  for (const e of explicitEvents(s)) events.push(e);
  return { spec, events, captions: s.captions.map((c) => ({ ...c })) };
}

/** Events as parallel typed arrays: op (index into EVENT_OPS), via (0 user, 1 direct-map). */
export class PackedEvents {
  readonly op: Uint8Array;
  readonly via: Uint8Array;
  readonly guest: Uint16Array;
  /** gpa for guest ops, pfn for host-write. */
  readonly addr: Float64Array;
  readonly sizeBytes: Float64Array;
  length = 0;

  constructor(readonly capacity: number) {
    this.op = new Uint8Array(capacity);
    this.via = new Uint8Array(capacity);
    this.guest = new Uint16Array(capacity);
    this.addr = new Float64Array(capacity);
    this.sizeBytes = new Float64Array(capacity);
  }

  push(e: EngineEvent): void {
    const i = this.length++;
    this.op[i] = OP_CODE.get(e.op) ?? 0;
    this.via[i] = e.via === 'direct-map' ? 1 : 0;
    this.guest[i] = e.guest;
    this.addr[i] = e.op === 'host-write' || isHostOp(e.op) ? e.pfn : e.gpa;
    this.sizeBytes[i] = e.sizeBytes;
  }

  at(i: number): EngineEvent {
    const op = EVENT_OPS[this.op[i] ?? 0] ?? 'launch';
    const addr = this.addr[i] ?? 0;
    const byPfn = op === 'host-write' || isHostOp(op);
    return {
      op,
      guest: this.guest[i] ?? 0,
      gpa: byPfn ? 0 : addr,
      pfn: byPfn ? addr : 0,
      sizeBytes: this.sizeBytes[i] ?? 0,
      via: this.via[i] === 1 ? 'direct-map' : 'user',
    };
  }
}

const OP_CODE = new Map<EventOp, number>(EVENT_OPS.map((op, i) => [op, i]));

export function compilePacked(s: Scenario): { spec: MachineSpec; events: PackedEvents } {
  const spec = scenarioSpec(s);
  const packed = new PackedEvents((s.workload?.steps ?? 0) + s.events.length);
  for (const e of generateEvents(s, spec)) packed.push(e);
  return { spec, events: packed };
}
