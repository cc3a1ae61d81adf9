/**
 * The import path's doors into the timeline sheet: a `#src=` link whose file is a recording or
 * a Prometheus answer, and text pasted into the import sheet. Files go through
 * openIfTimelineFile (state.ts) so they are never read on the page.
 */
import { DEFAULT_PRESET } from '../../src/scenario/index';
import { getRun, loadSource } from '../run/session';
import { looksLikeTimeline, openTimeline } from './state';

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
