/**
 * The outcome log, read like dmesg: every outcome up to the current step, newest at the bottom,
 * following the tail while playing. Virtualized: a run can hold 500k outcomes, so only the rows
 * in view are fetched, in pages, and only the rows in view are in the DOM.
 *
 * Issue 16: a run of outcomes that print the same line is one row, "×950,000" (the engine finds
 * the runs, src/sim/outcome-runs.ts), so a handful of splits is not buried under ignored events;
 * "ignored" has its own filter; and a row shows its whole line when hovered or focused.
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
  'ignored',
];
/** A chip's own name where the kind's label says something else ("no effect"). */
const CHIP_LABELS: Record<string, string> = { ignored: 'ignored' };
const OTHER_KINDS: readonly string[] = OUTCOME_KINDS.filter((k) => !FILTER_KINDS.includes(k));

/**
 * Latest-only total of log rows (with the filter) up to a step, and the last row as cut at that
 * step (a run that goes on past the step counts only its outcomes up to it).
 */
function useTotal(
  step: number,
  kinds: string[] | undefined,
  generation: number,
): { total: number; outcomes: number; tail: OutcomeRow | null } {
  const [total, setTotal] = useState({ total: 0, outcomes: 0, tail: null as OutcomeRow | null });
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
        const q: OutcomeQuery = { from: 0, count: 0, maxStep: w.step, collapse: true };
        if (w.kinds) q.kinds = w.kinds;
        try {
          const r = await getEngine().outcomes(q);
          const last =
            r.total > 0 ? await getEngine().outcomes({ ...q, from: r.total - 1, count: 1 }) : null;
          // One question at a time, so answers arrive in order: each is newer than the last.
          setTotal({
            total: r.total,
            outcomes: r.outcomes ?? r.total,
            tail: last?.rows[0] ?? null,
          });
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
      const q: OutcomeQuery = { from: page * PAGE, count: PAGE, collapse: true };
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
function LogText(props: { row: OutcomeRow | undefined }) {
  const { row } = props;
  if (row === undefined) return <span className="log-text">…</span>;
  const m = row.message;
  const stamp = /^\[\s*[\d,]+\]/.exec(m)?.[0];
  const repeat = row.repeat ?? 1;
  // The count of a run sits under its time stamp, where the clamped text cannot hide it.
  return (
    <>
      {(stamp || repeat > 1) && (
        <span className="log-stamp">
          {stamp}
          {repeat > 1 && <span className="log-repeat">×{formatCount(repeat)}</span>}
        </span>
      )}
      <span className="log-text">{stamp ? m.slice(stamp.length).trimStart() : m}</span>
    </>
  );
}

/** The whole line, for the row's tooltip: a run says how often and over which steps. */
function fullLine(row: OutcomeRow): string {
  const repeat = row.repeat ?? 1;
  if (repeat <= 1) return row.message;
  return `${row.message} — ${formatCount(repeat)} times, steps ${formatCount(row.step)}–${formatCount(row.lastStep ?? row.step)}`;
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
  const { total, outcomes, tail } = useTotal(step, kinds, generation);
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
  for (let i = first; i < last; i++) {
    const paged = pages.get(Math.floor(i / PAGE))?.[i % PAGE];
    // The last row as cut at the step (its page may count a run past it).
    const row = i === total - 1 && tail !== null && paged?.index === tail.index ? tail : paged;
    rows.push({ i, row });
  }
  const isSelected = (row: OutcomeRow | undefined) =>
    row !== undefined &&
    selected !== null &&
    selected >= row.index &&
    selected <= (row.lastIndex ?? row.index);

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
          {formatCount(outcomes)} up to step {formatCount(step)}
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
            {CHIP_LABELS[k] ?? kindMeta(k).label}
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
              className={`log-row${isSelected(row) ? ' selected' : ''}`}
              style={{ top: i * rowPx, minHeight: rowPx }}
              disabled={!row}
              title={row ? fullLine(row) : undefined}
              aria-label={row && (row.repeat ?? 1) > 1 ? fullLine(row) : undefined}
              aria-current={isSelected(row) ? 'true' : undefined}
              onClick={() => row && pick(row)}
            >
              <span
                className="log-kind"
                style={{ background: row ? kindMeta(row.kind).color : 'transparent' }}
              />
              <LogText row={row} />
            </button>
          ))}
        </div>
        {total === 0 && <p className="placeholder">No outcomes yet at this step.</p>}
      </div>
    </section>
  );
});
