/**
 * Reading what the user pasted or dropped: files are size-checked before they are read (a
 * 100 MB log never reaches the main thread's memory twice), then parsed in the tools worker.
 * A large file is never decoded on the main thread (issue 16: a 10⁷-line file stalled it 1–1.7 s):
 * its bytes are read and transferred to the worker, and the sheet shows only its beginning.
 */
import { transfer } from 'comlink';
import type { ImportResult, PairResult } from '../../src/formats/index';
import { getTools, MAX_INPUT_CHARS, tooBig } from '../tools-client';

export interface Input {
  /** The text, or for a file read as bytes its beginning (what the text box shows). */
  text: string;
  /** File name, or null for pasted text. */
  name: string | null;
  /** A large file: parsed from its bytes, read again for each parse (they are transferred). */
  file?: File;
}

/** Files up to this size are read as text here (the reconcile view works on the whole text). */
export const TEXT_READ_MAX_BYTES = 4 * 1024 * 1024;
/** What the text box shows of such a file (the box itself shows at most 200,000 characters). */
const PREVIEW_BYTES = 100_000;

/** A file's text, or an error result when it is over the limit or unreadable. */
export async function readFile(file: File): Promise<Input | ImportResult> {
  // UTF-8 is at least one byte per character: over the limit in bytes×1 means over in chars too
  // only approximately, so check bytes against the character limit (conservative for ASCII).
  const big = file.size > MAX_INPUT_CHARS ? tooBig(file.size) : null;
  if (big) return big;
  try {
    if (file.size > TEXT_READ_MAX_BYTES) {
      const head = await file.slice(0, PREVIEW_BYTES).text();
      return {
        text: `${head}\n… (${file.size.toLocaleString('en-US')} bytes)`,
        name: file.name,
        file,
      };
    }
    return { text: await file.text(), name: file.name };
  } catch (e) {
    return {
      ok: false,
      detection: { format: 'unknown', reason: 'not read', also: [] },
      errors: [
        {
          line: 0,
          message: `cannot read ${file.name}: ${e instanceof Error ? e.message : String(e)}`,
          expected: 'a readable text file',
        },
      ],
      warnings: [],
    };
  }
}

export function isInput(x: Input | ImportResult): x is Input {
  return 'text' in x;
}

export async function parseOne(text: string, file?: File): Promise<ImportResult> {
  if (file !== undefined) {
    const big = tooBig(file.size);
    if (big) return big;
    const bytes = await file.arrayBuffer();
    return getTools().importBytes(transfer(bytes, [bytes]));
  }
  return tooBig(text.length) ?? getTools().importText(text);
}

/** A pair is compared on the whole texts (a large file is read in full here). */
export async function parsePair(before: Input, after: Input): Promise<PairResult> {
  const big =
    tooBig(before.file?.size ?? before.text.length) ??
    tooBig(after.file?.size ?? after.text.length);
  if (big && !big.ok) {
    return { ok: false, errors: big.errors.map((e) => ({ ...e, which: 'before' as const })) };
  }
  const [a, b] = await Promise.all([before, after].map((x) => x.file?.text() ?? x.text));
  return getTools().importPair(a ?? '', b ?? '');
}

export const errorLine = (e: { line: number; message: string; expected: string }) =>
  `${e.line > 0 ? `line ${e.line}: ` : ''}${e.message} — expected ${e.expected}`;
