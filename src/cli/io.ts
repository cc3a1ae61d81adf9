/** What every command reads and writes through (main() passes it in, so tests need no process). */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { looksLikeShareLink, type ResolvedScenario, resolveScenarioArg } from '../scenario/index';

export interface CliIo {
  readFile(path: string): string;
  /** Text as given; commands end their lines with "\n". */
  out(s: string): void;
  err(s: string): void;
}

/**
 * The scenario a command's argument names (src/scenario/source.ts), a link's repairs accepted
 * and printed as `sim <command>: repaired: …`, a file's or preset's warnings (nothing repaired:
 * an ignored field, the default profile mix) as `sim <command>: warning: …`; null after printing
 * why it cannot be used.
 */
export function scenarioArg(
  command: string,
  arg: string,
  io: CliIo,
): Extract<ResolvedScenario, { ok: true }> | null {
  const r = resolveScenarioArg(arg, io.readFile, { repair: true });
  if (!r.ok) {
    for (const e of r.errors) io.err(`sim ${command}: ${e}\n`);
    return null;
  }
  const label = looksLikeShareLink(arg) ? 'repaired' : 'warning';
  for (const w of r.warnings) io.err(`sim ${command}: ${label}: ${w}\n`);
  return r;
}

/**
 * 512 MiB: the timeline importer's limit (MAX_TIMELINE_CHARS, src/formats/import/timeline.ts);
 * every other CLI input is far smaller. Issue 16: no CLI input is read without a bound.
 */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

/**
 * A regular file's text, read through an open descriptor with at most `maxBytes` + 1 bytes read:
 * /dev/zero, a FIFO or a directory is refused by name before any read (a read of /dev/zero never
 * ends, a FIFO blocks until a writer comes), and a file that grows past the cap between fstat and
 * read is still refused.
 */
export function readTextFile(path: string, maxBytes = MAX_INPUT_BYTES): string {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const kind = st.isFIFO()
        ? 'a FIFO'
        : st.isCharacterDevice()
          ? 'a character device'
          : st.isBlockDevice()
            ? 'a block device'
            : st.isDirectory()
              ? 'a directory'
              : st.isSocket()
                ? 'a socket'
                : 'not a regular file';
      throw new Error(`${path} is ${kind}, not a regular file`);
    }
    if (st.size > maxBytes) throw new Error(tooBig(path, st.size, maxBytes));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total) || 1);
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new Error(tooBig(path, total, maxBytes));
      chunks.push(buf.subarray(0, n));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function tooBig(path: string, size: number, max: number): string {
  const mib = (b: number) => `${(b / (1024 * 1024)).toFixed(0)} MiB`;
  return `${path} is over the ${mib(max)} input limit (${size > max ? `${mib(size)} or more` : mib(size)})`;
}
