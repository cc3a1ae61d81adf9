/**
 * The timeline and fleet views' side of the tools worker: parse a recording (fracture-record.sh)
 * or a Prometheus query_range answer once, keep what was parsed, and answer the views with
 * columns (typed arrays, transferred by tools-worker.ts), the ptdump frames as per-2 MiB levels,
 * the recorded calls grouped by caller, and for a fleet the hosts' DirectMap4k share and growth.
 *
 * The main thread never holds the text: a file or a fetched answer comes here as a Blob and is
 * read here (a week of 1 s samples is ~120 MB, a 10,000-host day ~380 MB).
 */

import type { ImportError, Parsed } from '../formats/import/common';
import {
  fillShareRow,
  fleetHostOf,
  fleetSpan,
  promHostColumns,
  shareColumn,
} from '../formats/import/fleet';
import {
  FrecReader,
  parseFrecColumns,
  ptdumpFrameText,
  SampleColumns,
} from '../formats/import/frec';
import {
  isPrometheusAnswer,
  PrometheusStream,
  type PromHost,
  promHostTimeline,
  readPrometheusHosts,
} from '../formats/import/prometheus';
import { parsePtdump } from '../formats/import/ptdump';
import { regionLevels } from '../formats/import/reconcile';
import {
  checkTimelineBytes,
  MAX_TIMELINE_CHARS,
  type Timeline,
  type TimelineColumns,
  type TraceEvent,
  timelineColumns,
  timelineTooLarge,
} from '../formats/import/timeline';
import { decodeUtf8, encodeUtf8, utf8Stream } from '../formats/import/utf8';
import type {
  FleetView,
  TimelineFrame,
  TimelineInput,
  TimelineOpenResult,
  TimelineView,
  TraceGroup,
} from './protocol';
import { callerOf, traceScenario } from './trace-scenario';

/** Small multiples share one axis of this many buckets (a 1-day, 5-minute answer has 288). */
export const FLEET_POINTS = 96;
/** A map frame draws at most this many 2 MiB regions (256 GiB); larger hosts are cut, noted. */
const MAX_FRAME_REGIONS = 131_072;
const REGION_BYTES = 2 * 1024 * 1024;

/** "kvm_vcpu_ioctl+676[kvm]" (the recorder drops the space bpftrace prints) → symbol, module. */
export { callerOf };

/** Recorded calls grouped by caller ("who split what"), most pages first. */
export function traceGroups(trace: readonly TraceEvent[]): {
  groups: TraceGroup[];
  t: Float64Array;
  group: Uint32Array;
} {
  const byCaller = new Map<string, TraceGroup>();
  const ids = new Map<string, number>();
  const order: number[] = [];
  for (const ev of trace) {
    const caller = callerOf(ev);
    let g = byCaller.get(caller);
    if (!g) {
      g = {
        caller,
        fns: [],
        comms: [],
        calls: 0,
        pages: 0,
        stack: ev.stack,
        first: ev.t,
        last: ev.t,
      };
      byCaller.set(caller, g);
      ids.set(caller, byCaller.size - 1);
    }
    g.calls++;
    g.pages += ev.pages;
    if (!g.fns.includes(ev.fn)) g.fns.push(ev.fn);
    if (ev.comm && !g.comms.includes(ev.comm) && g.comms.length < 8) g.comms.push(ev.comm);
    g.first = Math.min(g.first, ev.t);
    g.last = Math.max(g.last, ev.t);
    order.push(ids.get(caller)!);
  }
  const list = [...byCaller.values()];
  const rank = list
    .map((g, i) => ({ g, i }))
    .sort(
      (a, b) =>
        b.g.pages - a.g.pages || b.g.calls - a.g.calls || (a.g.caller < b.g.caller ? -1 : 1),
    );
  const newId = new Uint32Array(list.length);
  rank.forEach((r, j) => {
    newId[r.i] = j;
  });
  const t = Float64Array.from(trace, (e) => e.t);
  const group = Uint32Array.from(order, (i) => newId[i]!);
  return { groups: rank.map((r) => r.g), t, group };
}

