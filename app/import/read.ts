/**
 * Reading what the user pasted or dropped: files are size-checked before they are read (a
 * 100 MB log never reaches the main thread's memory twice), then parsed in the tools worker.
 */
import type { ImportResult, PairResult } from '../../src/formats/index';
import { getTools, MAX_INPUT_CHARS, tooBig } from '../tools-client';

export interface Input {
  text: string;
  /** File name, or null for pasted text. */
  name: string | null;
}

/** A file's text, or an error result when it is over the limit or unreadable. */
export async function readFile(file: File): Promise<Input | ImportResult> {
  // UTF-8 is at least one byte per character: over the limit in bytes×1 means over in chars too
  // only approximately, so check bytes against the character limit (conservative for ASCII).
  const big = file.size > MAX_INPUT_CHARS ? tooBig(file.size) : null;
  if (big) return big;
  try {
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

export async function parseOne(text: string): Promise<ImportResult> {
  return tooBig(text.length) ?? getTools().importText(text);
}

export async function parsePair(before: string, after: string): Promise<PairResult> {
  const big = tooBig(before.length) ?? tooBig(after.length);
  if (big && !big.ok) {
    return { ok: false, errors: big.errors.map((e) => ({ ...e, which: 'before' as const })) };
  }
  return getTools().importPair(before, after);
}

export const errorLine = (e: { line: number; message: string; expected: string }) =>
  `${e.line > 0 ? `line ${e.line}: ` : ''}${e.message} — expected ${e.expected}`;
