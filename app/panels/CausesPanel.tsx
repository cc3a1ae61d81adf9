/**
 * "Where does DirectMap4k come from" (issue 17): the direct map's counters at the current step
 * broken down by cause — the same numbers as `sim run --by-cause` — with the boot layout
 * holding what no cause split, so each column sums to /proc/meminfo's line (the total row).
 * Lazy-loaded (App.tsx): only runs whose step views carry byCause need it.
 */
import type { CauseInfo, CauseShare, Meminfo } from '../../src/worker/protocol';
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

function name(r: CauseShare, info: CauseInfo | undefined): string {
  const label = info?.label ?? r.label;
  const status = info?.status ?? r.status;
  return status === 'proposal' && !/proposal/i.test(label) ? `${label} (proposal)` : label;
}

/** Its splits (2M→4K / 1G→2M), collapses, and whether they can heal. */
function meta(r: CauseShare): string {
  const parts = [`splits ${r.level2Splits} / ${r.level3Splits}`];
  if (r.level2Collapses + r.level3Collapses > 0)
    parts.push(`collapses ${r.level2Collapses} / ${r.level3Collapses}`);
  if (r.level2Splits + r.level3Splits > 0) parts.push(r.canHeal ? 'can heal' : 'never heals');
  return parts.join(' · ');
}

export default function CausesPanel(props: {
  rows: readonly CauseShare[];
  meminfo: Meminfo;
  step: number;
  gbpages: boolean;
  /** The causes (RunInfo.causes): short labels, and SNP designs that are proposals said so. */
  causes?: readonly CauseInfo[] | undefined;
}) {
  const { rows, meminfo, gbpages } = props;
  const infos = new Map((props.causes ?? []).map((c) => [c.id, c]));
  const total = causeTotals(rows);
  const sums =
    total.DirectMap4k === meminfo.DirectMap4k &&
    total.DirectMap2M === meminfo.DirectMap2M &&
    total.DirectMap1G === meminfo.DirectMap1G;
  return (
    <section className="panel causes-panel" aria-label="Where does DirectMap4k come from">
      <h2 className="panel-title">
        Where does DirectMap4k come from <span className="panel-sub">step {props.step}</span>
      </h2>
      <table className="causes-table">
        <thead>
          <tr>
            <th scope="col" title="DirectMap4k that exists because this cause split 2 MiB pages">
              4k kB
            </th>
            <th scope="col" title="DirectMap2M that exists because this cause split 1 GiB pages">
              2M kB
            </th>
            {gbpages && <th scope="col">1G kB</th>}
          </tr>
        </thead>
        {rows.map((r) => (
          <tbody key={r.cause} className={infos.get(r.cause)?.status ?? r.status}>
            <tr>
              <th scope="colgroup" colSpan={gbpages ? 3 : 2} title={r.cause}>
                {name(r, infos.get(r.cause))}
                {r.status !== 'layout' && <span className="causes-meta">{meta(r)}</span>}
              </th>
            </tr>
            <tr data-cause={r.cause}>
              <td>{kB(r.directMap4kKb)}</td>
              <td>{kB(r.directMap2MKb)}</td>
              {gbpages && <td>{kB(r.directMap1GKb)}</td>}
            </tr>
          </tbody>
        ))}
        <tfoot>
          <tr>
            <th scope="colgroup" colSpan={gbpages ? 3 : 2}>
              /proc/meminfo{' '}
              <span className="causes-meta">
                {sums ? 'the rows sum to it' : 'the rows do not sum to it (a bug)'}
              </span>
            </th>
          </tr>
          <tr data-cause="total">
            <td>{kB(meminfo.DirectMap4k)}</td>
            <td>{kB(meminfo.DirectMap2M)}</td>
            {gbpages && <td>{kB(meminfo.DirectMap1G)}</td>}
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
