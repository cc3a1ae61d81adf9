/**
 * The fleet view: every instance of a Prometheus answer ranked by its DirectMap4k share (how
 * much of the direct map is 4K pages now) or its growth over the window, the first hosts drawn
 * as small multiples on one canvas (shared time axis, share from 0 to the fleet's maximum), and
 * a table of the ranking. A click on a multiple or a host's button opens its timeline.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { rankFleet } from '../../src/formats/index';
import type { FleetHost, FleetOrder, FleetView } from '../../src/worker/protocol';
import { openFleetHost } from '../timeline/state';
import { CELL_H, CELL_W, drawMultiples, multipleAt } from './multiples';
import './fleet.css';

const TABLE_ROWS = 200;
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)} %` : '—');
const pp = (x: number) =>
  Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)} pp` : '—';

/** The first `rows` rows of hosts, as many per row as fit. */
function Multiples(props: { fleet: FleetView; ranked: FleetHost[]; rows: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const [grid, setGrid] = useState({ cols: 6, cellW: CELL_W });
  const { cols, cellW } = grid;
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      const w = el.clientWidth;
      const n = Math.max(2, Math.floor(w / CELL_W));
      setGrid({ cols: n, cellW: Math.floor(w / n) });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const shown = props.ranked.slice(0, cols * props.rows);
  useEffect(() => {
    const c = ref.current;
    if (c) drawMultiples(c, props.fleet, shown, cols, cellW);
  });
  return (
    <div ref={box} className="fleet-multiples">
      <canvas
        ref={ref}
        role="img"
        aria-label={`Small multiples: DirectMap4k share over time of the first ${shown.length} hosts`}
        style={{ cursor: 'pointer' }}
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          const h = multipleAt(shown, cols, cellW, e.clientX - r.left, e.clientY - r.top);
          if (h) void openFleetHost(h.index);
        }}
        height={Math.ceil(shown.length / cols) * CELL_H}
      />
    </div>
  );
}

export function FleetPanel(props: { fleet: FleetView }) {
  const { fleet } = props;
  const [order, setOrder] = useState<FleetOrder>('share');
  const [filter, setFilter] = useState('');
  const ranked = useMemo(() => rankFleet(fleet.hosts, order), [fleet, order]);
  const filtered = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f === '' ? ranked : ranked.filter((h) => h.host.toLowerCase().includes(f));
  }, [ranked, filter]);
  const rankOf = useMemo(() => new Map(ranked.map((h, i) => [h.index, i + 1])), [ranked]);
  const from = new Date(fleet.t0 * 1000).toISOString().slice(0, 16).replace('T', ' ');
  const to = new Date(fleet.t1 * 1000).toISOString().slice(0, 16).replace('T', ' ');
  return (
    <div className="fleet">
      <p className="fleet-summary">
        <strong>{fleet.hosts.length.toLocaleString('en-US')} hosts</strong>,{' '}
        {fleet.samples.toLocaleString('en-US')} samples, {from} – {to} UTC. Ranked by how much of
        each host's direct map is mapped with 4K pages (DirectMap4k over all DirectMap sizes) at its
        last sample, or by how much that share grew over the window.
      </p>
      {fleet.warnings.length > 0 && (
        <ul className="import-warnings">
          {fleet.warnings.slice(0, 5).map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <div className="fleet-controls">
        <div className="segments" role="radiogroup" aria-label="Rank hosts by">
          {(['share', 'growth'] as const).map((o) => (
            <label key={o} className={order === o ? 'checked' : ''}>
              <input
                type="radio"
                name="fleet-order"
                value={o}
                checked={order === o}
                onChange={() => setOrder(o)}
              />
              {o === 'share' ? 'DirectMap4k share' : 'Growth of the share'}
            </label>
          ))}
        </div>
        <label className="fleet-filter">
          Host{' '}
          <input
            type="search"
            value={filter}
            placeholder="filter by name"
            aria-label="Filter hosts"
            onChange={(e) => setFilter(e.currentTarget.value)}
          />
        </label>
      </div>
      <Multiples fleet={fleet} ranked={filtered} rows={4} />
      <table className="timeline-table fleet-table" aria-label="Hosts ranked">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">host</th>
            <th scope="col">DirectMap4k share</th>
            <th scope="col">growth</th>
            <th scope="col">DirectMap4k</th>
            <th scope="col">splits in window</th>
            <th scope="col">samples</th>
          </tr>
        </thead>
        <tbody>
          {filtered.slice(0, TABLE_ROWS).map((h) => (
            <tr key={h.index}>
              <td>{rankOf.get(h.index)}</td>
              <td>
                <button
                  type="button"
                  className="text-button"
                  onClick={() => void openFleetHost(h.index)}
                >
                  {h.host}
                </button>
              </td>
              <td>{pct(h.share)}</td>
              <td>{pp(h.growth)}</td>
              <td>{Number.isFinite(h.k4Kb) ? `${h.k4Kb.toLocaleString('en-US')} kB` : '—'}</td>
              <td>{h.splits === null ? '—' : h.splits.toLocaleString('en-US')}</td>
              <td>{h.samples.toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {filtered.length > TABLE_ROWS && (
        <p className="tools-note">
          The first {TABLE_ROWS} of {filtered.length.toLocaleString('en-US')} hosts; filter by name
          to find another.
        </p>
      )}
    </div>
  );
}
