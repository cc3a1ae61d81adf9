/**
 * A Prometheus /api/v1/query_range answer (resultType "matrix") of node_exporter's direct-map
 * series as one Timeline per `instance`:
 *   node_memory_DirectMap4k_bytes …  → DirectMap4k … in kB (the meminfo collector multiplies the
 *                                      kB of /proc/meminfo by 1024; this divides back)
 *   node_vmstat_direct_map_level2_splits … → direct_map_level2_splits … (counts, unchanged; the
 *                                      vmstat collector only exports them when
 *                                      --collector.vmstat.fields is widened to match them)
 * Any other series is kept under its metric name, unscaled.
 *
 * Answer format: https://prometheus.io/docs/prometheus/latest/querying/api/#range-queries —
 * {"status":"success","data":{"resultType":"matrix","result":[{"metric":{…},"values":[[t,"v"],…]}]}}
 * or {"status":"error","errorType":"…","error":"…"}.
 *
 * A fleet answer is large (10,000 hosts × 5 series × 288 points is ~380 MB of JSON), so the
 * "values" arrays are read by a scanner that allocates nothing per point; everything else (labels,
 * status, warnings) goes through JSON.parse of its own small slice.
 */
import type { ImportError, Parsed } from './common';
import { Points, PrometheusError, readValues, Scanner } from './prom-scan';
import {
  checkTimelineBytes,
  checkTimelineInput,
  MAX_TIMELINE_CHARS,
  noteKeys,
  type Timeline,
  type TimelineSample,
  timelineTooLarge,
} from './timeline';
import { decodeUtf8, encodeUtf8 } from './utf8';

export { PrometheusError };

export interface Series {
  key: string;
  scale: number;
  labels: Record<string, string>;
  ts: Float64Array;
  vs: Float64Array;
}

