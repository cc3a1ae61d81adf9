/**
 * What the timeline sheet shows: nothing, a parse under way, an error, one host's timeline or a
 * fleet. Opening never touches the explorer's run (the sheet lies over it and closing it brings
 * the explorer back as it was). The text is parsed in the tools worker: a File or a fetched
 * body goes there as a Blob and the main thread never reads it.
 */
import { create } from 'zustand';
import type {
  FleetView,
  TimelineInput,
  TimelineOpenResult,
  TimelineView,
} from '../../src/worker/protocol';
import { getTools } from '../tools-client';

/** A timeline file is refused over this size before it is read (timeline.ts MAX_TIMELINE_CHARS). */
export const MAX_TIMELINE_BYTES = 512 * 1024 * 1024;

export type TimelineShown =
  | { kind: 'none' }
  | { kind: 'busy'; name: string; what: string }
  | { kind: 'error'; name: string; title: string; messages: string[] }
  | { kind: 'one'; name: string; view: TimelineView; fleet: FleetView | null }
  | { kind: 'fleet'; name: string; fleet: FleetView };

export interface TimelineState {
  shown: TimelineShown;
  /** The `#prom=` link the sheet came from (kept in the address bar while it is open). */
  link: string | null;
}

export const useTimeline = create<TimelineState>(() => ({ shown: { kind: 'none' }, link: null }));

const set = (shown: TimelineShown, link?: string | null) =>
  useTimeline.setState(link === undefined ? { shown } : { shown, link });

export function closeTimeline(): void {
  // A `#prom=` link leaves the address bar with the sheet; the explorer writes its own link next.
  if (useTimeline.getState().link !== null && /^#?prom=/.test(window.location.hash))
    window.history.replaceState(
      window.history.state,
      '',
      window.location.pathname + window.location.search,
    );
  set({ kind: 'none' }, null);
}

export function showTimelineError(name: string, title: string, messages: string[]): void {
  set({ kind: 'error', name, title, messages });
}

export function showTimelineBusy(name: string, what: string, link: string | null = null): void {
  set({ kind: 'busy', name, what }, link);
}

/** The first characters of a recording or of a Prometheus API answer. */
export function looksLikeTimeline(head: string): boolean {
  return (
    head.startsWith('# fracture-record ') ||
    /^\s*\{\s*"(?:status|data|error|errorType|warnings)"\s*:/.test(head)
  );
}

/** A dropped or chosen file that is a recording or an answer: true when the sheet took it. */
export async function openIfTimelineFile(file: File): Promise<boolean> {
  let head: string;
  try {
    head = await file.slice(0, 512).text();
  } catch {
    return false;
  }
  if (!looksLikeTimeline(head)) return false;
  if (file.size > MAX_TIMELINE_BYTES) {
    const mib = (file.size / 2 ** 20).toFixed(0);
    showTimelineError(file.name, 'The recording is too large to open', [
      `${file.name} is ${mib} MiB, over the 512 MiB a timeline may have (a week of 1 s samples is about 120 MB): record a shorter span or a longer --interval, or ask Prometheus for a larger step`,
    ]);
    return true;
  }
  void openTimeline(file, file.name);
  return true;
}

function applyResult(r: TimelineOpenResult, name: string, fromProm: boolean): void {
  if (!r.ok) {
    const title = /Prometheus answered with an error/.test(r.errors[0] ?? '')
      ? 'Prometheus answered with an error'
      : fromProm
        ? 'The Prometheus answer cannot be opened'
        : 'This is not a recording Fracture can open';
    showTimelineError(name, title, [...r.errors, ...r.warnings]);
  } else if (r.kind === 'one') set({ kind: 'one', name, view: r.view, fleet: null });
  else set({ kind: 'fleet', name, fleet: r.fleet });
}

/** Parse in the tools worker and show what came back (an error is shown, never thrown). */
export async function openTimeline(
  input: TimelineInput,
  name: string,
  link: string | null = null,
): Promise<void> {
  showTimelineBusy(name, 'Parsing in the tools worker…', link);
  try {
    applyResult(await getTools().openTimeline(input), name, link !== null);
  } catch (e) {
    showTimelineError(name, 'The tools worker stopped', [String(e)]);
  }
}

/** One host of the fleet on show, as its own timeline (Back returns to the fleet). */
export async function openFleetHost(index: number): Promise<void> {
  const s = useTimeline.getState().shown;
  if (s.kind !== 'fleet') return;
  const view = await getTools().timelineHost(index);
  if (view) set({ kind: 'one', name: s.name, view, fleet: s.fleet });
}

export function backToFleet(): void {
  const s = useTimeline.getState().shown;
  if (s.kind === 'one' && s.fleet) set({ kind: 'fleet', name: s.name, fleet: s.fleet });
}
