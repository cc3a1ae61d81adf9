/**
 * The explorer: header with the scenario's questions, the memory map between the counters and
 * the outcome log, charts and the narration under the map, the timeline at the bottom.
 */
import {
  lazy,
  memo,
  Suspense,
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { MapLayer } from '../src/worker/protocol';
import { Header } from './controls/Header';
import { ScenarioPanel } from './controls/ScenarioPanel';
import { TimelineBar } from './controls/TimelineBar';
import { useKeyboard } from './controls/useKeyboard';
import { usePlayback } from './controls/usePlayback';
import { getEngine } from './engine-client';
import { useOpenScenarioAnywhere } from './import/open-scenario';
import { runCauses } from './map/cause-colours';
import { Inspector } from './map/Inspector';
import { MemoryMap } from './map/MemoryMap';
import { CaptionStrip } from './panels/CaptionStrip';
import { Charts } from './panels/Charts';
import { CountersPanel } from './panels/CountersPanel';
import { ExplanationPanel } from './panels/ExplanationPanel';
import { GuestList } from './panels/GuestList';
import { HelpOverlay } from './panels/HelpOverlay';
import { kindMeta } from './panels/kinds';
import { NoticeBanner } from './panels/NoticeBanner';
import { OutcomeLog } from './panels/OutcomeLog';
import { LectureStrip } from './present/LectureStrip';
import { useLectureKeys } from './present/useLectureKeys';
import { useRun } from './run/session';
import { useStepView } from './run/useStepView';
import { WorkerFailedBanner } from './run/WorkerFailedBanner';
import { ShareDialog } from './share/ShareDialog';
import { SrcErrorBanner } from './share/SrcErrorBanner';
import { useUrlSync } from './share/useUrlSync';
import { useUi } from './store';
import { TimelineSlot } from './timeline/TimelineSlot';

// Compare, sweep and import are loaded on first use: the explorer's bundle stays lean.
const ToolsOverlay = lazy(() => import('./compare/ToolsOverlay'));
// Exports pull in the SVG writer, PNG metadata and zip: loaded when the dialog first opens.
const ExportDialog = lazy(() => import('./export/ExportDialog'));
// "Where does DirectMap4k come from": only runs whose step views carry byCause load it.
const CausesPanel = lazy(() => import('./panels/CausesPanel'));

const LAYER_LABELS: Record<MapLayer, string> = {
  'direct-map': 'Direct map',
  vmm: 'VMM mapping',
  rmp: 'RMP',
  guest: 'Guest view',
};

function useReducedMotion(): boolean {
  const [reduced, setReduced] = useState(
    () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false,
  );
  useEffect(() => {
    const mq = window.matchMedia?.('(prefers-reduced-motion: reduce)');
    if (!mq) return;
    const on = () => setReduced(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return reduced;
}

const LayerPicker = memo(function LayerPicker(props: { guests: string[] }) {
  const layer = useUi((s) => s.layer);
  const guestIndex = useUi((s) => s.guestIndex);
  const ui = useUi.getState();
  return (
    <div className="layer-bar">
      <div className="segments" role="radiogroup" aria-label="Map layer">
        {(Object.keys(LAYER_LABELS) as MapLayer[]).map((l) => (
          <label key={l} className={layer === l ? 'checked' : ''}>
            <input
              type="radio"
              name="layer"
              value={l}
              checked={layer === l}
              onChange={() => ui.setLayer(l)}
            />
            {LAYER_LABELS[l]}
          </label>
        ))}
      </div>
      {layer === 'guest' && props.guests.length > 1 && (
        <select
          aria-label="Guest"
          value={guestIndex}
          onChange={(e) => ui.setGuestIndex(Number(e.currentTarget.value))}
        >
          {props.guests.map((g, i) => (
            <option key={g} value={i}>
              {g}
            </option>
          ))}
        </select>
      )}
    </div>
  );
});

/**
 * A preset rerun with another kernel or backing: its title says "rerun …" and the preset's
 * captions are not shown (they narrate the preset as written); the engine's note says why, so a
 * slide never shows a rerun without a word.
 */
function OverrideNote(props: { note: string | undefined }) {
  if (props.note === undefined) return null;
  return <span className="override-note">{props.note}</span>;
}

export function App() {
  const run = useRun();
  const { info, generation } = run;
  // The panels around the map follow a new run in a background render (React yields every few
  // ms), so the map mounts and asks for its snapshot in the first commit after a load.
  const panelInfo = useDeferredValue(info, null);
  const panelGeneration = useDeferredValue(generation, 0);
  const step = useUi((s) => s.step);
  const theme = useUi((s) => s.theme);
  const layer = useUi((s) => s.layer);
  const playing = useUi((s) => s.playing);
  const selectedPfn = useUi((s) => s.selectedPfn);
  const zoom = useUi((s) => s.zoom);
  const guestIndex = useUi((s) => s.guestIndex);
  const panels = useUi((s) => s.panels);
  const tool = useUi((s) => s.tool);
  const { view, prev, generation: viewGeneration } = useStepView(step, generation);
  // Until the new run's first answers arrive, the panels still show the previous run: dim them.
  const stale = info !== null && (viewGeneration !== generation || panelGeneration !== generation);
  const reducedMotion = useReducedMotion();
  const [status, setStatus] = useState('');
  const statusTimer = useRef(0);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);

  useUrlSync();
  usePlayback();
  useOpenScenarioAnywhere();

  const jump = useCallback(async (kind: string, dir: 1 | -1) => {
    const ui = useUi.getState();
    ui.setPlaying(false);
    const to = await getEngine().findOutcome(ui.step, kind, dir);
    const label = kindMeta(kind).label;
    window.clearTimeout(statusTimer.current);
    if (to >= 0) {
      useUi.getState().seek(to);
      setStatus(`${dir > 0 ? 'Next' : 'Previous'} ${label}: step ${to}`);
    } else {
      setStatus(`No ${dir > 0 ? 'later' : 'earlier'} ${label}`);
    }
    statusTimer.current = window.setTimeout(() => setStatus(''), 2500);
  }, []);
  useKeyboard(jump);
  const dialog = useUi((s) => s.dialog);
  const lecture = useUi((s) => s.lecture);
  const noCaptions = useMemo(() => [], []);
  useLectureKeys(info?.captions ?? noCaptions);

  const guestNames = useMemo(() => info?.guests.map((g) => g.name) ?? [], [info]);
  const colourBy = useUi((s) => s.colourBy);
  const byCause = stale ? undefined : view?.byCause;
  const causes = useMemo(() => {
    const all = info ? runCauses(info) : undefined;
    if (!all || all.length === 0) return null;
    return { causes: all, present: new Set((byCause ?? []).map((r) => r.cause)) };
  }, [info, byCause]);
  const ui = useUi.getState();
  const mapProps = {
    snapshotStep: step,
    layer,
    selectedPfn,
    onSelect: (pfn: number | null) => ui.selectPfn(pfn),
    onZoomChange: (z: { start: number; end: number }) => ui.setZoom(z),
    guestIndex,
    theme,
    animate: !reducedMotion && !playing,
    playing,
    followDefault: lecture,
    compact: lecture,
    tipsOff: selectedPfn !== null,
    causes,
    colourBy,
    onColourBy: (c: 'state' | 'cause') => ui.setColourBy(c),
    ...(zoom ? { zoom } : {}),
  };

  // Lecture mode is a projector view: the map and the narration take the screen (no header,
  // notices, side columns or charts; the step bar stays, Esc restores everything).
  const showLog = panels.log && !lecture;
  const showCounters = panels.counters && !lecture;
  const columns = `app-main${showCounters ? '' : ' no-left'}${showLog ? '' : ' no-right'}`;
  return (
    <div className={lecture ? 'app app-lecture' : 'app'}>
      {!lecture && (
        <Header info={info} source={run.source} pending={run.pending} loading={run.loading} />
      )}
      {!lecture && <NoticeBanner notices={run.notices} />}
      <SrcErrorBanner />
      <WorkerFailedBanner />
      <main className={columns}>
        {showCounters && (
          <aside className={`column left${stale ? ' stale' : ''}`} aria-label="Counters and guests">
            <CountersPanel view={view} prev={prev} gbpages={panelInfo?.gbpages ?? true} />
            {byCause && view && (
              <Suspense fallback={null}>
                <CausesPanel
                  rows={byCause}
                  meminfo={view.metrics.meminfo}
                  step={view.step}
                  gbpages={panelInfo?.gbpages ?? true}
                  causes={panelInfo ? runCauses(panelInfo) : undefined}
                />
              </Suspense>
            )}
            {panelInfo && <GuestList info={panelInfo} view={view} />}
            <ScenarioPanel info={panelInfo} />
          </aside>
        )}
        <div className={lecture ? 'center lecture-mode' : 'center'}>
          <div className="center-top">
            <div className="title-block">
              <h1 className="scenario-title" title={info?.description ?? ''}>
                {info?.title ?? 'Loading…'}
              </h1>
              <OverrideNote note={info?.narrativeNote} />
            </div>
            <LayerPicker guests={guestNames} />
          </div>
          <div className="map-area">
            <div className="map-slot">{info && <MemoryMap {...mapProps} />}</div>
            {run.loading && (
              <div className="map-busy" role="status">
                Running the scenario in the engine worker…
              </div>
            )}
            {info && selectedPfn !== null && (
              <div className="inspector-slot">
                <Inspector step={step} pfn={selectedPfn} onClose={() => ui.selectPfn(null)} />
              </div>
            )}
          </div>
          {info && lecture && <LectureStrip info={info} step={step} />}
          {info && !lecture && (
            <CaptionStrip
              info={info}
              step={step}
              caption={stale ? null : (view?.caption ?? null)}
              steady
            />
          )}
          {panelInfo && panels.charts && !lecture && (
            <Charts series={panelInfo.series} gbpages={panelInfo.gbpages} />
          )}
        </div>
        {showLog && (
          <aside className={`column right${stale ? ' stale' : ''}`} aria-label="Outcomes">
            <OutcomeLog generation={panelGeneration} />
            <ExplanationPanel generation={panelGeneration} />
          </aside>
        )}
      </main>
      <TimelineBar info={info} jump={jump} status={status} />
      <HelpOverlay />
      <TimelineSlot />
      {info && dialog === 'share' && (
        <ShareDialog info={info} step={step} onClose={() => ui.setDialog(null)} />
      )}
      {info && dialog === 'export' && (
        <Suspense fallback={<div className="tools-loading">Loading…</div>}>
          <ExportDialog info={info} step={step} onClose={() => ui.setDialog(null)} />
        </Suspense>
      )}
      {tool && (
        <Suspense fallback={<div className="tools-loading">Loading…</div>}>
          <ToolsOverlay tool={tool} info={info} source={run.source} />
        </Suspense>
      )}
    </div>
  );
}