function frameOf(tl: Timeline, i: number): TimelineFrame {
  const f = tl.ptdumps[i]!;
  const parsed = parsePtdump(ptdumpFrameText(f));
  if (!parsed.ok) {
    return {
      t: f.t,
      wall: f.wall,
      complete: f.complete,
      lines: f.lines,
      regions: 0,
      levels: new Uint8Array(0),
      error: parsed.errors[0]?.message ?? 'not a page-table dump',
      meminfo: null,
    };
  }
  const p = parsed.value;
  const end = p.pieces.at(-1)?.end ?? 0;
  const regions = Math.min(MAX_FRAME_REGIONS, Math.ceil(end / REGION_BYTES));
  return {
    t: f.t,
    wall: f.wall,
    complete: f.complete,
    lines: f.lines,
    regions,
    levels: regionLevels(p.pieces, regions),
    error: null,
    meminfo: p.meminfo,
  };
}

function sceneOf(tl: Timeline): TimelineView['traceScenario'] {
  if (tl.source !== 'frec' || tl.trace.length === 0) return null;
  const s = traceScenario(tl);
  return 'error' in s ? null : s;
}

export function timelineView(
  tl: Timeline,
  warnings: string[],
  columns: TimelineColumns = timelineColumns(tl),
): TimelineView {
  const { groups, t, group } = traceGroups(tl.trace);
  return {
    source: tl.source,
    host: tl.host,
    header: tl.header,
    notes: tl.notes,
    warnings,
    end: tl.end,
    columns,
    frames: tl.ptdumps.map((_, i) => frameOf(tl, i)),
    trace: { t, group, groups },
    traceScenario: sceneOf(tl),
  };
}

/** A many-instance answer as the fleet view: computed from the series' arrays, no samples built. */
export function fleetView(hosts: readonly PromHost[], warnings: string[]): FleetView {
  const cols = hosts.map((h, i) => promHostColumns(h, i));
  const span = fleetSpan(cols);
  const share = new Float32Array(hosts.length * FLEET_POINTS).fill(Number.NaN);
  let samples = 0;
  const rows = cols.map((c, i) => {
    const s = shareColumn(c);
    fillShareRow(share, i, FLEET_POINTS, span, c.wall, s);
    samples += c.wall.length;
    return fleetHostOf(c, i, s);
  });
  return { hosts: rows, samples, warnings, ...span, points: FLEET_POINTS, share };
}

type Chunks = { read(): Promise<{ done: boolean; value?: Uint8Array }> };

function chunksOf(blob: Exclude<TimelineInput, string>): Chunks | null {
  if (!blob.stream) return null;
  return (blob.stream() as { getReader(): Chunks }).getReader();
}

/**
 * What a file opens as, read as a stream (in Chromium much faster than Blob.text(), which
 * decodes a 300 MB string first): a Prometheus answer into one buffer of the file's size (the
 * scanner reads bytes), a recording decoded and parsed chunk by chunk as it arrives.
 */
export async function readTimeline(
  blob: Exclude<TimelineInput, string>,
): Promise<
  | Uint8Array
  | { prom: Parsed<PromHost[]> }
  | Parsed<{ timeline: Timeline; columns: TimelineColumns }>
> {
  const chunks = chunksOf(blob);
  if (!chunks) return encodeUtf8(await blob.text());
  // The first 512 bytes decide (isPrometheusAnswer()); they may come in more than one chunk.
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < 512 && !done) {
    const c = await chunks.read();
    if (c.done || !c.value) done = true;
    else {
      head.push(c.value);
      headBytes += c.value.length;
    }
  }
  const next = async (): Promise<Uint8Array | null> => {
    const h = head.shift();
    if (h || done) return h ?? null;
    const c = await chunks.read();
    return c.done || !c.value ? null : c.value;
  };
  const start = new Uint8Array(headBytes);
  let at = 0;
  for (const c of head) {
    start.set(c, at);
    at += c.length;
  }
  if (isPrometheusAnswer(start)) {
    const prom = new PrometheusStream();
    for (let c = await next(); c; c = await next()) prom.push(c);
    return { prom: prom.finish() };
  }
  const reader = new FrecReader(new SampleColumns());
  const text = utf8Stream();
  for (let c = await next(); c; c = await next()) reader.feed(text.push(c));
  reader.feed(text.end());
  return reader.finishColumns();
}

