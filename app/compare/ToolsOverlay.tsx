/**
 * The tools sheet over the explorer: compare (A/B), sweep and import, one at a time. Loaded
 * lazily from App, so none of this (nor the tools worker) costs the explorer's first frame.
 */
import { useEffect, useRef } from 'react';
import type { RunInfo } from '../../src/worker/protocol';
import { ImportPanel } from '../import/ImportPanel';
import { type Tool, useUi } from '../store';
import type { RunSource } from '../url';
import { ComparePanel } from './ComparePanel';
import { SweepPanel } from './SweepPanel';
import './tools.css';

const TITLES: Record<Tool, string> = {
  compare: 'Compare A/B',
  sweep: 'Sweep: every kernel design × backing',
  import: 'Import data from a real machine',
};

export default function ToolsOverlay(props: {
  tool: Tool;
  info: RunInfo | null;
  source: RunSource | null;
}) {
  const { tool, info, source } = props;
  const close = () => useUi.getState().setTool(null);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <section
      ref={ref}
      className="tools-sheet"
      aria-label={TITLES[tool]}
      tabIndex={-1}
      onKeyDown={(e) => {
        // Keys typed here (paste areas, pickers) are not the explorer's shortcuts.
        if (e.key === 'Escape') close();
        e.stopPropagation();
      }}
    >
      <header className="tools-head">
        <h2>{TITLES[tool]}</h2>
        <button type="button" className="text-button" onClick={close}>
          Close
        </button>
      </header>
      <div className="tools-body">
        {!info || !source ? (
          <p role="status">Waiting for the scenario to load…</p>
        ) : tool === 'sweep' ? (
          <SweepPanel info={info} source={source} />
        ) : tool === 'import' ? (
          <ImportPanel info={info} source={source} />
        ) : (
          <ComparePanel info={info} source={source} />
        )}
      </div>
    </section>
  );
}
