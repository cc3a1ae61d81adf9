/**
 * The sweep table: the current workload under every kernel design × backing, run in the tools
 * worker; final counters in a sortable table and a bar chart of the sorted column. Each row opens
 * that combination in the explorer.
 */
import { proxy } from 'comlink';
import { useEffect, useMemo, useState } from 'react';
import type { RunInfo, SweepRow } from '../../src/worker/protocol';
import { BACKING_LABELS } from '../controls/scenario-edit';
import { getTools } from '../tools-client';
import type { RunSource } from '../url';
import { openCombination } from './open';
import { SweepChart } from './SweepChart';
import { fmt, SWEEP_COLUMNS } from './sweep-columns';

type State =
  | { kind: 'running'; done: number; total: number; label: string }
  | { kind: 'done'; rows: SweepRow[]; ms: number }
  | { kind: 'error'; errors: string[] };

export function SweepPanel(props: { info: RunInfo; source: RunSource }) {
  const { info, source } = props;
  const [state, setState] = useState<State>({ kind: 'running', done: 0, total: 0, label: '' });
  const [sort, setSort] = useState<{ id: string; dir: 1 | -1 }>({ id: 'l2', dir: -1 });

  useEffect(() => {
    let live = true;
    const t0 = performance.now();
    setState({ kind: 'running', done: 0, total: 0, label: '' });
    const onProgress = proxy((done: number, total: number, label: string) => {
      // Progress comes over its own port: it may land after the answer, which then wins.
      if (live)
        setState((s) => (s.kind === 'running' ? { kind: 'running', done, total, label } : s));
    });
    getTools()
      .sweep({ kind: 'scenario', scenario: info.scenario }, onProgress)
      .then(
        (r) => {
          if (!live) return;
          setState(
            r.ok
              ? { kind: 'done', rows: r.rows, ms: performance.now() - t0 }
              : { kind: 'error', errors: r.errors },
          );
        },
        (e: unknown) => live && setState({ kind: 'error', errors: [String(e)] }),
      );
    return () => {
      live = false;
    };
  }, [info.scenario]);

  const column = SWEEP_COLUMNS.find((c) => c.id === sort.id) ?? SWEEP_COLUMNS[5]!;
  const rows = useMemo(() => {
    if (state.kind !== 'done') return [];
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
  if (state.kind === 'running') {
    return (
      <div className="sweep-busy" role="status" aria-live="polite">
        <progress max={state.total || 1} value={state.done} aria-label="Sweep progress" />
        <span>
          Running the workload in the tools worker
          {state.total > 0 ? `: ${state.done}/${state.total} ${state.label}` : '…'}
        </span>
      </div>
    );
  }
  const current = (r: SweepRow) =>
    r.kernel === info.kernel && info.guests.every((g) => g.backing === r.backing);
  const chartColumn = column.numeric ? column : SWEEP_COLUMNS[5]!;
  return (
    <div className="sweep">
      <p className="tools-note">
        {info.title}: {state.rows.length} combinations, final step, in {Math.round(state.ms)} ms.
        Click a header to sort, a row to open it in the explorer.
      </p>
      <SweepChart rows={rows} column={chartColumn} isCurrent={current} />
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
