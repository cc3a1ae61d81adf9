/**
 * The tools host: the heavy, one-shot jobs the explorer's panels ask for (sweep, import,
 * reconcile), answered off the main thread by a second worker so the explorer's own engine run
 * is never replaced or held up. Like EngineHost it is DOM-free and synchronous; tools-worker.ts
 * exposes it through comlink.
 *
 * Every answer is a plain, structured-cloneable value; bad input is a value with messages that
 * name the line and what was expected, never an exception.
 */

import { strFromU8 } from 'fflate';
import { MAX_INPUT_CHARS } from '../formats/import/common';
import {
  type ConversionEvent,
  type ImportOptions,
  type ImportResult,
  importPair,
  importText,
  type PairResult,
} from '../formats/import/index';
import {
  RL_NONE,
  reconcileDirectMap,
  reconcileMeminfo,
  regionLevels,
} from '../formats/import/reconcile';
import type { Meminfo } from '../formats/meminfo';
import { applyEvent } from '../machine/apply';
import { BACKINGS, type Backing, KERNEL_DESIGNS, type KernelDesign } from '../machine/events';
import { Machine } from '../machine/machine';
import {
  compilePacked,
  loadPreset,
  parseScenario,
  type Scenario,
  scenarioRanges,
} from '../scenario/index';
import type { ScenarioEvent } from '../scenario/types';
import { metricsOf } from '../sim/metrics';
import { sweepCell } from '../sim/sweep';
import { openScenario } from './open-scenario';
import type { OpenScenarioResult } from './protocol';
import {
  type Progress,
  type ReconcileResult,
  type ScenarioResult,
  type SweepCellResult,
  type SweepResult,
  type SweepRow,
  type TimelineInput,
  type TimelineOpenResult,
  type TimelineView,
  TOOLS_PROTOCOL_VERSION,
  type ToolsApi,
  type ToolsSource,
} from './protocol';
import { buildReport, type ReportRequest, type ReportResult } from './report';
import { TimelineStore } from './timeline-host';

export type {
  Progress,
  ReconcileResult,
  ScenarioResult,
  SweepResult,
  SweepRow,
  ToolsApi,
  ToolsSource,
} from './protocol';
export { MAX_INPUT_CHARS, TOOLS_PROTOCOL_VERSION };

function resolve(source: ToolsSource): ScenarioResult {
  const r = source.kind === 'preset' ? loadPreset(source.preset) : parseScenario(source.scenario);
  return r.ok
    ? { ok: true, scenario: r.scenario }
    : { ok: false, errors: r.errors.map((e) => e.message) };
}

function reparse(s: Scenario): ScenarioResult {
  const r = parseScenario(s);
  return r.ok
    ? { ok: true, scenario: r.scenario }
    : { ok: false, errors: r.errors.map((e) => e.message) };
}

