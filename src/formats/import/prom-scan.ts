/**
 * The byte scanner of prometheus.ts: a query_range answer's UTF-8 bytes read without decoding
 * (JSON's structure is all ASCII; strings are decoded one by one), the "values" arrays without
 * allocating per point. The bytes may still be arriving (`final` false, `n` what has come): a
 * read that reaches the end then fails, and the caller tries again with more.
 */
import { decodeUtf8 } from './utf8';

export class PrometheusError extends Error {}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/** The answer's UTF-8 bytes, read without decoding: JSON's structure is all ASCII. */
export class Scanner {
  pos = 0;
  /** Bytes of `s` read so far (all of it, unless the answer is still arriving). */
  n: number;
  /** False while more bytes may come: a value that reaches `n` is then incomplete. */
  final = true;
  /** Offset of s[0] in the answer (a stream drops what it has read). */
  base = 0;
  constructor(public s: Uint8Array) {
    this.n = s.length;
  }

  /** Fails when the data read so far ends at pos and more is to come. */
  private needMore(): void {
    if (!this.final && this.pos >= this.n) this.fail('unexpected end');
  }

  fail(what: string): never {
    throw new PrometheusError(`not a Prometheus answer: ${what} at byte ${this.base + this.pos}`);
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
    this.needMore();
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
    this.needMore();
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
export class Points {
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
export function readValues(sc: Scanner, out: Points): void {
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
