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
import {
  checkTimelineBytes,
  checkTimelineInput,
  noteKeys,
  type Timeline,
  type TimelineSample,
} from './timeline';
import { decodeUtf8, encodeUtf8 } from './utf8';

export class PrometheusError extends Error {}

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

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/** The answer's UTF-8 bytes, read without decoding: JSON's structure is all ASCII. */
class Scanner {
  pos = 0;
  readonly n: number;
  constructor(readonly s: Uint8Array) {
    this.n = s.length;
  }

  fail(what: string): never {
    throw new PrometheusError(`not a Prometheus answer: ${what} at byte ${this.pos}`);
  }

  text(a: number, b: number): string {
    return decodeUtf8(this.s.subarray(a, b));
  }

  ws(): void {
    const s = this.s;
    let p = this.pos;
    while (p < this.n && isSpace(s[p]!)) p++;
    this.pos = p;
  }

  /** The byte at pos, or −1 past the end. */
  peek(): number {
    return this.pos < this.n ? this.s[this.pos]! : -1;
  }

  expect(c: number, what: string): void {
    this.ws();
    if (this.peek() !== c) this.fail(`expected ${what}`);
    this.pos++;
  }

  /** After a member: true at ",", false at the closing bracket `close`. */
  more(close: number): boolean {
    this.ws();
    const c = this.peek();
    if (c === 44) {
      this.pos++;
      return true;
    }
    if (c === close) {
      this.pos++;
      return false;
    }
    return this.fail(`expected "," or "${String.fromCharCode(close)}"`);
  }

  /** Enters an object or array; false when it is empty (and already closed). */
  open(c: number, close: number, what: string): boolean {
    this.expect(c, what);
    this.ws();
    if (this.peek() === close) {
      this.pos++;
      return false;
    }
    return true;
  }

  key(): string {
    this.ws();
    const k = this.string();
    this.expect(58, '":"');
    return k;
  }

  string(): string {
    const s = this.s;
    if (this.peek() !== 34) this.fail('expected a string');
    const start = this.pos;
    let p = start + 1;
    let escaped = false;
    for (;;) {
      if (p >= this.n) this.fail('unterminated string');
      const c = s[p]!;
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        p++;
      }
      p++;
    }
    this.pos = p + 1;
    return escaped ? (JSON.parse(this.text(start, p + 1)) as string) : this.text(start + 1, p);
  }

  /** Any JSON value, by finding its end and handing the slice to JSON.parse. */
  value(): unknown {
    this.ws();
    const start = this.pos;
    this.skip();
    try {
      return JSON.parse(this.text(start, this.pos));
    } catch {
      this.pos = start;
      return this.fail('invalid JSON value');
    }
  }

  private skip(): void {
    const s = this.s;
    let depth = 0;
    for (;;) {
      this.ws();
      const c = this.peek();
      if (c < 0) this.fail('unexpected end');
      if (c === 34) this.string();
      else if (c === 123 || c === 91) {
        depth++;
        this.pos++;
      } else if (c === 125 || c === 93) {
        depth--;
        this.pos++;
      } else if (c === 44 || c === 58) {
        if (depth === 0) return;
        this.pos++;
      } else {
        let p = this.pos;
        for (; p < this.n; p++) {
          const d = s[p]!;
          if (isSpace(d) || d === 44 || d === 58 || d === 93 || d === 125) break;
        }
        this.pos = p;
      }
      if (depth === 0) return;
    }
  }

  /** A JSON number or a numeric string ("31457280", "NaN", "+Inf") without allocating. */
  number(): number {
    this.ws();
    const s = this.s;
    let p = this.pos;
    const quoted = this.peek() === 34;
    if (quoted) p++;
    const start = p;
    let n = 0;
    let c = p < this.n ? s[p]! : -1;
    while (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      c = ++p < this.n ? s[p]! : -1;
    }
    if (p === start || p - start > 15 || (quoted ? c !== 34 : c === 46 || c === 101 || c === 69)) {
      // Not a plain integer of at most 15 digits: let Number() read it exactly.
      while (p < this.n && s[p] !== (quoted ? 34 : 44) && s[p] !== 93) p++;
      const text = this.text(start, p).trim();
      n = text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
      if (Number.isNaN(n) && text !== 'NaN') this.fail(`"${text.slice(0, 20)}" is not a number`);
    }
    if (quoted) {
      if (p >= this.n || s[p] !== 34) this.fail('unterminated string');
      p++;
    }
    this.pos = p;
    return n;
  }
}

