/**
 * What the per-format import views share: the focusable result heading, hex and signed-kB text,
 * the map overlay's controls, and the button that turns an import into a scenario.
 */
import { type ReactNode, useState } from 'react';
import type { ImportData } from '../../../src/formats/index';
import type { RunInfo, ScenarioResult, ViewState } from '../../../src/worker/protocol';
import { formatDelta } from '../../panels/format';
import { loadSource } from '../../run/session';
import { useUi } from '../../store';
import { setImportOverlay, useImportOverlay } from '../map-overlay';

/** A format kind the parser returns (importText's data.format). */
export type ImportKind = ImportData['format'];

export interface FormatViewProps<K extends ImportKind> {
  data: Extract<ImportData, { format: K }>;
  /** The imported text (the reconcile parses it again in the tools worker). */
  text: string;
  info: RunInfo;
}

/** One format's entry in the registry (registry.ts): the name shown as "Detected: …", the view. */
export interface FormatView<K extends ImportKind> {
  name: string;
  View: (props: FormatViewProps<K>) => ReactNode;
}

export const hex = (n: number | bigint) => `0x${n.toString(16)}`;
/** machine − model in kB, signed as the counters panel signs deltas ("+2,048", "−287"). */
export const signedKb = (kb: number) => `${kb === 0 ? '0' : formatDelta(kb)} kB`;

/**
 * What the sheet focuses once a result is shown: the Import button is disabled while parsing,
 * which drops focus to <body>, where Esc no longer reaches the sheet.
 */
export const RESULT_HEADING = 'data-result-heading';
export const heading = { [RESULT_HEADING]: '', tabIndex: -1 };

/** Close the sheet and show the direct-map layer, zoomed to a byte range when given one. */
export function showOnMap(start: number | null, end: number | null): void {
  const ui = useUi.getState();
  ui.setTool(null);
  ui.setLayer('direct-map');
  if (start !== null && end !== null) ui.setZoom(contextAround(start, end));
}

/**
 * A byte range to zoom to around [start, end): a few 2 MiB regions either side within the 64 MiB
 * row of tiles it starts in (the map's row), or whole rows for a longer range.
 */
function contextAround(start: number, end: number): { start: number; end: number } {
  const region = 2 ** 21;
  const row = 32 * region;
  const rowStart = Math.floor(start / row) * row;
  if (end - start > 8 * region) return { start: rowStart, end: Math.ceil(end / row) * row };
  return {
    start: Math.max(rowStart, Math.floor(start / region) * region - 4 * region),
    end: Math.min(rowStart + row, Math.ceil(end / region) * region + 4 * region),
  };
}

/** The overlay's own controls: show it (closing the sheet) or take it off the map. */
export function OverlayActions(props: { what: string; onShow: () => void }) {
  const o = useImportOverlay();
  return (
    <p className="overlay-actions">
      {o ? (
        <>
          <span className="tools-note">The {props.what} are drawn on the memory map. </span>
          <button type="button" className="text-button" onClick={props.onShow}>
            Show the overlay on the map
          </button>{' '}
          <button type="button" className="text-button" onClick={() => setImportOverlay(null)}>
            Clear the map overlay
          </button>
        </>
      ) : (
        <span className="tools-note">No import overlay on the map.</span>
      )}
    </p>
  );
}

/**
 * A primary button that builds a scenario from the import in the tools worker, closes the sheet
 * and loads it; what went wrong shows under the button.
 */
export function ScenarioButton(props: {
  children: ReactNode;
  build: () => Promise<ScenarioResult>;
  view?: ViewState;
}) {
  const [err, setErr] = useState<string | null>(null);
  const run = async (): Promise<string | null> => {
    const r = await props.build();
    if (!r.ok) return r.errors.join('; ');
    useUi.getState().setTool(null);
    return (await loadSource({ kind: 'scenario', scenario: r.scenario }, props.view))
      ? null
      : 'the scenario did not load (see the notice)';
  };
  return (
    <>
      <button
        type="button"
        className="primary-button"
        onClick={() => void run().then(setErr, (e: unknown) => setErr(String(e)))}
      >
        {props.children}
      </button>
      {err && <p role="alert">{err}</p>}
    </>
  );
}
