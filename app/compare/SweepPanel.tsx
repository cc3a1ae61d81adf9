/**
 * The sweep table: the current workload under every kernel design × backing, run on a pool of
 * tools workers (sweep-pool.ts), rows streaming in as they finish, cancellable; final counters
 * in a sortable table and a labelled bar chart of the sorted column (SweepChart.tsx). Each row
 * opens that combination in the explorer.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RunInfo, SweepRow } from '../../src/worker/protocol';
import { BACKING_LABELS } from '../controls/scenario-edit';
import type { RunSource } from '../url';
import { openCombination } from './open';
import { SweepChart } from './SweepChart';
import { fmt, SWEEP_COLUMNS } from './sweep-columns';
import { SweepRun } from './sweep-pool';

type State =
  | { kind: 'running'; rows: SweepRow[]; total: number; workers: number }
  | { kind: 'done'; rows: SweepRow[]; ms: number; workers: number }
  | { kind: 'cancelled'; rows: SweepRow[]; total: number }
  | { kind: 'error'; errors: string[] };

export function SweepPanel(props: { info: RunInfo; source: RunSource }) {
  const { info, source } = props;
  const [state, setState] = useState<State>({ kind: 'running', rows: [], total: 0, workers: 0 });
  const [sort, setSort] = useState<{ id: string; dir: 1 | -1 }>({ id: 'l2', dir: -1 });
  const [attempt, setAttempt] = useState(0);
  const run = useRef<SweepRun | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` reruns the sweep on demand.
  useEffect(() => {
    let live = true;
    const t0 = performance.now();
    // Rows stream in from the pool as each cell finishes (app/compare/sweep-pool.ts).
    const r = new SweepRun({ kind: 'scenario', scenario: info.scenario }, (p) => {
      if (live)
        setState((s) =>
          s.kind === 'running' ? { ...s, rows: [...s.rows, p.row], total: p.total } : s,
        );
    });
    run.current = r;
    setState({ kind: 'running', rows: [], total: r.total, workers: r.workers });
    r.result.then((o) => {
      if (!live) return;
      if (o.kind === 'done')
        setState({ kind: 'done', rows: o.rows, ms: performance.now() - t0, workers: o.workers });
      else if (o.kind === 'error') setState({ kind: 'error', errors: o.errors });
      else
        setState((s) =>
          s.kind === 'running' ? { kind: 'cancelled', rows: s.rows, total: s.total } : s,
        );
    });
    return () => {
      live = false;
      r.cancel();
    };
  }, [info.scenario, attempt]);

  const column = SWEEP_COLUMNS.find((c) => c.id === sort.id) ?? SWEEP_COLUMNS[5]!;
  const rows = useMemo(() => {
    if (state.kind === 'error') return [];
    const out = state.rows.slice();
    out.sort((a, b) => {
      const x = column.value(a);
      const y = column.value(b);
      return (x < y ? -1 : x > y ? 1 : 0) * sort.dir;
    });
    return out;
  }, [state, column, sort.dir]);

  if (state.kind === 'error') {
    return (
      <div className="tools-error" role="alert">
        <p>The sweep could not run:</p>
        <ul>
          {state.errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      </div>
    );
  }
  const current = (r: SweepRow) =>
    r.kernel === info.kernel && info.guests.every((g) => g.backing === r.backing);
  const chartColumn = column.numeric ? column : SWEEP_COLUMNS[5]!;
  return (
    <div className="sweep">
      {state.kind === 'running' ? (
        <div className="sweep-busy" role="status" aria-live="polite">
          <progress max={state.total || 1} value={state.rows.length} aria-label="Sweep progress" />
          <span>
            Running every design × backing on {state.workers} worker
            {state.workers === 1 ? '' : 's'}
            {state.total > 0 ? `: ${state.rows.length}/${state.total} done` : '…'}
          </span>
          <button type="button" onClick={() => run.current?.cancel()}>
            Cancel sweep
          </button>
        </div>
      ) : state.kind === 'cancelled' ? (
        <div className="sweep-busy" role="status">
          <span>
            Sweep cancelled after {state.rows.length} of {state.total} combinations.
          </span>
          <button type="button" onClick={() => setAttempt((a) => a + 1)}>
            Run the sweep again
          </button>
        </div>
      ) : (
        <p className="tools-note">
          {info.title}: {state.rows.length} combinations, final step, in {Math.round(state.ms)} ms
          on {state.workers} worker{state.workers === 1 ? '' : 's'}. Click a header to sort, a row
          to open it in the explorer.
        </p>
      )}
      {state.kind === 'done' ? (
        <SweepChart rows={rows} column={chartColumn} isCurrent={current} />
      ) : null}
      <div className="sweep-table-wrap">
        <table className="sweep-table" aria-label="Sweep results">
          <thead>
            <tr>
              {SWEEP_COLUMNS.map((c) => (
                <th
                  key={c.id}
                  scope="col"
                  title={c.title}
                  aria-sort={
                    c.id === sort.id ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none'
                  }
                >
                  <button
                    type="button"
                    onClick={() =>
                      setSort((s) =>
                        s.id === c.id
                          ? { id: c.id, dir: s.dir > 0 ? -1 : 1 }
                          : { id: c.id, dir: c.numeric ? -1 : 1 },
                      )
                    }
                  >
                    {c.label}
                    {c.id === sort.id ? (sort.dir > 0 ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
              <th scope="col">
                <span className="sr-only">Open</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={`${r.kernel}/${r.backing}`}
                className={current(r) ? 'current' : ''}
                onClick={() => openCombination(source, info, r.kernel, r.backing)}
              >
                {SWEEP_COLUMNS.map((c) => (
                  <td key={c.id} className={c.numeric ? 'num' : ''}>
                    {fmt(c, r)}
                  </td>
                ))}
                <td>
                  <button
                    type="button"
                    className="text-button"
                    aria-label={`Open ${r.kernel} with ${BACKING_LABELS[r.backing]}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      openCombination(source, info, r.kernel, r.backing);
                    }}
                  >
                    Open
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
