/**
 * The counters a kernel developer checks: /proc/meminfo and /proc/vmstat exactly as the kernel
 * prints them, then outcome counts and costs, each with its change since the previous step.
 */
import type { Metrics, StepView, ZenGeneration } from '../../src/worker/protocol';
import { useUi } from '../store';
import { formatBytes, formatCount, formatDelta } from './format';

const ZENS: readonly ZenGeneration[] = ['zen2', 'zen3', 'zen4', 'zen5'];
const ZEN_LABELS: Record<ZenGeneration, string> = {
  zen2: 'Zen 2',
  zen3: 'Zen 3 (unconfirmed)',
  zen4: 'Zen 4',
  zen5: 'Zen 5',
};

interface Row {
  label: string;
  value: (m: Metrics) => number;
  fmt?: (n: number) => string;
  /** Changes that are bad news get the alarm colour. */
  alarm?: boolean;
  title?: string;
}

const ROWS: readonly Row[] = [
  { label: 'RMP faults', value: (m) => m.outcomes.rmp_faults, alarm: true },
  { label: 'THP splits', value: (m) => m.outcomes.thp_splits },
  { label: 'Guests killed', value: (m) => m.outcomes.guests_killed, alarm: true },
  { label: 'Launches refused', value: (m) => m.outcomes.launches_refused, alarm: true },
  { label: 'Host oopses', value: (m) => m.outcomes.host_oops, alarm: true },
  { label: 'PSMASH', value: (m) => m.outcomes.psmash },
  {
    label: 'TLB flushes',
    value: (m) => m.outcomes.tlb_flushes,
    title: 'Each split is a global TLB flush (flush_tlb_all)',
  },
  {
    label: 'Page-table memory',
    value: (m) => m.pageTableBytes,
    fmt: formatBytes,
    title: 'Direct-map page-table pages: boot tables plus one 4 KiB page per split',
  },
  {
    label: 'RMP table',
    value: (m) => m.rmpTableBytes,
    fmt: formatBytes,
    title: '16 bytes per 4 KiB page plus 16 KiB bookkeeping (≈0.39% of RAM)',
  },
  {
    label: 'Double-backed',
    value: (m) => m.doubleBackedBytes,
    fmt: formatBytes,
    title: 'Guest pages backed both by guest_memfd and by the VMM’s shared copy',
  },
];

/**
 * The kernel's lines and, beside each, its change since the previous step. One grid: line i and
 * its delta share grid row i, so a delta that has to wrap (a narrow column, a seven-digit change)
 * keeps its line's row instead of drifting. The lines stay one <pre> in the kernel's format
 * (selecting and copying them gives the file's text), and the deltas, after it, stay out of a
 * copy of it.
 */
function KernelFile(props: {
  name: string;
  text: string;
  prevText: string | null;
  values: number[];
  prev: number[] | null;
  unit: string;
}) {
  const lines = props.text.replace(/\n$/, '').split('\n');
  const prevLines = props.prevText?.replace(/\n$/, '').split('\n') ?? [];
  return (
    <div className="kernel-file">
      <div className="file-name">{props.name}</div>
      <div className="kernel-row">
        <pre className="kernel-text">
          {lines.map((line, i) => {
            const changed = props.prevText !== null && prevLines[i] !== line;
            return (
              <span
                // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional, as in the file
                key={i}
                className={changed ? 'line changed' : 'line'}
                style={{ gridRow: i + 1 }}
              >
                {line}
                {'\n'}
              </span>
            );
          })}
        </pre>
        <div className="kernel-deltas" title="Change since the previous step">
          {props.values.map((v, i) => {
            const d = props.prev ? v - (props.prev[i] ?? v) : 0;
            return (
              <span
                // biome-ignore lint/suspicious/noArrayIndexKey: one per kernel line
                key={i}
                className={d === 0 ? 'delta' : d > 0 ? 'delta up' : 'delta down'}
                style={{ gridRow: i + 1 }}
              >
                {formatDelta(d)}
                {d !== 0 && props.unit}
              </span>
            );
          })}
        </div>
      </div>
    </div>
  );
}

export function CountersPanel(props: {
  view: StepView | null;
  prev: StepView | null;
  gbpages: boolean;
}) {
  const { view, prev, gbpages } = props;
  const zen = useUi((s) => s.zen);
  const setZen = useUi((s) => s.setZen);
  const m = view?.metrics;
  const p = prev?.metrics ?? null;
  const mi = (x: Metrics) => {
    const v = [x.meminfo.DirectMap4k, x.meminfo.DirectMap2M];
    if (gbpages) v.push(x.meminfo.DirectMap1G);
    return v;
  };
  const vs = (x: Metrics) => [x.vmstat.direct_map_level2_splits, x.vmstat.direct_map_level3_splits];

  return (
    <section className="panel counters" aria-label="Direct map counters">
      <h2 className="panel-title">
        Direct map <span className="panel-sub">step {view?.step ?? '…'}</span>
      </h2>
      {view?.event && (
        <p className="panel-note counters-event" title="The event this step applied">
          {view.event}
        </p>
      )}
      {view && m ? (
        <>
          <KernelFile
            name="/proc/meminfo"
            text={view.meminfoText}
            prevText={prev?.meminfoText ?? null}
            values={mi(m)}
            prev={p ? mi(p) : null}
            unit=" kB"
          />
          <KernelFile
            name="/proc/vmstat"
            text={view.vmstatText}
            prevText={prev?.vmstatText ?? null}
            values={vs(m)}
            prev={p ? vs(p) : null}
            unit=""
          />
          <table className="metrics">
            <tbody>
              {ROWS.map((r) => {
                const v = r.value(m);
                const d = p ? v - r.value(p) : 0;
                const fmt = r.fmt ?? formatCount;
                return (
                  <tr
                    key={r.label}
                    className={d !== 0 ? (r.alarm ? 'changed alarm' : 'changed') : ''}
                  >
                    <th scope="row" title={r.title}>
                      {r.label}
                    </th>
                    <td className="num">{fmt(v)}</td>
                    <td className="num delta">{formatDelta(d, fmt)}</td>
                  </tr>
                );
              })}
              <TlbRows m={m} p={p} zen={zen} />
            </tbody>
          </table>
          <label className="zen-select">
            <span>Data-TLB reach for</span>
            <select value={zen} onChange={(e) => setZen(e.currentTarget.value as ZenGeneration)}>
              {ZENS.map((z) => (
                <option key={z} value={z}>
                  {ZEN_LABELS[z]}
                </option>
              ))}
            </select>
          </label>
        </>
      ) : (
        <p className="placeholder">Running the scenario…</p>
      )}
    </section>
  );
}

function TlbRows(props: { m: Metrics; p: Metrics | null; zen: ZenGeneration }) {
  const { m, p, zen } = props;
  const levels = ['l1', 'l2'] as const;
  return (
    <>
      {levels.map((l) => {
        const v = m.tlbReach[zen][l];
        const d = p ? v - p.tlbReach[zen][l] : 0;
        return (
          <tr key={l} className={d !== 0 ? 'changed' : ''}>
            <th
              scope="row"
              title="Entries × expected page size of a direct-map translation (domain.md §6)"
            >
              {l.toUpperCase()} dTLB reach
            </th>
            <td className="num">{formatBytes(v)}</td>
            <td className="num delta">{formatDelta(d, formatBytes)}</td>
          </tr>
        );
      })}
    </>
  );
}