/** A series' points as they are read: one scratch pair of arrays, copied out at its exact size. */
class Points {
  ts = new Float64Array(1024);
  vs = new Float64Array(1024);
  n = 0;
  push(t: number, v: number): void {
    if (this.n === this.ts.length) {
      const ts = new Float64Array(this.n * 2);
      const vs = new Float64Array(this.n * 2);
      ts.set(this.ts);
      vs.set(this.vs);
      this.ts = ts;
      this.vs = vs;
    }
    this.ts[this.n] = t;
    this.vs[this.n++] = v;
  }
}

/**
 * One point as Prometheus writes it, [1796286600,"31457280"]: integer time and value of at most
 * 15 digits, no spaces. False, with nothing read, for any other form.
 */
function compactPoint(sc: Scanner, out: Points): boolean {
  const s = sc.s;
  const end = sc.n;
  let p = sc.pos;
  if (p + 6 > end || s[p] !== 91) return false;
  let c = s[++p]!;
  const t0 = p;
  let t = 0;
  while (c >= 48 && c <= 57) {
    t = t * 10 + (c - 48);
    c = s[++p]!;
  }
  if (c !== 44 || p === t0 || p - t0 > 15 || s[p + 1] !== 34) return false;
  p += 2;
  const v0 = p;
  let v = 0;
  c = s[p]!;
  while (c >= 48 && c <= 57) {
    v = v * 10 + (c - 48);
    c = s[++p]!;
  }
  if (c !== 34 || p === v0 || p - v0 > 15 || s[p + 1] !== 93) return false;
  sc.pos = p + 2;
  out.push(t, v);
  return true;
}

/** [[t,"v"],…] into out. */
function readValues(sc: Scanner, out: Points): void {
  if (!sc.open(91, 93, '"values" array')) return;
  const s = sc.s;
  for (;;) {
    if (!compactPoint(sc, out)) {
      sc.expect(91, '"[" of a [time, "value"] pair');
      const t = sc.number();
      sc.expect(44, '","');
      out.push(t, sc.number());
      sc.expect(93, '"]"');
    }
    // The compact form's "," or "]" right after the point; anything else through more().
    const c = s[sc.pos];
    if (c === 44) {
      sc.pos++;
      sc.ws();
    } else if (c === 93) {
      sc.pos++;
      return;
    } else if (sc.more(93)) sc.ws();
    else return;
  }
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

function readAnswer(bytes: Uint8Array): Answer {
  const sc = new Scanner(bytes);
  const points = new Points();
  const a: Answer = {
    status: null,
    errorType: null,
    error: null,
    resultType: null,
    series: [],
    warnings: [],
  };
  if (!sc.open(123, 125, 'a JSON object')) return a;
  do {
    const k = sc.key();
    if (k === 'data') {
      if (!sc.open(123, 125, '"data" object')) continue;
      do {
        const dk = sc.key();
        if (dk === 'resultType') a.resultType = String(sc.value());
        else if (dk === 'result' && a.resultType !== 'vector' && a.resultType !== 'scalar') {
          if (!sc.open(91, 93, '"result" array')) continue;
          do {
            const s = readSeries(sc, points, a.warnings);
            if (s) a.series.push(s);
          } while (sc.more(93));
        } else sc.value();
      } while (sc.more(125));
    } else {
      const v = sc.value();
      if (k === 'status') a.status = String(v);
      else if (k === 'errorType') a.errorType = String(v);
      else if (k === 'error') a.error = String(v);
      else if (k === 'warnings' && Array.isArray(v)) {
        for (const w of v) a.warnings.push(`Prometheus: ${String(w)}`);
      }
    }
  } while (sc.more(125));
  return a;
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
  let a: Answer;
  try {
    a = readAnswer(typeof input === 'string' ? encodeUtf8(input) : input);
  } catch (e) {
    if (!(e instanceof PrometheusError || e instanceof SyntaxError)) throw e;
    const expected = 'the JSON body of /api/v1/query_range';
    return { ok: false, errors: [fail(e.message, expected)], warnings: [] };
  }
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
