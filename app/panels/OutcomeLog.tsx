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

const ROW_PX = 22;
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
  const follow = useRef(true);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewPx(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Follow the tail, as `dmesg -w` does, unless the user scrolled up. Once per frame, in
  // rAF: setting scrollTop forces a layout, and while playing the total changes every tick.
  useEffect(() => {
    if (!follow.current) return;
    const tail = Math.max(0, total * ROW_PX - viewPx);
    setScrollTop(tail);
    const raf = requestAnimationFrame(() => {
      const el = scroller.current;
      if (el && follow.current && el.scrollTop !== tail) el.scrollTop = tail;
    });
    return () => cancelAnimationFrame(raf);
  }, [total, viewPx]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_PX) - OVERSCAN);
  const last = Math.min(total, Math.ceil((scrollTop + viewPx) / ROW_PX) + OVERSCAN);
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
          follow.current = el.scrollTop + viewPx >= total * ROW_PX - ROW_PX;
        }}
      >
        <div className="log-body" style={{ height: total * ROW_PX }}>
          {rows.map(({ i, row }) => (
            <button
              key={i}
              type="button"
              className={`log-row${row && row.index === selected ? ' selected' : ''}`}
              style={{ top: i * ROW_PX, height: ROW_PX }}
              disabled={!row}
              aria-current={row && row.index === selected ? 'true' : undefined}
              onClick={() => row && pick(row)}
            >
              <span
                className="log-kind"
                style={{ background: row ? kindMeta(row.kind).color : 'transparent' }}
              />
              <span className="log-text" title={row?.message}>
                {row ? row.message : '…'}
              </span>
            </button>
          ))}
        </div>
        {total === 0 && <p className="placeholder">No outcomes yet at this step.</p>}
      </div>
    </section>
  );
});
