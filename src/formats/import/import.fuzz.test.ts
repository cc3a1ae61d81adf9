/**
 * Every importer under fuzzing: mutated real dumps (the fixtures) never make an importer throw; each
 * answers a value or errors that name a line of the input, what was wrong and what was expected.
 * Work is bounded by size, not by the clock: the mutated input stays under a fixed length (see
 * src/testing/mutate.ts), and the answer's size is linear in it. The seed is printed; rerun a
 * failure with FUZZ_SEED=<seed>.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutatedText, mutatedTextBound } from '../../testing/mutate';
import type { ImportError, Parsed } from './common';
import { parseE820 } from './e820';
import { detectFormat, importPair, importText } from './index';
import { parseMeminfo, parseVmstat } from './meminfo';
import { parsePtdump } from './ptdump';
import { parseQemuTrace } from './qemu-trace';
import { parseSnp } from './snp';

const dir = new URL('./fixtures/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(new URL(f, dir), 'utf8'));
const seed = Number(process.env.FUZZ_SEED) || Date.now() % 2 ** 31;
console.info(`import fuzz seed ${seed} (rerun with FUZZ_SEED=${seed})`);
const RUNS = Number(process.env.FUZZ_RUNS) || 300;
const BOUND = mutatedTextBound(fixtures) * 2 + 1; // importPair takes two
/** Characters of answer per character of input, plus a constant: pieces, entries, messages. */
const answerSize = (text: string) => 64 * text.length + 20_000;

const size = (value: unknown) =>
  JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)).length;

function expectNamedErrors(errors: readonly ImportError[], text: string): void {
  expect(errors.length).toBeGreaterThan(0);
  const lines = text.split(/\r\n|\n|\r/).length;
  for (const e of errors) {
    expect(Number.isInteger(e.line) && e.line >= 0 && e.line <= lines).toBe(true);
    expect(e.message.length).toBeGreaterThan(0);
    expect(e.expected.length).toBeGreaterThan(0);
  }
}

function expectAnswer(r: Parsed<unknown>, text: string): void {
  if (!r.ok) expectNamedErrors(r.errors, text);
  for (const w of r.warnings) expect(typeof w).toBe('string');
  expect(size(r)).toBeLessThan(answerSize(text));
}

const importers: [string, (text: string) => Parsed<unknown>][] = [
  ['parsePtdump', (t) => parsePtdump(t)],
  [
    'parsePtdump with page_offset_base',
    (t) => parsePtdump(t, { pageOffsetBase: 0xffff888000000000n }),
  ],
  ['parseMeminfo', parseMeminfo],
  ['parseVmstat', parseVmstat],
  ['parseE820', parseE820],
  ['parseSnp', (t) => parseSnp(t)],
  ['parseQemuTrace', parseQemuTrace],
];

describe('importers under fuzzing never throw and answer a value or named errors', () => {
  it.each(importers)('%s', (_name, parse) => {
    fc.assert(
      fc.property(mutatedText(fixtures), (text) => {
        expect(text.length).toBeLessThanOrEqual(BOUND);
        expectAnswer(parse(text), text);
      }),
      { numRuns: RUNS, seed },
    );
  });

  it('importText and detectFormat', () => {
    fc.assert(
      fc.property(mutatedText(fixtures), (text) => {
        expect(text.length).toBeLessThanOrEqual(BOUND);
        const d = detectFormat(text);
        expect(d.reason.length).toBeGreaterThan(0);
        const r = importText(text);
        if (!r.ok) expectNamedErrors(r.errors, text);
        expect(size(r)).toBeLessThan(answerSize(text));
      }),
      { numRuns: RUNS, seed },
    );
  });

  it('importPair', () => {
    fc.assert(
      fc.property(mutatedText(fixtures), mutatedText(fixtures), (before, after) => {
        const p = importPair(before, after);
        if (!p.ok) {
          expect(p.errors.length).toBeGreaterThan(0);
          for (const e of p.errors) {
            expect(['before', 'after']).toContain(e.which);
            expect(e.message.length).toBeGreaterThan(0);
          }
        }
        expect(size(p)).toBeLessThan(answerSize(before + after));
      }),
      { numRuns: RUNS, seed },
    );
  });
});
