/**
 * Import: paste text or drop a file copied from a real machine (ptdump, meminfo, vmstat, e820,
 * SEV-SNP messages, QEMU conversion traces); a second snapshot gives the split decomposition.
 * Parsing runs in the tools worker; bad input comes back as messages naming the line.
 */
import { type DragEvent, useEffect, useRef, useState } from 'react';
import type { ImportResult, PairResult } from '../../src/formats/index';
import type { RunInfo } from '../../src/worker/protocol';
import { openIfTimelineText } from '../timeline/open';
import { RecordLink } from '../timeline/RecordLink';
import { openIfTimelineFile } from '../timeline/state';
import { toolsClient } from '../tools-client';
import type { RunSource } from '../url';
import { RESULT_HEADING } from './formats/shared';
import { ImportResultView, PairResultView } from './ImportResultView';
import { setImportOverlay, useImportOverlay } from './map-overlay';
import { openScenarioInput, refusedImport } from './open-scenario';
import { type Input, isInput, parseOne, parsePair, readFile } from './read';
import './import.css';

const EMPTY: Input = { text: '', name: null };

type Shown =
  | { kind: 'none' }
  | { kind: 'busy' }
  | { kind: 'one'; result: ImportResult; text: string; name: string | null }
  | { kind: 'pair'; result: PairResult };

function Source(props: {
  label: string;
  value: string;
  name: string | null;
  onText: (text: string, name: string | null) => void;
  onFile: (f: File) => void;
}) {
  return (
    <div className="import-source">
      <label>
        <span>{props.label}</span>
        <textarea
          aria-label={props.label}
          spellCheck={false}
          value={props.value.length > 200_000 ? `${props.value.slice(0, 200_000)}\n…` : props.value}
          placeholder="Paste /proc/meminfo, a ptdump, dmesg lines… or drop a file here"
          onChange={(e) => props.onText(e.currentTarget.value, null)}
        />
      </label>
      <label className="import-file">
        <span>{props.name ? `File: ${props.name}` : 'or choose a file'}</span>
        <input
          type="file"
          aria-label={`${props.label}: file`}
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            if (f) props.onFile(f);
            e.currentTarget.value = '';
          }}
        />
      </label>
    </div>
  );
}

/** The overlay an earlier import left on the map (this sheet forgets its text when closed). */
function OverlayStatus(props: { shownHere: boolean }) {
  const o = useImportOverlay();
  if (!o || props.shownHere) return null;
  return (
    <p className="overlay-actions" role="status">
      The memory map shows the overlay of an earlier import ({o.title}).{' '}
      <button type="button" className="text-button" onClick={() => setImportOverlay(null)}>
        Clear the map overlay
      </button>
    </p>
  );
}

