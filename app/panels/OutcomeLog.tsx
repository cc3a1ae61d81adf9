/**
 * The outcome log, read like dmesg: every outcome up to the current step, newest at the bottom,
 * following the tail while playing. Virtualized: a run can hold 500k outcomes, so only the rows
 * in view are fetched, in pages, and only the rows in view are in the DOM.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EngineApi, OutcomeRow } from '../../src/worker/protocol';
import { getEngine } from '../engine-client';
import { useUi } from '../store';
import { formatCount } from './format';
import { kindMeta, OUTCOME_KINDS } from './kinds';

type OutcomeQuery = Parameters<EngineApi['outcomes']>[0];

/** A row is two lines of 15 px (three in a narrow column) and 6 px of padding. */
const LINE_PX = 15;
const rowPxFor = (lines: number) => lines * LINE_PX + 6;
/**
 * Below this scroller width (1024 px screens) a row gets a third line: at 11.5 px mono two
 * lines after the time stamp hold ~40 characters, and "x86/mm: direct map split 2M→4K at
 * 0x4d3200000" needs 45 to reach the address, the one part that differs from row to row.
 */
const THREE_LINES_BELOW_PX = 250;
const PAGE = 200;
const OVERSCAN = 10;
/** Kinds offered as filters; the rest are grouped under "other". */
const FILTER_KINDS = [
  'dm-split',
  'rmp-fault',
  'thp-split',
  'psmash',
  'guest-killed',
  'sigbus',
  'launch-refused',
  'host-oops',
];
const OTHER_KINDS: readonly string[] = OUTCOME_KINDS.filter((k) => !FILTER_KINDS.includes(k));

/** Latest-only total of outcomes (with the filter) up to a step. */
function useTotal(step: number, kinds: string[] | undefined, generation: number): number {
  const [total, setTotal] = useState(0);
  const busy = useRef(false);
  const pending = useRef<{ step: number; kinds: string[] | undefined } | null>(null);
  useEffect(() => {
    if (generation === 0) return;
    pending.current = { step, kinds };
    if (busy.current) return;
    const pump = async () => {
      busy.current = true;
      while (pending.current) {
        const w = pending.current;
        pending.current = null;
        const q: OutcomeQuery = { from: 0, count: 0, maxStep: w.step };
        if (w.kinds) q.kinds = w.kinds;
        try {
          const r = await getEngine().outcomes(q);
          // One question at a time, so answers arrive in order: each is newer than the last.
          setTotal(r.total);
        } catch {
          // The run was replaced mid-request; a newer question follows.
        }
      }
      busy.current = false;
    };
    void pump();
  }, [step, kinds, generation]);
  return total;
}

/** Rows by page, cached per filter and run (rows never change for a given filter and run). */
function usePages(kinds: string[] | undefined, generation: number) {
  const [pages, setPages] = useState(() => new Map<number, OutcomeRow[]>());
  const inFlight = useRef(new Set<number>());
  const key = `${generation}|${kinds?.join(',') ?? '*'}`;
  const keyRef = useRef(key);
  useEffect(() => {
    keyRef.current = key;
    inFlight.current = new Set();
    setPages(new Map());
  }, [key]);
  const ensure = useCallback(
    (page: number, upTo: number) => {
      // A page fetched while the run was still being computed may be short: fetch it again
      // once rows past its end are wanted.
      const have = pages.get(page);
      const complete = have !== undefined && have.length >= Math.min(PAGE, upTo - page * PAGE);
      if (complete || inFlight.current.has(page) || generation === 0) return;
      inFlight.current.add(page);
      const forKey = key;
      const q: OutcomeQuery = {
        from: page * PAGE,
        count: PAGE,
      };
      if (kinds) q.kinds = kinds;
      getEngine()
        .outcomes(q)
        .then(
          (r) => {
            if (keyRef.current !== forKey) return;
            inFlight.current.delete(page);
            setPages((old) => new Map(old).set(page, r.rows));
          },
          () => inFlight.current.delete(page),
        );
    },
    [pages, key, kinds, generation],
  );
  return { pages, ensure };
}

/**
 * A row as dmesg prints it, wrapped: the time stamp (the step) in its own column, the message
 * beside it on up to two or three lines (the whole line is the tooltip and the explanation).
 */
function LogText(props: { message: string | null }) {
  const m = props.message;
  if (m === null) return <span className="log-text">…</span>;
  const stamp = /^\[\s*[\d,]+\]/.exec(m)?.[0];
  return (
    <>
      {stamp && <span className="log-stamp">{stamp}</span>}
      <span className="log-text" title={m}>
        {stamp ? m.slice(stamp.length).trimStart() : m}
      </span>
    </>
  );
}

