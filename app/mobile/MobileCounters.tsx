/** The phone viewer's counters: the direct map at each size, splits and faults, with deltas. */
import type { Metrics, StepView } from '../../src/worker/protocol';
import { formatCount, formatDelta } from '../panels/format';

const kB = (n: number) => `${formatCount(n)} kB`;

const ROWS: [string, (m: Metrics) => number, (n: number) => string][] = [
  ['DirectMap4k', (m) => m.meminfo.DirectMap4k, kB],
  ['DirectMap2M', (m) => m.meminfo.DirectMap2M, kB],
  ['DirectMap1G', (m) => m.meminfo.DirectMap1G, kB],
  ['direct_map_level2_splits', (m) => m.vmstat.direct_map_level2_splits, formatCount],
  ['direct_map_level3_splits', (m) => m.vmstat.direct_map_level3_splits, formatCount],
  ['RMP faults', (m) => m.outcomes.rmp_faults, formatCount],
  ['Guests killed', (m) => m.outcomes.guests_killed, formatCount],
];

export function MobileCounters(props: { view: StepView; prev: StepView | null }) {
  const m = props.view.metrics;
  const p = props.prev?.metrics ?? null;
  return (
    <section className="mobile-counters" aria-label="Direct map counters">
      <h2>
        Counters <span>step {formatCount(props.view.step)}</span>
      </h2>
      <table>
        <tbody>
          {ROWS.map(([label, get, fmt]) => {
            const d = p ? formatDelta(get(m) - get(p), fmt) : '';
            return (
              <tr key={label} className={d ? 'changed' : undefined}>
                <th scope="row">{label}</th>
                <td>{fmt(get(m))}</td>
                <td className="delta">{d}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
