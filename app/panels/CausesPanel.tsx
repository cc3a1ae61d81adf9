/**
 * "Where does DirectMap4k come from" (issue 17): the direct map's counters at the current step
 * broken down by cause — the same numbers as `sim run --by-cause` — with the boot layout
 * holding what no cause split, so each column sums to /proc/meminfo's line (the total row).
 * Lazy-loaded (App.tsx): only runs whose step views carry byCause need it.
 */
import type { CauseShare, Meminfo } from '../../src/worker/protocol';
import './causes.css';

const kB = (n: number) => n.toLocaleString('en-US');

/** Each column's sum over the rows (what the total row shows; tests compare it to meminfo). */
export function causeTotals(rows: readonly CauseShare[]): Meminfo {
  let k4 = 0;
  let m2 = 0;
  let g1 = 0;
  for (const r of rows) {
    k4 += r.directMap4kKb;
    m2 += r.directMap2MKb;
    g1 += r.directMap1GKb;
  }
  return { DirectMap4k: k4, DirectMap2M: m2, DirectMap1G: g1 };
}

function name(r: CauseShare): string {
  return r.status === 'proposal' && !/proposal/i.test(r.label) ? `${r.label} (proposal)` : r.label;
}

function heals(r: CauseShare): string {
  if (r.status === 'layout') return '—';
  if (r.level2Splits + r.level3Splits === 0) return '—';
  return r.canHeal ? 'can heal' : 'never';
}

export default function CausesPanel(props: {
  rows: readonly CauseShare[];
  meminfo: Meminfo;
  step: number;
  gbpages: boolean;
}) {
  const { rows, meminfo, gbpages } = props;
  const total = causeTotals(rows);
  return (
    <section className="panel causes-panel" aria-label="Where does DirectMap4k come from">
      <h2 className="panel-title">
        Where does DirectMap4k come from <span className="panel-sub">step {props.step}</span>
      </h2>
      <table className="causes-table">
        <thead>
          <tr>
            <th scope="col">cause</th>
            <th scope="col" title="DirectMap4k that exists because this cause split 2 MiB pages">
              4k kB
            </th>
            <th scope="col" title="DirectMap2M that exists because this cause split 1 GiB pages">
              2M kB
            </th>
            {gbpages && <th scope="col">1G kB</th>}
            <th scope="col" title="splits 2M→4K / 1G→2M; collapses after a +">
              splits
            </th>
            <th scope="col" title="Can set_memory_rox collapse its splits (6.15+)?">
              heals
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.cause} className={r.status === 'proposal' ? 'proposal' : r.status}>
              <th scope="row" title={r.cause}>
                {name(r)}
              </th>
              <td>{kB(r.directMap4kKb)}</td>
              <td>{kB(r.directMap2MKb)}</td>
              {gbpages && <td>{kB(r.directMap1GKb)}</td>}
              <td>
                {r.status === 'layout' ? '—' : `${r.level2Splits} / ${r.level3Splits}`}
                {r.level2Collapses + r.level3Collapses > 0 &&
                  ` +${r.level2Collapses}/${r.level3Collapses}`}
              </td>
              <td>{heals(r)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">/proc/meminfo</th>
            <td>{kB(meminfo.DirectMap4k)}</td>
            <td>{kB(meminfo.DirectMap2M)}</td>
            {gbpages && <td>{kB(meminfo.DirectMap1G)}</td>}
            <td colSpan={2}>
              {total.DirectMap4k === meminfo.DirectMap4k &&
              total.DirectMap2M === meminfo.DirectMap2M &&
              total.DirectMap1G === meminfo.DirectMap1G
                ? 'the rows sum to it'
                : 'the rows do not sum to it (a bug)'}
            </td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
