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
async function timed<T>(
  f: () => T | Promise<T>,
): Promise<{ value: T; ms: number; cpuMs: number; heap: number; peak: number }> {
  const before = heapMiB();
  peakMiB = before;
  const c = process.cpuUsage();
  const t = performance.now();
  const value = await f();
  const ms = performance.now() - t;
  const used = process.cpuUsage(c);
  const after = heapMiB();
  return {
    value,
    ms,
    cpuMs: (used.user + used.system) / 1000,
    heap: after - before,
    peak: Math.max(peakMiB, after),
  };
}
const times = (r: { ms: number; cpuMs: number; heap: number }) =>
  `${r.ms.toFixed(0)} ms (cpu ${r.cpuMs.toFixed(0)}), ${r.heap.toFixed(0)} MiB kept`;
const GIB = 1024;

/**
 * A file as the tools worker gets it: Blob-like, its stream() giving the bytes in 64 KiB chunks
 * (node's own Blob.stream() costs more than the parse; Chromium's hands over its chunks natively).
 */
let peakMiB = 0;
function fileOf(text: string) {
  const bytes = new TextEncoder().encode(text);
  let reads = 0;
  return {
    size: bytes.length,
    text: async () => text,
    stream: () => {
      let at = 0;
      return {
        getReader: () => ({
          read: async () => {
            if (at >= bytes.length) return { done: true };
            if (++reads % 64 === 0) {
              const m = process.memoryUsage();
              peakMiB = Math.max(peakMiB, (m.heapUsed + m.arrayBuffers) / 2 ** 20);
            }
            const value = bytes.subarray(at, at + 65536);
            at += 65536;
            return { done: false, value };
          },
        }),
      };
    },
  };
}

/**
 * The rows. The "tools worker" rows open the file as the worker does (TimelineStore.open of a
 * Blob: streamed, parsed while it arrives, columns built); the others are the CLI's parsers.
 */
export async function timelineRows(): Promise<string[][]> {
  const rows: string[][] = [];
  const week = Number(process.env.BENCH_FREC_SAMPLES ?? 604_800);
  let text = frecWeekText(week);
  const mb = (text.length / 1e6).toFixed(0);
  let blob: ReturnType<typeof fileOf> | null = fileOf(text);
  const weekView = await timed(() => new TimelineStore().open(blob!));
  blob = null;
  const weekN =
    weekView.value.ok && weekView.value.kind === 'one' ? weekView.value.view.columns.t.length : 0;
  rows.push([
    `import a week of 1 s samples (${weekN.toLocaleString('en')} samples, ${mb} MB .frec; tools worker: stream + parse + columns)`,
    times(weekView),
    '< 2000 ms',
    weekView.ms < 2000 && weekN === week ? 'yes' : 'NO',
  ]);
  const frec = await timed(() => parseFrec(text));
  const n = frec.value.ok ? frec.value.value.samples.length : 0;
  rows.push([
    '  the same through parseFrec() (sim import: one object per sample)',
    times(frec),
    '',
    n === week ? '' : 'NO',
  ]);
  text = '';
  const hosts = Number(process.env.BENCH_FLEET_HOSTS ?? 10_000);
  let json = fleetAnswerText(hosts, 288);
  const jmb = (json.length / 1e6).toFixed(0);
  // The fleet view: hosts ranked from the series' arrays, no sample objects (fleet.ts).
  const store = new TimelineStore();
  blob = fileOf(json);
  const jsonBytes = blob.size;
  json = '';
  const fleet = await timed(() => store.open(blob!));
  blob = null;
  const kept = heapMiB();
  const fv = fleet.value.ok && fleet.value.kind === 'fleet' ? fleet.value.fleet : null;
  rows.push([
    `open a fleet answer (${fv?.hosts.length.toLocaleString('en') ?? 0} hosts, ${fv?.samples.toLocaleString('en') ?? 0} samples × 5 series, ${jmb} MB JSON; tools worker: stream + scan + ranking)`,
    times(fleet),
    '< 5000 ms',
    fleet.ms < 5000 && fv?.hosts.length === hosts ? 'yes' : 'NO',
  ]);
  // The peak is sampled without forcing a GC (garbage not yet collected counts) and less the
  // file's bytes, which this bench holds and the browser, not the tools worker, keeps.
  const fileMiB = jsonBytes / 2 ** 20;
  const peak = fleet.peak - fileMiB;
  rows.push([
    '  memory: heap + buffers at most while it opened (no forced GC), and kept after',
    `${peak.toFixed(0)} MiB peak, ${kept.toFixed(0)} MiB in the process after`,
    '< 1024 MiB',
    peak < GIB ? 'yes' : 'NO',
  ]);
  const one = await timed(() => store.host(hosts - 1));
  rows.push(['  then one host of it opened as its timeline', times(one), '', '']);
  json = fleetAnswerText(hosts, 288);
  const prom = await timed(() => parsePrometheus(json));
  const tls = prom.value.ok ? prom.value.value : [];
  const samples = tls.reduce((a, t) => a + t.samples.length, 0);
  rows.push([
    `  the same through parsePrometheus() (sim import: ${samples.toLocaleString('en')} sample objects)`,
    times(prom),
    '',
    tls.length === hosts ? '' : 'NO',
  ]);
  json = '';
  const base = await timed(
    () => JSON.parse(fleetAnswerText(Math.min(hosts, 2000), 288)) as unknown,
  );
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
  const rows = [['benchmark', 'result', 'target', 'ok'], ...(await timelineRows())];
  for (const r of rows) console.log(r.map((x, i) => x.padEnd(widths[i]!)).join('  '));
}
