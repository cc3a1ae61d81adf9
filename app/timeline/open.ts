/**
 * The import path's doors into the timeline sheet: a `#src=` link whose file is a recording or
 * a Prometheus answer, and text pasted into the import sheet. Files go through
 * openIfTimelineFile (state.ts) so they are never read on the page.
 */
import { DEFAULT_PRESET, parseScenario } from '../../src/scenario/index';
import { getRun, loadSource } from '../run/session';
import { useUi } from '../store';
import { closeTimeline, looksLikeTimeline, openTimeline, showTimelineError } from './state';

/** A `#src=` file that is a timeline opens as one (true); anything else is the scenario path's. */
export function openedAsTimeline(text: string, url: string): boolean {
  if (!looksLikeTimeline(text.slice(0, 512))) return false;
  if (getRun().source === null)
    void loadSource({ kind: 'preset', preset: DEFAULT_PRESET }, { step: 0 });
  void openTimeline(text, url.split('/').pop() || url);
  return true;
}

/** Pasted text that is a timeline (true: the sheet took it). */
export function openIfTimelineText(text: string, name: string | null): boolean {
  if (!looksLikeTimeline(text.slice(0, 512))) return false;
  void openTimeline(text, name ?? 'pasted text');
  return true;
}

/**
 * "Open the recorded calls as a scenario": the recording's --trace calls (recorded-call events,
 * src/worker/trace-scenario.ts) load in the explorer at their last step, a scenario like any
 * other (its link is a normal `#v=…&s=` scenario link); the timeline and import sheets close once it runs.
 */
export async function openTraceScenario(json: Record<string, unknown>): Promise<void> {
  const p = parseScenario(json);
  if (!p.ok) {
    showTimelineError(
      'recorded calls',
      'The recorded calls cannot run as a scenario',
      p.errors.map((e) => e.message),
    );
    return;
  }
  const ok = await loadSource(
    { kind: 'scenario', scenario: p.scenario },
    { step: p.scenario.events.length },
  );
  if (!ok) return;
  // The explorer, not the import sheet the recording came through, shows the scenario.
  useUi.getState().setTool(null);
  closeTimeline();
}
