/**
 * The 80-column mailing-list report: replays the scenario the app runs up to a step and calls
 * formatReport. The engine worker has the machine already; this repeats that run so the report
 * needs no change to the engine worker's protocol (it is asked for rarely, on the export dialog).
 * The last machine is kept, so a later step continues from it instead of replaying from boot.
 *
 * Served by the tools worker bundle (ToolsHost.report), in an instance of its own, so the engine
 * is not bundled a third time and a running sweep never holds a report up.
 */

import { outcomeMessage } from '../formats/outcomes';
import { formatReport, REPORT_OUTCOMES } from '../formats/report';
import { applyEvent } from '../machine/apply';
import { Machine } from '../machine/machine';
import { compilePacked, type PackedEvents, parseScenario, scenarioDigest } from '../scenario/index';

export interface ReportRequest {
  /** The scenario as the engine ran it (RunInfo.scenario). */
  scenario: unknown;
  step: number;
  link: string;
  version: string;
}

export type ReportResult = { ok: true; text: string } | { ok: false; error: string };

let cache: { key: string; events: PackedEvents; machine: Machine; digest: string } | null = null;

function machineAt(scenario: unknown, step: number) {
  const key = JSON.stringify(scenario);
  if (!cache || cache.key !== key || cache.machine.step > step) {
    const p = parseScenario(scenario);
    if (!p.ok) return { error: p.errors.map((e) => e.message).join('; ') };
    const { spec, events } = compilePacked(p.scenario);
    cache = { key, events, machine: new Machine(spec), digest: scenarioDigest(p.scenario, events) };
  }
  const c = cache;
  const to = Math.max(0, Math.min(step, c.events.length));
  while (c.machine.step < to) applyEvent(c.machine, c.events.at(c.machine.step));
  return { machine: c.machine, steps: c.events.length, digest: c.digest, scenario: p0(scenario) };
}

const p0 = (s: unknown) => s as { title?: string; kernel: string };

/** The report for one step of a scenario; never throws. */
export function buildReport(req: ReportRequest): ReportResult {
  try {
    const r = machineAt(req.scenario, req.step);
    if ('error' in r) return { ok: false, error: r.error ?? 'invalid scenario' };
    const m = r.machine;
    // formatReport prints the last REPORT_OUTCOMES and counts the rest: only those need text.
    const first = Math.max(0, m.log.length - REPORT_OUTCOMES);
    const outcomes: { step: number; message: string }[] = new Array(first).fill({
      step: 0,
      message: '',
    });
    for (let i = first; i < m.log.length; i++) {
      const o = m.log.get(i);
      outcomes.push({ step: o.step, message: outcomeMessage(m, o) });
    }
    const text = formatReport({
      machine: m,
      title: r.scenario.title ?? 'Untitled scenario',
      step: m.step,
      steps: r.steps,
      kernel: r.scenario.kernel,
      link: req.link,
      version: req.version,
      scenarioDigest: r.digest,
      outcomes,
    });
    return { ok: true, text };
  } catch (e) {
    return { ok: false, error: `the report could not be built (${String(e)})` };
  }
}
