/**
 * The timeline sheet over the explorer: a recording or a Prometheus answer, opened from the
 * import sheet (file picker, drop, paste), a `#src=` link or a `#prom=` link. One host shows its
 * tracks; a fleet shows its ranking first. Closing it leaves the explorer as it was. Loaded
 * lazily from App (TimelineSlot), so none of this costs the explorer's first frame.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TimelineView } from '../../src/worker/protocol';
import { FleetPanel } from './FleetPanel';
import { backToFleet, closeTimeline, type TimelineShown, useTimeline } from './state';
import { FrameMap, TraceTable } from './TimelineDetails';
import { type CursorInfo, frameTime, TimelineTracks } from './TimelineTracks';
import { timeAxis } from './tracks';
import '../compare/tools.css';
import './timeline.css';

const FACTS = [
  'kernel_release',
  'machine',
  'interval_s',
  'started_utc',
  'config.CONFIG_X86_DIRECT_GBPAGES',
];

function span(view: TimelineView): string {
  const t = view.columns.t;
  if (t.length < 2) return `${t.length} sample`;
  const s = t[t.length - 1]! - t[0]!;
  const d =
    s >= 86400
      ? `${(s / 86400).toFixed(1)} days`
      : s >= 3600
        ? `${(s / 3600).toFixed(1)} h`
        : `${s.toFixed(0)} s`;
  return `${t.length.toLocaleString('en-US')} samples over ${d}`;
}

function HostTimeline(props: { view: TimelineView; fromFleet: boolean }) {
  const { view } = props;
  const axis = useMemo(() => timeAxis(view.columns), [view]);
  const offset =
    axis.wall && view.columns.t.length > 0 ? view.columns.wall[0]! - view.columns.t[0]! : 0;
  const frameTimes = useMemo(
    () => view.frames.map((f) => frameTime(f, axis.wall, offset)),
    [view, axis, offset],
  );
  const [frame, setFrame] = useState(Math.max(0, view.frames.length - 1));
  const [diff, setDiff] = useState(false);
  const [seekTo, setSeekTo] = useState<number | null>(null);
  const onCursor = (c: CursorInfo) => {
    // The frame shown is the last one taken at or before the cursor.
    let k = 0;
    for (let i = 0; i < frameTimes.length; i++) if (frameTimes[i]! <= c.time) k = i;
    setFrame(k);
  };
  const facts = FACTS.filter((k) => view.header[k] !== undefined);
  return (
    <div className="timeline-host">
      <div className="timeline-facts">
        {props.fromFleet && (
          <button type="button" className="text-button" onClick={backToFleet}>
            ← Back to the fleet
          </button>
        )}
        <strong>{view.host ?? 'this host'}</strong>
        <span>
          {view.source === 'frec' ? 'fracture-record.sh recording' : 'Prometheus query_range'} ·{' '}
          {span(view)}
        </span>
        {facts.map((k) => (
          <span key={k}>
            {k.replace(/^config\./, '')}={view.header[k]}
          </span>
        ))}
      </div>
      {(view.notes.length > 0 || view.warnings.length > 0) && (
        <ul className="import-warnings" aria-label="Notes">
          {[...view.notes, ...view.warnings].slice(0, 8).map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <p className="tools-note">
        Move the pointer over the tracks (or use ← → Home End on the cursor) to read the values;
        wheel to zoom, Shift+drag to pan. Orange marks under a track are the pixels where its value
        changed.
      </p>
      <TimelineTracks view={view} onCursor={onCursor} seekTo={seekTo} />
      <div className="timeline-below">
        {view.frames.length > 0 && (
          <FrameMap
            frames={view.frames}
            index={frame}
            diff={diff}
            onDiff={setDiff}
            onSeek={(i) => {
              setFrame(i);
              setSeekTo(frameTimes[i]!);
            }}
          />
        )}
        <TraceTable
          groups={view.trace.groups}
          calls={view.trace.t.length}
          scenario={view.traceScenario}
        />
      </div>
    </div>
  );
}

function Body(props: { shown: TimelineShown }) {
  const { shown } = props;
  switch (shown.kind) {
    case 'none':
      return null;
    case 'busy':
      return <p role="status">{shown.what}</p>;
    case 'error':
      return (
        <div className="tools-error" role="alert">
          <p>
            <strong>{shown.title}</strong> ({shown.name})
          </p>
          <ul>
            {shown.messages.slice(0, 12).map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
          <p className="tools-note">
            Nothing else changed: close this sheet to go back to what you had open.
          </p>
        </div>
      );
    case 'one':
      return (
        <HostTimeline
          key={shown.view.host ?? ''}
          view={shown.view}
          fromFleet={shown.fleet !== null}
        />
      );
    case 'fleet':
      return <FleetPanel fleet={shown.fleet} />;
  }
}

export default function TimelineSheet() {
  const shown = useTimeline((s) => s.shown);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  const title =
    shown.kind === 'fleet'
      ? `Fleet: ${shown.name}`
      : shown.kind === 'one' && shown.fleet
        ? `Fleet: ${shown.name} › ${shown.view.host ?? 'a host'}`
        : shown.kind === 'none'
          ? 'Timeline'
          : `Timeline: ${shown.name}`;
  return (
    <section
      ref={ref}
      className="tools-sheet timeline-sheet"
      aria-label="Timeline of a real host"
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') closeTimeline();
        e.stopPropagation();
      }}
    >
      <header className="tools-head">
        <h2>{title}</h2>
        <button type="button" className="text-button" onClick={closeTimeline}>
          Close
        </button>
      </header>
      <div className="tools-body">
        <Body shown={shown} />
      </div>
    </section>
  );
}