export function ImportPanel(props: { info: RunInfo; source: RunSource }) {
  const [a, setA] = useState<Input>(EMPTY);
  const [b, setB] = useState<Input>(EMPTY);
  const [two, setTwo] = useState(false);
  const [shown, setShown] = useState<Shown>({ kind: 'none' });
  const [dragging, setDragging] = useState(false);
  const panel = useRef<HTMLElement>(null);
  const focusResult = useRef(false);

  // The sheet is open: start the tools worker now, so it has parsed its bundle by the time the
  // user imports (and an import's first call is never the one that starts it).
  useEffect(() => toolsClient.warm(), []);

  // A new result takes the focus (the sheet's Esc keeps working; a screen reader reads it).
  useEffect(() => {
    if (!focusResult.current || shown.kind === 'busy' || shown.kind === 'none') return;
    focusResult.current = false;
    panel.current?.querySelector<HTMLElement>(`[${RESULT_HEADING}]`)?.focus();
  }, [shown]);

  const run = async (ia: Input, ib: Input | null) => {
    // A recording or a Prometheus answer opens as a timeline over the explorer (a big file
    // was routed by takeFile already: its text here is only its beginning).
    if (ib === null && ia.file === undefined && openIfTimelineText(ia.text, ia.name)) return;
    focusResult.current = true;
    setShown({ kind: 'busy' });
    const { text: ta, name: na } = ia;
    try {
      // A scenario file (Share → Download scenario JSON) opens as the run (open-scenario.ts).
      const opened = ib === null ? await openScenarioInput(ia) : null;
      if (opened?.kind === 'opened') return setShown({ kind: 'none' });
      if (opened?.kind === 'refused')
        return setShown({ kind: 'one', result: refusedImport(opened), text: ta, name: na });
      if (ib !== null) setShown({ kind: 'pair', result: await parsePair(ia, ib) });
      else setShown({ kind: 'one', result: await parseOne(ta, ia.file), text: ta, name: na });
    } catch (e) {
      setShown({
        kind: 'one',
        text: ta,
        name: na,
        result: {
          ok: false,
          detection: { format: 'unknown', reason: 'worker error', also: [] },
          errors: [{ line: 0, message: String(e), expected: 'text the worker can parse' }],
          warnings: [],
        },
      });
    }
  };

  const takeFile = async (f: File, side: 'a' | 'b') => {
    if (side === 'a' && !two && (await openIfTimelineFile(f))) return;
    const r = await readFile(f);
    if (!isInput(r)) {
      // A refused file leaves nothing of the previous one behind (its name, its text).
      if (side === 'a') setA(EMPTY);
      else setB(EMPTY);
      setShown({ kind: 'one', result: r, text: '', name: f.name });
      return;
    }
    if (side === 'a') setA(r);
    else setB(r);
    if (side === 'a' && !two) void run(r, null);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = Array.from(e.dataTransfer.files);
    const text = e.dataTransfer.getData('text/plain');
    if (files.length >= 2) {
      setTwo(true);
      void Promise.all(files.slice(0, 2).map(readFile)).then(([ra, rb]) => {
        if (!ra || !rb) return;
        if (!isInput(ra) || !isInput(rb)) {
          setA(EMPTY);
          setB(EMPTY);
        }
        if (!isInput(ra)) return setShown({ kind: 'one', result: ra, text: '', name: null });
        if (!isInput(rb)) return setShown({ kind: 'one', result: rb, text: '', name: null });
        setA(ra);
        setB(rb);
        void run(ra, rb);
      });
    } else if (files[0]) void takeFile(files[0], 'a');
    else if (text) {
      setA({ text, name: null });
      if (!two) void run({ text, name: null }, null);
    }
  };

  return (
    <section
      ref={panel}
      className={`import-panel${dragging ? ' dragging' : ''}`}
      aria-label="Import drop zone"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <p className="tools-note">
        Paste or drop text copied from a real machine:{' '}
        <code>/sys/kernel/debug/page_tables/kernel</code> (ptdump), <code>/proc/meminfo</code>,{' '}
        <code>/proc/vmstat</code>, dmesg e820 or "node 0:" lines, SEV-SNP RMP messages, or a QEMU{' '}
        <code>kvm_convert_memory</code> trace. Nothing is uploaded: the text is parsed in a worker
        in this tab (at most 64 MiB). A fracture-record.sh recording or a Prometheus query_range
        answer (up to 512 MiB) opens as a timeline.
      </p>
      <RecordLink />
      <OverlayStatus shownHere={shown.kind === 'one' && shown.result.ok} />
      <div className={`import-sources${two ? ' two' : ''}`}>
        <Source
          label={two ? 'Before' : 'Text to import'}
          value={a.text}
          name={a.name}
          onText={(text, name) => setA({ text, name })}
          onFile={(f) => void takeFile(f, 'a')}
        />
        {two && (
          <Source
            label="After"
            value={b.text}
            name={b.name}
            onText={(text, name) => setB({ text, name })}
            onFile={(f) => void takeFile(f, 'b')}
          />
        )}
      </div>
      <div className="import-actions">
        <button
          type="button"
          className="primary-button"
          disabled={a.text === '' || (two && b.text === '') || shown.kind === 'busy'}
          onClick={() => void run(a, two ? b : null)}
        >
          {two ? 'Compare snapshots' : 'Import'}
        </button>
        <label className="import-two">
          <input type="checkbox" checked={two} onChange={(e) => setTwo(e.currentTarget.checked)} />
          Two snapshots (before / after)
        </label>
        {shown.kind === 'busy' && <span role="status">Parsing in the tools worker…</span>}
      </div>
      {shown.kind === 'one' && (
        <ImportResultView
          result={shown.result}
          text={shown.text}
          name={shown.name}
          info={props.info}
        />
      )}
      {shown.kind === 'pair' && <PairResultView result={shown.result} />}
    </section>
  );
}