/** The machine after `step` events (default: the last step). */
function machineAt(s: Scenario, step?: number): Machine {
  const { spec, events } = compilePacked(s);
  const m = new Machine(spec);
  const n = step === undefined ? events.length : Math.max(0, Math.min(events.length, step));
  for (let i = 0; i < n; i++) applyEvent(m, events.at(i));
  return m;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** Reconcile status (0 same, 1 different) → 0 unmapped on both sides, 1 agree, 2 differ. */
export function overlayCodes(status: Uint8Array, machineLevels: Uint8Array): Uint8Array {
  const out = new Uint8Array(status.length);
  for (let r = 0; r < status.length; r++)
    out[r] = status[r] === 1 ? 2 : machineLevels[r] !== RL_NONE ? 1 : 0;
  return out;
}

export class ToolsHost implements ToolsApi {
  private readonly timelines = new TimelineStore();

  protocolVersion(): number {
    return TOOLS_PROTOCOL_VERSION;
  }

  /** A recording or a Prometheus answer (timeline-host.ts): parsed here, never on the page. */
  openTimeline(input: TimelineInput): Promise<TimelineOpenResult> {
    return this.timelines.open(input);
  }

  timelineHost(index: number): TimelineView | null {
    return this.timelines.host(index);
  }

  report(req: ReportRequest): ReportResult {
    return buildReport(req);
  }

  /** Every kernel design × backing, designs in KERNEL_DESIGNS order, backings in BACKINGS order. */
  sweep(source: ToolsSource, onProgress?: Progress): SweepResult {
    const r = resolve(source);
    if (!r.ok) return r;
    const pairs: [KernelDesign, Backing][] = [];
    for (const k of KERNEL_DESIGNS) for (const b of BACKINGS) pairs.push([k, b]);
    const rows: SweepRow[] = [];
    for (const [k, b] of pairs) {
      onProgress?.(rows.length, pairs.length, `${k} × ${b}`);
      rows.push(sweepCell(r.scenario, k, b));
    }
    onProgress?.(rows.length, pairs.length, 'done');
    return { ok: true, rows };
  }

  sweepCell(source: ToolsSource, kernel: KernelDesign, backing: Backing): SweepCellResult {
    if (!KERNEL_DESIGNS.includes(kernel) || !BACKINGS.includes(backing))
      return { ok: false, errors: [`no sweep cell ${String(kernel)} × ${String(backing)}`] };
    const r = resolve(source);
    return r.ok ? { ok: true, row: sweepCell(r.scenario, kernel, backing) } : r;
  }

  importText(text: string, opts: ImportOptions = {}): ImportResult {
    return importText(text, opts);
  }

  importPair(before: string, after: string, opts: ImportOptions = {}): PairResult {
    return importPair(before, after, opts);
  }

  /** Size-checked before decoding: a file over the limit is never turned into a string. */
  importBytes(bytes: ArrayBuffer, opts: ImportOptions = {}): ImportResult {
    if (bytes.byteLength > MAX_INPUT_CHARS) {
      const mib = (bytes.byteLength / (1024 * 1024)).toFixed(1);
      return {
        ok: false,
        detection: { format: 'unknown', reason: 'not read', also: [] },
        errors: [
          {
            line: 0,
            message: `input is ${mib} MiB, over the 64 MiB limit`,
            expected: 'one dump or log excerpt of at most 64 MiB',
          },
        ],
        warnings: [],
      };
    }
    return importText(strFromU8(new Uint8Array(bytes)), opts);
  }

  openScenario(
    input: string | ArrayBuffer,
    name: string,
    options: { detect?: boolean } = {},
  ): OpenScenarioResult {
    return openScenario(input, name, options);
  }

  reconcile(source: ToolsSource, text: string, step?: number): ReconcileResult {
    const r = resolve(source);
    if (!r.ok) return r;
    const imp = importText(text);
    if (!imp.ok) {
      return {
        ok: false,
        errors: imp.errors.map(
          (e) => `${e.line > 0 ? `line ${e.line}: ` : ''}${e.message} (expected ${e.expected})`,
        ),
      };
    }
    const d = imp.data;
    if (d.format !== 'ptdump' && d.format !== 'meminfo') {
      return {
        ok: false,
        errors: [
          `${d.format} carries no direct map to reconcile (expected a ptdump or /proc/meminfo)`,
        ],
      };
    }
    const m = machineAt(r.scenario, step);
    const model: Meminfo = metricsOf(m).meminfo;
    if (d.format === 'meminfo') {
      return {
        ok: true,
        format: 'meminfo',
        step: m.step,
        meminfo: reconcileMeminfo(model, d.meminfo),
        regions: null,
        overlay: null,
      };
    }
    const { status, meminfo, ...regions } = reconcileDirectMap(m.dm, d.ptdump.pieces);
    return {
      ok: true,
      format: 'ptdump',
      step: m.step,
      meminfo,
      regions,
      overlay: overlayCodes(status, regionLevels(d.ptdump.pieces, status.length)),
    };
  }

  onHostLayout(
    source: ToolsSource,
    ranges: { start: number; end: number }[],
    linux?: string | null,
  ): ScenarioResult {
    const r = resolve(source);
    if (!r.ok) return r;
    if (ranges.length === 0) return { ok: false, errors: ['the import has no usable RAM ranges'] };
    const { ram: _ram, kernelMemory: _k, ...host } = r.scenario.host;
    const last = ranges[ranges.length - 1]!;
    const kernel = linux ? `; kernel ${linux} from its linux_banner line` : '';
    return reparse({
      ...r.scenario,
      title: `${r.scenario.title ?? 'Scenario'} on an imported host layout`,
      description: `Host RAM from an imported memory map: ${ranges.length} usable range(s) up to ${hex(last.end)}${kernel}.`,
      host: { ...host, ranges: scenarioRanges(ranges), ...(linux ? { linux } : {}) },
    });
  }

  withConversions(source: ToolsSource, events: ConversionEvent[], guest = 0): ScenarioResult {
    const r = resolve(source);
    if (!r.ok) return r;
    const g = r.scenario.guests[guest];
    if (!g) return { ok: false, errors: [`the scenario has no guest ${guest}`] };
    const added: ScenarioEvent[] = events.map((e) => ({
      op: e.op,
      guest: g.name,
      gpa: hex(e.gpa),
      size: String(e.sizeBytes),
    }));
    return reparse({ ...r.scenario, events: [...r.scenario.events, ...added] });
  }
}
