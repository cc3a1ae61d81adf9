/**
 * Shared pieces of the text importers: result types, the size and binary guards, and the prefixes
 * that dmesg, journalctl and syslog put in front of kernel messages.
 *
 * Importers are pure functions over pasted text. They never throw on bad input: they return
 * `{ ok: false, errors }`, each error naming the 1-based line (0 = the whole input), what was
 * wrong and what was expected. Every pass is linear in the text length, and each line is matched
 * with anchored regular expressions without nested quantifiers.
 */

export interface ImportError {
  /** 1-based line number; 0 when the problem is the input as a whole. */
  line: number;
  message: string;
  expected: string;
}

export type Parsed<T> =
  | { ok: true; value: T; warnings: string[] }
  | { ok: false; errors: ImportError[]; warnings: string[] };

/** 64 MiB of text: far more than any real dump (a fully split 16 TiB direct map is ~1 MiB of ptdump). */
export const MAX_INPUT_CHARS = 64 * 1024 * 1024;
/** Lines longer than this are never kernel output; they are skipped without matching. */
export const MAX_LINE_CHARS = 4096;

export function fail<T>(line: number, message: string, expected: string): Parsed<T> {
  return { ok: false, errors: [{ line, message, expected }], warnings: [] };
}

/**
 * The size limit and the binary checks; null when the text may be parsed. A NUL is refused wherever
 * it is (kernel text never holds one; a file that is text for 64 KiB and binary after it, such as a
 * log with a core dump appended, would otherwise be parsed as far as the regexes let it). The
 * control-character ratio is sampled on the first 64 KiB only.
 */
export function checkInput(text: unknown): ImportError | null {
  if (typeof text !== 'string') {
    return { line: 0, message: 'input is not text', expected: 'a string of kernel output' };
  }
  if (text.length > MAX_INPUT_CHARS) {
    const mib = (text.length / (1024 * 1024)).toFixed(1);
    return {
      line: 0,
      message: `input is ${mib} MiB, over the 64 MiB limit`,
      expected: 'one dump or log excerpt of at most 64 MiB',
    };
  }
  // indexOf is one native linear scan: cheap even at the 64 MiB limit.
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = lineOfOffset(text, nul);
    return binaryError(
      line,
      `input looks like binary data: a binary file (NUL byte at offset ${nul}, line ${line})`,
    );
  }
  const head = Math.min(text.length, 65536);
  let control = 0;
  for (let i = 0; i < head; i++) {
    const c = text.charCodeAt(i);
    if ((c < 9 || (c > 13 && c < 32) || c === 0xfffd) && c !== 27) control++;
  }
  if (head > 0 && control > head / 100) {
    const line = lineOfOffset(text, head);
    return binaryError(
      line,
      `input looks like binary data: a binary file (${control} control characters in the first ${head})`,
    );
  }
  return null;
}

function binaryError(line: number, message: string): ImportError {
  return {
    line,
    message,
    expected: 'plain text copied from the kernel (/proc, debugfs or dmesg)',
  };
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Lines without their terminators; CRLF and lone CR (old Mac) endings too. */
export function splitLines(text: string): string[] {
  const lines = text.split(text.includes('\n') ? '\n' : '\r');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  return lines;
}

const SYSLOG_LEVEL = /^<\d{1,3}>/;
/** printk time "[    0.009700] " and, with CONFIG_PRINTK_CALLER, "[    T1] " after it. */
const PRINTK_TIME = /^\[\s*\d{1,10}\.\d{1,9}\]\s?(?:\[\s*[TC]\d{1,10}\]\s?)?/;
/** journalctl -k / syslog: "... kernel: " within the first 100 characters. */
const KERNEL_TAG = 'kernel: ';

/** Remove the prefixes a kernel message gains on its way to the user's clipboard. */
export function stripKernelPrefix(line: string): string {
  // Fast path for the common case: a bare line of kernel output.
  const c = line.charCodeAt(0);
  if (c !== 0x5b && c !== 0x3c && !line.includes(KERNEL_TAG) && !line.includes(ESC)) return line;
  let s = line.includes(ESC) ? stripAnsi(line) : line;
  const tag = s.indexOf(KERNEL_TAG);
  if (tag >= 0 && tag < 100) s = s.slice(tag + KERNEL_TAG.length);
  s = s.replace(SYSLOG_LEVEL, '');
  s = s.replace(PRINTK_TIME, '');
  return s;
}

const ESC = '\u001b';

/** `dmesg --color` wraps the timestamp in SGR sequences: ESC [ digits/semicolons m. */
function stripAnsi(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] === ESC && line[i + 1] === '[') {
      let j = i + 2;
      while (j < line.length && /[0-9;]/.test(line[j]!)) j++;
      if (line[j] === 'm') {
        i = j + 1;
        continue;
      }
    }
    out += line[i];
    i++;
  }
  return out;
}

/** Lines with prefixes removed; overlong lines become '' so that no pattern runs on them. */
export function kernelLines(text: string): { lines: string[]; overlong: number } {
  const raw = splitLines(text);
  let overlong = 0;
  const lines = raw.map((l) => {
    if (l.length > MAX_LINE_CHARS) {
      overlong++;
      return '';
    }
    return stripKernelPrefix(l);
  });
  return { lines, overlong };
}

/** "0x1f" or "1f" → bigint; null when not hexadecimal or longer than 64 bits. */
export function parseHex(text: string): bigint | null {
  const t = text.startsWith('0x') || text.startsWith('0X') ? text.slice(2) : text;
  if (t.length === 0 || t.length > 16 || !/^[0-9a-fA-F]+$/.test(t)) return null;
  return BigInt(`0x${t}`);
}

export function hex64(v: bigint): string {
  return `0x${v.toString(16).padStart(16, '0')}`;
}