const messages = (errors: readonly ImportError[]) =>
  errors.map((e) => `${e.line > 0 ? `line ${e.line}: ` : ''}${e.message} (expected ${e.expected})`);

/** The parsed timelines of the last open, so the fleet view can open one host without a reparse. */
export class TimelineStore {
  private hosts: PromHost[] = [];
  private warnings: string[] = [];

  async open(input: TimelineInput): Promise<TimelineOpenResult> {
    if (typeof input === 'string') return this.openText(input);
    // Refused by its size before a byte is read (the page checks first; a Blob from elsewhere).
    if (input.size > MAX_TIMELINE_CHARS) {
      return { ok: false, errors: messages([timelineTooLarge(input.size)]), warnings: [] };
    }
    let read: Awaited<ReturnType<typeof readTimeline>>;
    try {
      read = await readTimeline(input);
    } catch (e) {
      return { ok: false, errors: [`the file could not be read: ${String(e)}`], warnings: [] };
    }
    if (read instanceof Uint8Array) return this.openText(read);
    this.hosts = [];
    return 'prom' in read ? this.promResult(read.prom) : this.frecResult(read);
  }

  private promResult(r: Parsed<PromHost[]>): TimelineOpenResult {
    if (!r.ok) return { ok: false, errors: messages(r.errors), warnings: r.warnings };
    this.warnings = r.warnings;
    if (r.value.length === 1) {
      const tl = promHostTimeline(r.value[0]!, r.warnings);
      return { ok: true, kind: 'one', view: timelineView(tl, r.warnings) };
    }
    this.hosts = r.value;
    return { ok: true, kind: 'fleet', fleet: fleetView(r.value, r.warnings) };
  }

  private frecResult(
    r: Parsed<{ timeline: Timeline; columns: TimelineColumns }>,
  ): TimelineOpenResult {
    if (!r.ok) return { ok: false, errors: messages(r.errors), warnings: r.warnings };
    return {
      ok: true,
      kind: 'one',
      view: timelineView(r.value.timeline, r.warnings, r.value.columns),
    };
  }

  /**
   * open() of text or UTF-8 bytes already read (the bench and tests call it directly). A
   * Prometheus answer is scanned as bytes; a recording is decoded, as its lines are parsed.
   */
  openText(input: string | Uint8Array): TimelineOpenResult {
    let text: string | Uint8Array = input;
    this.hosts = [];
    if (isPrometheusAnswer(text)) {
      const r = readPrometheusHosts(text);
      text = '';
      return this.promResult(r);
    }
    if (typeof text !== 'string') {
      const bad = checkTimelineBytes(text);
      if (bad) return { ok: false, errors: messages([bad]), warnings: [] };
      text = decodeUtf8(text);
    }
    const r = parseFrecColumns(text);
    text = '';
    return this.frecResult(r);
  }

  /** One host of the last fleet opened, as its own timeline (built now, from its series). */
  host(index: number): TimelineView | null {
    const h = this.hosts[index];
    if (!h) return null;
    const warnings = [...this.warnings];
    return timelineView(promHostTimeline(h, warnings), warnings);
  }
}

/** Every buffer of an answer once (a buffer listed twice is a DataCloneError). */
export function timelineBuffers(r: TimelineOpenResult | TimelineView | null): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const ofView = (v: TimelineView) => {
    out.add(v.columns.t.buffer as ArrayBuffer);
    out.add(v.columns.wall.buffer as ArrayBuffer);
    for (const c of v.columns.values) out.add(c.buffer as ArrayBuffer);
    for (const f of v.frames) out.add(f.levels.buffer as ArrayBuffer);
    out.add(v.trace.t.buffer as ArrayBuffer);
    out.add(v.trace.group.buffer as ArrayBuffer);
  };
  if (r === null) return [];
  if ('columns' in r) ofView(r);
  else if (r.ok && r.kind === 'one') ofView(r.view);
  else if (r.ok && r.kind === 'fleet') out.add(r.fleet.share.buffer as ArrayBuffer);
  return [...out];
}
