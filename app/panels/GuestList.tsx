/**
 * The guests: size, backing and what has become of them at this step. All of them: a host can run
 * hundreds, so past a screenful the table scrolls and only the rows in view are in the DOM.
 */
import { memo, useEffect, useRef, useState } from 'react';
import type { RunInfo, StepView } from '../../src/worker/protocol';
import { BACKING_LABELS, formatBytes, formatCount } from './format';
import { rowWindow } from './row-window';
import './guests.css';

/** Row height in CSS px (guests.css sets the same on .guest-table tbody tr). */
const ROW_PX = 22;
/** Rows shown before the table scrolls. */
const VISIBLE_ROWS = 12;
const OVERSCAN = 6;

export const GuestList = memo(function GuestList(props: { info: RunInfo; view: StepView | null }) {
  const { info, view } = props;
  const total = info.guests.length;
  const scroller = useRef<HTMLElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewPx, setViewPx] = useState(VISIBLE_ROWS * ROW_PX);
  const scrolls = total > VISIBLE_ROWS;

  useEffect(() => {
    const el = scroller.current;
    if (!el || !scrolls) return;
    const ro = new ResizeObserver(() => setViewPx(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, [scrolls]);

  if (total === 0) return null;
  const { first, last } = scrolls
    ? rowWindow(scrollTop, viewPx, total, ROW_PX, OVERSCAN)
    : { first: 0, last: total };
  const rows = [];
  for (let i = first; i < last; i++) {
    const g = info.guests[i]!;
    const s = view?.guests[i];
    rows.push(
      <tr key={g.name} className={`status-${s?.status ?? 'unknown'}`} aria-rowindex={i + 2}>
        <th scope="row">
          {g.name} <span className="guest-ram">{formatBytes(g.memoryBytes)}</span>
        </th>
        <td>
          {BACKING_LABELS[g.backing]}
          {!g.snp && ' (no SNP)'}
        </td>
        <td title={s?.reason ?? ''}>
          <span className="status">{s?.status ?? '…'}</span>
        </td>
        <td className="num">{s ? formatCount(s.privatePages) : ''}</td>
      </tr>,
    );
  }

  const table = (
    <table className="guest-table" aria-rowcount={total + 1}>
      <thead>
        <tr aria-rowindex={1}>
          <th scope="col">guest</th>
          <th scope="col">backing</th>
          <th scope="col">status</th>
          <th scope="col" className="num">
            private
          </th>
        </tr>
      </thead>
      <tbody>
        {first > 0 && <tr className="guest-spacer" style={{ height: first * ROW_PX }} />}
        {rows}
        {last < total && (
          <tr className="guest-spacer" style={{ height: (total - last) * ROW_PX }} />
        )}
      </tbody>
    </table>
  );

  return (
    <section className="panel guests" aria-label="Guests">
      <h2 className="panel-title">
        Guests <span className="panel-sub">{total}</span>
      </h2>
      {scrolls ? (
        <section
          className="guest-scroller"
          ref={scroller}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard to scroll it
          tabIndex={0}
          aria-label={`All ${total} guests`}
          style={{ maxHeight: (VISIBLE_ROWS + 1) * ROW_PX }}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        >
          {table}
        </section>
      ) : (
        table
      )}
    </section>
  );
});
