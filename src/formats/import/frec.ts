/**
 * A fracture-record.sh recording (public/fracture-record.sh, format "fracture-record 1") as a
 * Timeline. The file is line-based: "# fracture-record N" first, "key=value" header lines,
 * "sample t=… wall=… K=V …" lines, "# note: …" lines, "ptdump …" … "ptdump-end" blocks, "trace …"
 * lines and an "end …" line. Unknown keys and line kinds are kept or skipped, never an error, so a
 * new kernel counter or a newer recorder never breaks an import (an LDMS pipeline once dropped data
 * when vmstat grew the two collapse fields; causes.md §4).
 *
 * A recording cut short (the machine died, a copy stopped) imports up to its last whole line: a
 * last line without its newline is dropped with a warning naming it.
 */
import { fail, hex64, type Parsed } from './common';
import {
  checkTimelineInput,
  MAX_TIMELINE_CHARS,
  noteKeys,
  type PtdumpFrame,
  type Timeline,
  type TimelineColumns,
  type TimelineEnd,
  type TraceEvent,
  timelineTooLarge,
} from './timeline';

export const FREC_VERSION = 1;
const MAGIC = /^# fracture-record (\d{1,6})\s*$/;
const HEADER_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,80}$/;
/** Warnings of one kind past this many are counted, not listed. */
const MAX_LISTED = 5;

export function isFrec(text: string): boolean {
  return text.startsWith('# fracture-record ');
}

/** "k=v k=v" after the line's kind → fields; tokens without "=" are ignored. */
function fieldsOf(line: string, from: number): Record<string, string> {
  const out: Record<string, string> = {};
  let i = from;
  const n = line.length;
  while (i < n) {
    while (i < n && line.charCodeAt(i) === 32) i++;
    let j = line.indexOf(' ', i);
    if (j < 0) j = n;
    const eq = line.indexOf('=', i);
    if (eq > i && eq < j) out[line.slice(i, eq)] = line.slice(eq + 1, j);
    i = j + 1;
  }
  return out;
}

const num = (s: string | undefined): number => (s === undefined || s === '' ? Number.NaN : +s);

class Warnings {
  readonly list: string[] = [];
  private counts = new Map<string, number>();
  add(kind: string, text: string): void {
    const c = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, c);
    if (c <= MAX_LISTED) this.list.push(text);
  }
  finish(): string[] {
    for (const [kind, c] of this.counts) {
      if (c > MAX_LISTED) this.list.push(`${c - MAX_LISTED} more ${kind} not listed`);
    }
    return this.list;
  }
}

/**
 * Samples straight into one typed array per key (the timeline view's columns): a week of 1 s
 * samples is 604,800 lines, and an object per sample is most of the import's time and memory.
 */
export class SampleColumns {
  n = 0;
  t = new Float64Array(4096);
  wall = new Float64Array(4096);
  readonly keys: string[] = [];
  values: Float64Array[] = [];
  private readonly index = new Map<string, number>();

  column(key: string): number {
    let c = this.index.get(key);
    if (c === undefined) {
      c = this.keys.length;
      this.index.set(key, c);
      this.keys.push(key);
      this.values.push(new Float64Array(this.t.length).fill(Number.NaN));
    }
    return c;
  }

  /** Room for sample n; a new row's values start as NaN (the key is missing there). */
  row(): number {
    if (this.n === this.t.length) {
      const cap = this.n * 2;
      const grow = (a: Float64Array, fill: boolean) => {
        const b = new Float64Array(cap);
        if (fill) b.fill(Number.NaN, this.n);
        b.set(a);
        return b;
      };
      this.t = grow(this.t, false);
      this.wall = grow(this.wall, false);
      this.values = this.values.map((v) => grow(v, true));
    }
    return this.n;
  }

  /** The columns at their exact length (copies: a transferred buffer carries no spare room). */
  finish(): { t: Float64Array; wall: Float64Array; keys: string[]; values: Float64Array[] } {
    const n = this.n;
    return {
      t: this.t.slice(0, n),
      wall: this.wall.slice(0, n),
      keys: [...this.keys],
      values: this.values.map((v) => v.slice(0, n)),
    };
  }
}

interface State {
  /** When set, samples go here and tl.samples stays empty. */
  cols: SampleColumns | null;
  /** Column of the key at each position of the previous sample line (cols mode). */
  colCache: number[];
  count: number;
  tl: Timeline;
  seen: Set<string>;
  warn: Warnings;
  pt: { frame: PtdumpFrame; body: string[] } | null;
  lastT: number;
  /** The keys of the previous sample line, by position. */
  keyCache: string[];
}