/** True when the text looks like a Prometheus API answer (checked on its first 512 characters). */
export function isPrometheusAnswer(text: string | Uint8Array): boolean {
  const head = typeof text === 'string' ? text.slice(0, 512) : decodeUtf8(text.subarray(0, 512));
  return /^\s*\{\s*"(?:status|data|error|errorType|warnings)"\s*:/.test(head);
}

const MEMINFO = /^node_memory_(DirectMap\w+)_bytes$/;
const VMSTAT = /^node_vmstat_(\w+)$/;

function keyOf(name: string | undefined): { key: string; scale: number } {
  if (name === undefined) return { key: 'value', scale: 1 };
  const m = MEMINFO.exec(name);
  if (m) return { key: m[1]!, scale: 1 / 1024 };
  const v = VMSTAT.exec(name);
  if (v) return { key: v[1]!, scale: 1 };
  return { key: name, scale: 1 };
}

function readSeries(sc: Scanner, points: Points, warnings: string[]): Series | null {
  let labels: Record<string, string> = {};
  let matrix = false;
  points.n = 0;
  if (sc.open(123, 125, 'a series object')) {
    do {
      const k = sc.key();
      if (k === 'metric') labels = sc.value() as Record<string, string>;
      else if (k === 'values') {
        readValues(sc, points);
        matrix = true;
      } else sc.value();
    } while (sc.more(125));
  }
  if (!matrix) {
    warnings.push(`a series of ${labels.__name__ ?? 'an expression'} has no "values": skipped`);
    return null;
  }
  const { key, scale } = keyOf(labels.__name__);
  const ts = points.ts.slice(0, points.n);
  const vs = points.vs.slice(0, points.n);
  return { key, scale, labels, ts, vs };
}

interface Answer {
  status: string | null;
  errorType: string | null;
  error: string | null;
  resultType: string | null;
  series: Series[];
  warnings: string[];
}

const emptyAnswer = (): Answer => ({
  status: null,
  errorType: null,
  error: null,
  resultType: null,
  series: [],
  warnings: [],
});

/** step() until it succeeds; while more bytes are to come, a failure waits (yields) for them. */
function* retry<T>(sc: Scanner, step: () => T): Generator<void, T> {
  for (;;) {
    const at = sc.pos;
    try {
      return step();
    } catch (e) {
      if (sc.final || !(e instanceof PrometheusError)) throw e;
      sc.pos = at;
      yield;
    }
  }
}

/** The answer into `a`, one step at a time: a series is retried whole when it was cut. */
function* answerSteps(sc: Scanner, a: Answer): Generator<void, void> {
  const points = new Points();
  if (!(yield* retry(sc, () => sc.open(123, 125, 'a JSON object')))) return;
  do {
    const k = yield* retry(sc, () => sc.key());
    if (k === 'data') {
      if (!(yield* retry(sc, () => sc.open(123, 125, '"data" object')))) continue;
      do {
        const dk = yield* retry(sc, () => sc.key());
        if (dk === 'resultType') a.resultType = String(yield* retry(sc, () => sc.value()));
        else if (dk === 'result' && a.resultType !== 'vector' && a.resultType !== 'scalar') {
          if (!(yield* retry(sc, () => sc.open(91, 93, '"result" array')))) continue;
          do {
            const s = yield* retry(sc, () => readSeries(sc, points, a.warnings));
            if (s) a.series.push(s);
          } while (yield* retry(sc, () => sc.more(93)));
        } else yield* retry(sc, () => sc.value());
      } while (yield* retry(sc, () => sc.more(125)));
    } else {
      const v = yield* retry(sc, () => sc.value());
      if (k === 'status') a.status = String(v);
      else if (k === 'errorType') a.errorType = String(v);
      else if (k === 'error') a.error = String(v);
      else if (k === 'warnings' && Array.isArray(v)) {
        for (const w of v) a.warnings.push(`Prometheus: ${String(w)}`);
      }
    }
  } while (yield* retry(sc, () => sc.more(125)));
}

function readAnswer(bytes: Uint8Array): Answer {
  const a = emptyAnswer();
  answerSteps(new Scanner(bytes), a).next();
  return a;
}

/**
 * An answer read while it arrives (the tools worker pushes a file's chunks as they come):
 * each push scans as far as the bytes go, so the scan overlaps the read.
 */
export class PrometheusStream {
  private readonly sc = new Scanner(new Uint8Array(1 << 22));
  private readonly a = emptyAnswer();
  private readonly steps: Generator<void, void>;
  /** The first 64 KiB, for the binary check. */
  private readonly head = new Uint8Array(65536);
  private total = 0;
  private failed: unknown = null;
  private done = false;

  constructor() {
    this.sc.n = 0;
    this.sc.final = false;
    this.steps = answerSteps(this.sc, this.a);
  }

  push(chunk: Uint8Array): void {
    const sc = this.sc;
    if (this.total < this.head.length)
      this.head.set(chunk.subarray(0, this.head.length - this.total), this.total);
    this.total += chunk.length;
    if (this.done || this.failed) return;
    if (sc.n + chunk.length > sc.s.length) {
      // Drop what is read: the scan waits at the start of a step, which needs nothing before it.
      sc.s.copyWithin(0, sc.pos, sc.n);
      sc.base += sc.pos;
      sc.n -= sc.pos;
      sc.pos = 0;
      if (sc.n + chunk.length > sc.s.length) {
        const s = new Uint8Array(Math.max(sc.s.length * 2, sc.n + chunk.length));
        s.set(sc.s.subarray(0, sc.n));
        sc.s = s;
      }
    }
    sc.s.set(chunk, sc.n);
    sc.n += chunk.length;
    this.step();
  }

  finish(): Parsed<PromHost[]> {
    const bad =
      this.total > MAX_TIMELINE_CHARS
        ? timelineTooLarge(this.total)
        : checkTimelineBytes(this.head.subarray(0, Math.min(this.total, this.head.length)));
    if (bad) return { ok: false, errors: [bad], warnings: [] };
    this.sc.final = true;
    this.step();
    return hostsOf(this.failed ?? this.a);
  }

  private step(): void {
    if (this.done || this.failed) return;
    try {
      this.done = this.steps.next().done === true;
    } catch (e) {
      this.failed = e;
    }
  }
}

export function sameTimes(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function timelineOf(host: string | null, series: Series[], warnings: string[]): Timeline {
  const header: Record<string, string> = {};
  for (const [k, v] of Object.entries(series[0]!.labels)) {
    if (k !== '__name__') header[`label.${k}`] = v;
  }
  const keysSeen = new Set<string>();
  for (const s of series) {
    if (keysSeen.has(s.key))
      warnings.push(`${host ?? 'no instance'}: two series give ${s.key}: the later one wins`);
    keysSeen.add(s.key);
  }
  const first = series[0]!.ts;
  const aligned = series.every((s) => sameTimes(s.ts, first));
  const times: number[] = aligned
    ? Array.from(first)
    : [...new Set(series.flatMap((s) => Array.from(s.ts)))].sort((x, y) => x - y);
  const index = aligned ? null : new Map(times.map((t, i) => [t, i] as const));
  const samples: TimelineSample[] = new Array(times.length);
  const t0 = times[0] ?? 0;
  // When every series has every point, each sample gets every key: cloning one template object
  // gives all samples one hidden class and no property additions (2.88 M samples in a fleet).
  const template: Record<string, number> = {};
  if (aligned) for (const s of series) template[s.key] = 0;
  for (let i = 0; i < times.length; i++) {
    samples[i] = { t: times[i]! - t0, wall: times[i]!, values: aligned ? { ...template } : {} };
  }
  for (const s of series) {
    for (let j = 0; j < s.ts.length; j++) {
      const i = index ? index.get(s.ts[j]!)! : j;
      samples[i]!.values[s.key] = s.scale === 1 ? s.vs[j]! : s.vs[j]! * s.scale;
    }
  }
  // Aligned: every sample has every series' key. Otherwise a key's first sample decides its place.
  const keys: string[] = aligned ? [...keysSeen] : [];
  const seen = new Set<string>();
  if (!aligned) for (const s of samples) noteKeys(s.values, seen, keys);
  return {
    source: 'prometheus',
    header,
    host,
    keys,
    samples,
    notes: [],
    ptdumps: [],
    trace: [],
    end: null,
  };
}

const fail = (message: string, expected: string): ImportError => ({ line: 0, message, expected });

/** One instance of an answer: its series as read, before they become a Timeline. */
export interface PromHost {
  host: string | null;
  series: Series[];
}

/**
 * The answer's series grouped by instance, without building samples: the fleet view ranks
 * 10,000 hosts from these arrays and builds a Timeline only for the host the user opens.
 */
export function readPrometheusHosts(input: string | Uint8Array): Parsed<PromHost[]> {
  const bad = typeof input === 'string' ? checkTimelineInput(input) : checkTimelineBytes(input);
  if (bad) return { ok: false, errors: [bad], warnings: [] };
  let a: Answer | unknown;
  try {
    a = readAnswer(typeof input === 'string' ? encodeUtf8(input) : input);
  } catch (e) {
    a = e;
  }
  return hostsOf(a);
}

/** The answer read (or what reading it threw) as its hosts or its error. */
function hostsOf(read: Answer | unknown): Parsed<PromHost[]> {
  if (read instanceof Error) {
    if (!(read instanceof PrometheusError || read instanceof SyntaxError)) throw read;
    const expected = 'the JSON body of /api/v1/query_range';
    return { ok: false, errors: [fail(read.message, expected)], warnings: [] };
  }
  const a = read as Answer;
  if (a.status === 'error') {
    const msg = `Prometheus answered with an error (${a.errorType ?? 'no errorType'}): ${a.error ?? 'no message'}`;
    return {
      ok: false,
      errors: [fail(msg, 'a successful query_range answer')],
      warnings: a.warnings,
    };
  }
  if (a.status !== 'success') {
    const msg = `not a Prometheus answer: status is ${a.status === null ? 'missing' : `"${a.status}"`}`;
    return { ok: false, errors: [fail(msg, '{"status":"success","data":{…}}')], warnings: [] };
  }
  if (a.resultType !== 'matrix') {
    const msg = `the answer is a ${a.resultType ?? 'result without resultType'}, not a range`;
    const expected = 'resultType "matrix": ask /api/v1/query_range, not /api/v1/query';
    return { ok: false, errors: [fail(msg, expected)], warnings: a.warnings };
  }
  const hosts = new Map<string | null, Series[]>();
  for (const s of a.series) {
    const host = s.labels.instance ?? null;
    const list = hosts.get(host);
    if (list) {
      // A host's series share their times as a rule: keep one copy (a fleet's memory is times).
      if (sameTimes(s.ts, list[0]!.ts)) s.ts = list[0]!.ts;
      list.push(s);
    } else hosts.set(host, [s]);
  }
  if (hosts.size === 0) {
    const expected = 'series such as node_memory_DirectMap4k_bytes over a time range';
    return {
      ok: false,
      errors: [fail('the answer holds no series', expected)],
      warnings: a.warnings,
    };
  }
  const value = [...hosts].map(([host, series]) => ({ host, series }));
  return { ok: true, value, warnings: a.warnings };
}

/** One instance as a Timeline (warnings about its series are added to `warnings`). */
export function promHostTimeline(h: PromHost, warnings: string[]): Timeline {
  return timelineOf(h.host, h.series, warnings);
}

export function parsePrometheus(text: string | Uint8Array): Parsed<Timeline[]> {
  const r = readPrometheusHosts(text);
  if (!r.ok) return r;
  const warnings = r.warnings;
  return { ok: true, value: r.value.map((h) => promHostTimeline(h, warnings)), warnings };
}
