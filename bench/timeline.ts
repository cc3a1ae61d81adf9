/**
 * Timeline import benchmarks (issue 18): a week of 1 s fracture-record.sh samples and a
 * 10,000-host × 288-point Prometheus query_range answer. `timelineRows()` returns rows in the
 * engine table's columns [benchmark, result, target, ok] for bench/engine.ts to push; run alone
 * with BENCH_TIMELINE_MAIN=1 (after bundling, as bench/run-engine.mjs does for engine.ts).
 * Heap is measured with a forced GC when node runs with --expose-gc; the input text is built
 * before the first measurement, so the figure is what the import keeps.
 */
import { parseFrec } from '../src/formats/import/frec';
import { parsePrometheus } from '../src/formats/import/prometheus';
import { TimelineStore } from '../src/worker/timeline-host';

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}

/** A recording as fracture-record.sh writes it: a 2M→4K split every 10 minutes. */
export function frecWeekText(samples: number): string {
  const t0 = 1796286600;
  const parts: string[] = ['# fracture-record 1\nkernel_release=6.18.44\nmachine=x86_64\n'];
  for (let i = 0; i < samples; i++) {
    const splits = 5 + Math.floor(i / 600);
    const k4 = 30720 + (splits - 5) * 2048;
    parts.push(
      `sample t=${i}.00 wall=${t0 + i} DirectMap4k=${k4} DirectMap2M=${2068480 - (splits - 5) * 2048 - 2048} DirectMap1G=25165824 direct_map_level2_splits=${splits} direct_map_level3_splits=0 direct_map_level2_collapses=0 direct_map_level3_collapses=0\n`,
    );
  }
  parts.push(`end t=${samples} wall=${t0 + samples} samples=${samples} reason=complete\n`);
  return parts.join('');
}

const FLEET_SERIES = [
  'node_memory_DirectMap4k_bytes',
  'node_memory_DirectMap2M_bytes',
  'node_memory_DirectMap1G_bytes',
  'node_vmstat_direct_map_level2_splits',
  'node_vmstat_direct_map_level3_splits',
];

/** A query_range answer as Prometheus writes it (compact JSON, values as strings). */
export function fleetAnswerText(hosts: number, points: number): string {
  const t0 = 1796200200;
  const parts: string[] = ['{"status":"success","data":{"resultType":"matrix","result":['];
  for (let h = 0; h < hosts; h++) {
    for (let s = 0; s < FLEET_SERIES.length; s++) {
      const v: string[] = new Array(points);
      for (let i = 0; i < points; i++) {
        const splits = (h % 7) + Math.floor(i / 48);
        const value =
          s === 0
            ? (30720 + splits * 2048) * 1024
            : s === 1
              ? 2116026368 - splits * 2097152
              : s === 2
                ? 25769803776
                : s === 3
                  ? splits
                  : 0;
        v[i] = `[${t0 + i * 300},"${value}"]`;
      }
      parts.push(
        `${h === 0 && s === 0 ? '' : ','}{"metric":{"__name__":"${FLEET_SERIES[s]}","instance":"host-${h}.example:9100","job":"node"},"values":[${v.join(',')}]}`,
      );
    }
  }
  parts.push(']}}');
  return parts.join('');
}

/** Wall and CPU time (all threads, GC included): on a shared machine the CPU time is the steadier. */
function timed<T>(f: () => T): { value: T; ms: number; cpuMs: number; heap: number } {
  const before = heapMiB();
  const c = process.cpuUsage();
  const t = performance.now();
  const value = f();
  const ms = performance.now() - t;
  const used = process.cpuUsage(c);
  return { value, ms, cpuMs: (used.user + used.system) / 1000, heap: heapMiB() - before };
}
const times = (r: { ms: number; cpuMs: number; heap: number }) =>
  `${r.ms.toFixed(0)} ms (cpu ${r.cpuMs.toFixed(0)}), ${r.heap.toFixed(0)} MiB kept`;

export function timelineRows(): string[][] {
  const rows: string[][] = [];
  const week = Number(process.env.BENCH_FREC_SAMPLES ?? 604_800);
  let text = frecWeekText(week);
  const mb = (text.length / 1e6).toFixed(0);
  const frec = timed(() => parseFrec(text));
  const n = frec.value.ok ? frec.value.value.samples.length : 0;
  rows.push([
    `import a week of 1 s samples (${n.toLocaleString('en')} samples, ${mb} MB .frec)`,
    times(frec),
    '< 2000 ms',
    frec.ms < 2000 && n === week ? 'yes' : 'NO',
  ]);
  // What the tools worker does for the timeline view: parse, then columns, frames, call groups.
  let weekBytes: Uint8Array | null = new TextEncoder().encode(text);
  const weekView = timed(() => new TimelineStore().openText(weekBytes!));
  weekBytes = null;
  const weekOk = weekView.value.ok && weekView.value.kind === 'one';
  rows.push([
    '  the same opened for the timeline view (tools worker: parse + columns)',
    times(weekView),
    '< 2000 ms',
    weekView.ms < 2000 && weekOk ? 'yes' : 'NO',
  ]);
  text = '';
  const hosts = Number(process.env.BENCH_FLEET_HOSTS ?? 10_000);
  let json = fleetAnswerText(hosts, 288);
  const jmb = (json.length / 1e6).toFixed(0);
  const prom = timed(() => parsePrometheus(json));
  const tls = prom.value.ok ? prom.value.value : [];
  const samples = tls.reduce((a, t) => a + t.samples.length, 0);
  rows.push([
    `import a fleet answer (${tls.length.toLocaleString('en')} hosts, ${samples.toLocaleString('en')} samples × 5 series, ${jmb} MB JSON)`,
    times(prom),
    '< 5000 ms',
    prom.ms < 5000 && tls.length === hosts ? 'yes' : 'NO',
  ]);
  // The fleet view: hosts ranked from the series' arrays, no sample objects (fleet.ts); the
  // worker scans the file's bytes (readBytes), so the bench hands it bytes too.
  const store = new TimelineStore();
  let bytes: Uint8Array | null = new TextEncoder().encode(json);
  const fleet = timed(() => store.openText(bytes!));
  bytes = null;
  const fv = fleet.value.ok && fleet.value.kind === 'fleet' ? fleet.value.fleet : null;
  rows.push([
    `  the same opened as the fleet view (tools worker: ranking + small multiples, ${fv?.hosts.length.toLocaleString('en') ?? 0} hosts)`,
    times(fleet),
    '< 5000 ms',
    fleet.ms < 5000 && fv?.hosts.length === hosts ? 'yes' : 'NO',
  ]);
  const one = timed(() => store.host(hosts - 1));
  rows.push(['  then one host of it opened as its timeline', times(one), '', '']);
  json = '';
  const base = timed(() => JSON.parse(fleetAnswerText(Math.min(hosts, 2000), 288)) as unknown);
  rows.push([
    `  for scale: JSON.parse of a ${Math.min(hosts, 2000).toLocaleString('en')}-host answer (tree only)`,
    times(base),
    '',
    '',
  ]);
  return rows;
}

if (process.env.BENCH_TIMELINE_MAIN === '1') {
  const widths = [84, 40, 16, 3];
  const rows = [['benchmark', 'result', 'target', 'ok'], ...timelineRows()];
  for (const r of rows) console.log(r.map((x, i) => x.padEnd(widths[i]!)).join('  '));
}