/**
 * A plain decimal of at most 15 digits ("30720", "20.01") read from line[i, j) without
 * allocating: digits m and d decimals give m / 10^d, which is correctly rounded (m < 2^53 and
 * 10^d exact), so it equals Number(). Anything else goes through Number().
 */
function numberAt(line: string, i: number, j: number): number {
  let m = 0;
  let scale = 1;
  let dot = false;
  for (let p = i; p < j; p++) {
    const c = line.charCodeAt(p);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      if (dot) scale *= 10;
    } else if (c === 46 && !dot) dot = true;
    else return +line.slice(i, j);
  }
  if (j === i || j - i > 15 || (dot && j - i === 1))
    return i === j ? Number.NaN : +line.slice(i, j);
  return dot ? m / scale : m;
}

/**
 * "sample t=… wall=… K=V …". Read directly rather than through fieldsOf(): a week of 1 s samples
 * is 604,800 lines, and every line repeats the previous line's keys, so a key is sliced out
 * only when it differs from the one at the same place in the previous line.
 */
function sampleLine(s: State, line: string, no: number): void {
  const cols = s.cols;
  const row = cols ? cols.row() : 0;
  const colCache = s.colCache;
  const values: Record<string, number> = {};
  let t = Number.NaN;
  let wall = Number.NaN;
  const n = line.length;
  let i = 7;
  let k = 0;
  const cache = s.keyCache;
  while (i < n) {
    while (i < n && line.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    let j = line.indexOf(' ', i);
    if (j < 0) j = n;
    const cached = cache[k];
    let eq: number;
    let key: string;
    if (
      cached !== undefined &&
      line.startsWith(cached, i) &&
      line.charCodeAt(i + cached.length) === 61
    ) {
      key = cached;
      eq = i + cached.length;
    } else {
      eq = line.indexOf('=', i);
      if (eq < 0 || eq > j) {
        i = j + 1;
        continue;
      }
      key = line.slice(i, eq);
      cache[k] = key;
      if (cols) colCache[k] = key === 't' || key === 'wall' ? -1 : cols.column(key);
    }
    const v = numberAt(line, eq + 1, j);
    if (key === 't') t = v;
    else if (key === 'wall') wall = v;
    else if (Number.isFinite(v)) {
      if (cols) cols.values[colCache[k]!]![row] = v;
      else values[key] = v;
    } else
      s.warn.add(
        'non-numeric values',
        `line ${no}: ${line.slice(i, Math.min(j, i + 40))} is not a number`,
      );
    k++;
    i = j + 1;
  }
  if (!Number.isFinite(t)) {
    s.warn.add('malformed samples', `line ${no}: a sample without a time (t=…): skipped`);
    // The row is not kept: what this line wrote into it goes back to "missing".
    if (cols) for (const c of cols.values) c[row] = Number.NaN;
    return;
  }
  if (t < s.lastT) {
    s.warn.add('backward times', `line ${no}: time ${t} s is before the previous sample's`);
  }
  s.lastT = t;
  s.count++;
  if (cols) {
    cols.t[row] = t;
    cols.wall[row] = wall;
    cols.n++;
    return;
  }
  noteKeys(values, s.seen, s.tl.keys);
  s.tl.samples.push({ t, wall, values });
}

function traceLine(s: State, line: string, no: number): void {
  const fields = fieldsOf(line, 6);
  const t = num(fields.t);
  if (!Number.isFinite(t) || !fields.fn) {
    s.warn.add('malformed trace lines', `line ${no}: a trace line without t= or fn=: skipped`);
    return;
  }
  const pid = num(fields.pid);
  const pages = num(fields.pages);
  const off = fields.dm_offset === undefined ? Number.NaN : num(fields.dm_offset);
  const ev: TraceEvent = {
    t,
    line: no,
    fn: fields.fn,
    pid: Number.isFinite(pid) ? pid : null,
    comm: fields.comm ?? '',
    pages: Number.isFinite(pages) ? pages : 1,
    dmOffset: Number.isFinite(off) ? off : null,
    stack: fields.stack ? fields.stack.split(';') : [],
    fields,
  };
  s.tl.trace.push(ev);
}

function endLine(s: State, line: string): void {
  const f = fieldsOf(line, 4);
  const samples = num(f.samples);
  const end: TimelineEnd = {
    t: num(f.t),
    wall: num(f.wall),
    samples: Number.isFinite(samples) ? samples : null,
    reason: f.reason ?? 'unknown',
  };
  s.tl.end = end;
}

function closePtdump(s: State, complete: boolean): void {
  const pt = s.pt;
  if (!pt) return;
  pt.frame.text = pt.body.join('\n');
  pt.frame.lines = pt.body.length;
  pt.frame.complete = complete;
  s.tl.ptdumps.push(pt.frame);
  s.pt = null;
}

function ptdumpStart(s: State, line: string, no: number): void {
  const f = fieldsOf(line, 7);
  s.pt = {
    frame: {
      t: num(f.t),
      wall: num(f.wall),
      line: no,
      addresses: f.addresses === 'raw' ? 'raw' : 'offset',
      text: '',
      lines: 0,
      complete: false,
    },
    body: [],
  };
}

function otherLine(s: State, line: string, no: number): void {
  if (line.startsWith('# note: ')) {
    s.tl.notes.push(line.slice(8));
    return;
  }
  if (line.startsWith('#') || line.trim() === '') return;
  const eq = line.indexOf('=');
  const sp = line.indexOf(' ');
  if (eq > 0 && (sp < 0 || sp > eq)) {
    const key = line.slice(0, eq);
    if (HEADER_KEY.test(key)) {
      s.tl.header[key] = line.slice(eq + 1);
      if (key === 'hostname') s.tl.host = line.slice(eq + 1);
      return;
    }
  }
  s.warn.add('unknown lines', `line ${no}: not a line kind this version reads: ignored`);
}

function oneLine(s: State, line: string, no: number): void {
  if (s.pt) {
    if (line.startsWith('ptdump-end')) {
      closePtdump(s, !/\bcut=1\b/.test(line));
      return;
    }
    // A line of another kind inside a dump: the dump was cut (an old recorder, a spliced file).
    if (!/^(?:0x|---\[|\.\.\. )/.test(line)) {
      s.warn.add('cut dumps', `line ${s.pt.frame.line}: page-table dump not closed by ptdump-end`);
      closePtdump(s, false);
    } else {
      s.pt.body.push(line);
      return;
    }
  }
  if (line.startsWith('sample ')) sampleLine(s, line, no);
  else if (line.startsWith('trace ')) traceLine(s, line, no);
  else if (line.startsWith('ptdump ')) ptdumpStart(s, line, no);
  else if (line.startsWith('end ')) endLine(s, line);
  else otherLine(s, line, no);
}

export function parseFrec(text: string): Parsed<Timeline> {
  if (typeof text !== 'string')
    return { ok: false, errors: [checkTimelineInput(text)!], warnings: [] };
  const r = new FrecReader(null);
  r.feed(text);
  return r.finish();
}

/**
 * parseFrec() with the samples as columns (the tools worker's path): the Timeline comes back
 * with no sample objects, its keys and samples in `columns`.
 */
export function parseFrecColumns(
  text: string,
): Parsed<{ timeline: Timeline; columns: TimelineColumns }> {
  const r = new FrecReader(new SampleColumns());
  r.feed(text);
  return r.finishColumns();
}

/** The binary check reads this much of the start (checkTimelineInput()). */
const HEAD_CHARS = 65536;

/**
 * A recording read in pieces as they arrive (the tools worker decodes a file's stream chunk by
 * chunk: no 120 MB string, and the parse overlaps the read). Lines may be split anywhere.
 */
export class FrecReader {
  private s: State | null = null;
  private failed: Parsed<Timeline> | null = null;
  private carry = '';
  private chars = 0;
  private no = 1;

  constructor(private readonly cols: SampleColumns | null) {}

  feed(chunk: string): void {
    if (this.failed) return;
    this.chars += chunk.length;
    if (this.chars > MAX_TIMELINE_CHARS) {
      this.failed = { ok: false, errors: [timelineTooLarge(this.chars)], warnings: [] };
      return;
    }
    let text = this.carry + chunk;
    let at = 0;
    if (!this.s) {
      if (text.length < HEAD_CHARS) {
        this.carry = text;
        return;
      }
      at = this.start(text, false);
      if (this.failed) return;
    }
    this.lines(text, at);
    text = '';
  }

  finish(): Parsed<Timeline> {
    if (!this.s && !this.failed) {
      const text = this.carry;
      this.carry = '';
      const at = this.start(text, true);
      if (!this.failed) this.lines(text, at);
    }
    if (this.failed) return this.failed;
    const s = this.s!;
    const tl = s.tl;
    const last = this.carry;
    this.carry = '';
    if (last !== '') {
      this.no++;
      // A whole end line that lost only its newline (a copy, an editor) still counts.
      if (last.startsWith('end ') && / reason=\S/.test(last))
        oneLine(s, last.replace(/\r$/, ''), this.no);
      // No newline after the last line: the recorder never finished writing it.
      else
        s.warn.add(
          'cut lines',
          `line ${this.no} is cut short (the recording ends mid-line): dropped`,
        );
    }
    if (s.pt) {
      s.warn.add('cut dumps', `line ${s.pt.frame.line}: page-table dump not closed by ptdump-end`);
      closePtdump(s, false);
    }
    if (!tl.end) {
      const lastT = s.count === 0 ? undefined : s.lastT;
      s.warn.add(
        'no end',
        `no end line: the recording was cut short; ${s.count} whole sample(s)${lastT === undefined ? '' : ` up to t=${lastT} s`} imported`,
      );
    }
    if (s.count === 0 && tl.ptdumps.length === 0 && tl.trace.length === 0) {
      return {
        ok: false,
        errors: [
          {
            line: 0,
            message: 'the recording holds no whole sample',
            expected: 'at least one "sample t=… wall=…" line',
          },
        ],
        warnings: s.warn.finish(),
      };
    }
    return { ok: true, value: tl, warnings: s.warn.finish() };
  }

  /** finish() of a reader made with columns: the Timeline and its samples as columns. */
  finishColumns(): Parsed<{ timeline: Timeline; columns: TimelineColumns }> {
    const r = this.finish();
    if (!r.ok) return r;
    const columns = (this.cols ?? new SampleColumns()).finish();
    r.value.keys = [...columns.keys];
    return { ok: true, value: { timeline: r.value, columns }, warnings: r.warnings };
  }

  /** Every whole line of text from `at`; the rest is kept for the next piece. */
  private lines(text: string, from: number): void {
    const s = this.s!;
    let at = from;
    let no = this.no;
    for (;;) {
      const nl = text.indexOf('\n', at);
      if (nl < 0) break;
      no++;
      const end = nl > at && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      oneLine(s, text.slice(at, end), no);
      at = nl + 1;
    }
    this.no = no;
    this.carry = at === 0 ? text : text.slice(at);
  }

  /** The binary check on the head and the first line; where the second line starts. */
  private start(text: string, final: boolean): number {
    const bad = checkTimelineInput(text.length > HEAD_CHARS ? text.slice(0, HEAD_CHARS) : text);
    if (bad) {
      this.failed = { ok: false, errors: [bad], warnings: [] };
      return 0;
    }
    const nl = text.indexOf('\n');
    const first = (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '');
    const magic = MAGIC.exec(first);
    if (!magic || (nl < 0 && !final)) {
      this.failed = fail(
        1,
        `not a fracture-record recording: the first line is "${first.slice(0, 60)}"`,
        '"# fracture-record 1" as the first line (a file written by fracture-record.sh)',
      );
      return 0;
    }
    const version = Number(magic[1]);
    const tl: Timeline = {
      source: 'frec',
      header: { format_version: String(version) },
      host: null,
      keys: [],
      samples: [],
      notes: [],
      ptdumps: [],
      trace: [],
      end: null,
    };
    const s: State = {
      cols: this.cols,
      colCache: [],
      count: 0,
      tl,
      seen: new Set(),
      warn: new Warnings(),
      pt: null,
      lastT: -Infinity,
      keyCache: [],
    };
    this.s = s;
    if (version > FREC_VERSION) {
      s.warn.add(
        'version',
        `recorded in format ${version}, newer than ${FREC_VERSION}: fields this version does not know are ignored`,
      );
    }
    return nl < 0 ? text.length : nl + 1;
  }
}

/** The canonical 4-level direct-map base (Documentation/arch/x86/x86_64/mm.rst), KASLR off. */
export const CANONICAL_PAGE_OFFSET = 0xffff888000000000n;
const RUN = /^0x([0-9a-fA-F]{1,16})-0x([0-9a-fA-F]{1,16})(.*)$/;

/**
 * A frame as ptdump text parsePtdump() reads: offset frames are moved to `base` (the canonical
 * base unless given), so the direct map is found at a known address; raw frames are returned as
 * recorded.
 */
export function ptdumpFrameText(frame: PtdumpFrame, base = CANONICAL_PAGE_OFFSET): string {
  if (frame.addresses === 'raw') return frame.text;
  return frame.text
    .split('\n')
    .map((l) => {
      const m = RUN.exec(l);
      if (!m) return l;
      const a = base + BigInt(`0x${m[1]}`);
      const b = base + BigInt(`0x${m[2]}`);
      return `${hex64(a)}-${hex64(b)}${m[3]}`;
    })
    .join('\n');
}