export const OutcomeLog = memo(function OutcomeLog(props: { generation: number }) {
  const { generation } = props;
  const step = useUi((s) => s.step);
  const hidden = useUi((s) => s.hiddenKinds);
  const selected = useUi((s) => s.selectedOutcome);
  const toggleKind = useUi((s) => s.toggleKind);
  const setHiddenKinds = useUi((s) => s.setHiddenKinds);
  const kinds = useMemo(
    () => (hidden.length === 0 ? undefined : OUTCOME_KINDS.filter((k) => !hidden.includes(k))),
    [hidden],
  );
  const total = useTotal(step, kinds, generation);
  const { pages, ensure } = usePages(kinds, generation);

  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewPx, setViewPx] = useState(300);
  const [rowPx, setRowPx] = useState(rowPxFor(2));
  const follow = useRef(true);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    let was = rowPxFor(2);
    const ro = new ResizeObserver(() => {
      setViewPx(el.clientHeight);
      const next = rowPxFor(el.clientWidth < THREE_LINES_BELOW_PX ? 3 : 2);
      if (next === was) return;
      // Keep the row at the top in view when rows change height.
      el.scrollTop = (el.scrollTop / was) * next;
      was = next;
      setRowPx(next);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Follow the tail, as `dmesg -w` does, unless the user scrolled up. Once per frame, in
  // rAF: setting scrollTop forces a layout, and while playing the total changes every tick.
  useEffect(() => {
    if (!follow.current) return;
    const tail = Math.max(0, total * rowPx - viewPx);
    setScrollTop(tail);
    const raf = requestAnimationFrame(() => {
      const el = scroller.current;
      if (el && follow.current && el.scrollTop !== tail) el.scrollTop = tail;
    });
    return () => cancelAnimationFrame(raf);
  }, [total, viewPx, rowPx]);

  const first = Math.max(0, Math.floor(scrollTop / rowPx) - OVERSCAN);
  const last = Math.min(total, Math.ceil((scrollTop + viewPx) / rowPx) + OVERSCAN);
  useEffect(() => {
    for (let p = Math.floor(first / PAGE); p * PAGE < last; p++) ensure(p, last);
  }, [first, last, ensure]);

  const rows: { i: number; row: OutcomeRow | undefined }[] = [];
  for (let i = first; i < last; i++)
    rows.push({ i, row: pages.get(Math.floor(i / PAGE))?.[i % PAGE] });

  const pick = (row: OutcomeRow) => {
    const ui = useUi.getState();
    ui.setPlaying(false);
    ui.selectOutcome(row.index);
    ui.selectPfn(row.pfn >= 0 ? row.pfn : null);
    ui.seek(row.step);
  };

  const otherHidden = OTHER_KINDS.every((k) => hidden.includes(k));

  return (
    <section className="panel outcome-log" aria-label="Outcome log">
      <h2 className="panel-title">
        Outcome log{' '}
        <span className="panel-sub">
          {formatCount(total)} up to step {formatCount(step)}
        </span>
      </h2>
      <fieldset className="kind-filters">
        <legend className="visually-hidden">Show outcome kinds</legend>
        {FILTER_KINDS.map((k) => (
          <button
            key={k}
            type="button"
            className="chip"
            aria-pressed={!hidden.includes(k)}
            onClick={() => toggleKind(k)}
          >
            <span className="swatch" style={{ background: kindMeta(k).color }} />
            {kindMeta(k).label}
          </button>
        ))}
        <button
          type="button"
          className="chip"
          aria-pressed={!otherHidden}
          title={OTHER_KINDS.join(', ')}
          onClick={() => {
            const rest = hidden.filter((k) => !OTHER_KINDS.includes(k));
            setHiddenKinds(otherHidden ? rest : [...rest, ...OTHER_KINDS]);
          }}
        >
          other
        </button>
      </fieldset>
      <div
        className="log-scroller"
        ref={scroller}
        onScroll={(e) => {
          const el = e.currentTarget;
          setScrollTop(el.scrollTop);
          follow.current = el.scrollTop + viewPx >= total * rowPx - rowPx;
        }}
      >
        <div
          className={rowPx === rowPxFor(3) ? 'log-body three-lines' : 'log-body'}
          style={{ height: total * rowPx }}
        >
          {rows.map(({ i, row }) => (
            <button
              key={i}
              type="button"
              className={`log-row${row && row.index === selected ? ' selected' : ''}`}
              style={{ top: i * rowPx, height: rowPx }}
              disabled={!row}
              aria-current={row && row.index === selected ? 'true' : undefined}
              onClick={() => row && pick(row)}
            >
              <span
                className="log-kind"
                style={{ background: row ? kindMeta(row.kind).color : 'transparent' }}
              />
              <LogText message={row?.message ?? null} />
            </button>
          ))}
        </div>
        {total === 0 && <p className="placeholder">No outcomes yet at this step.</p>}
      </div>
    </section>
  );
});
