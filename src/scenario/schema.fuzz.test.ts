/**
 * The scenario schema under fuzzing: the shipped scenarios (public/scenarios/*.json), mutated at
 * the value level (a field set to another type or an edge value, deleted, added, wrapped, turned
 * into a string) and at the text level, never make parseScenario(), resolveScenarioText() or
 * repairScenario() throw or fall into their internal-error catch; each answers a scenario or
 * errors that name a path, the value found and what is allowed. Work is bounded by size, not by
 * the clock (src/testing/mutate.ts caps every mutation). The seed is printed; rerun a failure with
 * FUZZ_SEED=<seed>.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutatedJson, mutatedText, mutatedTextBound } from '../testing/mutate';
import { resolveScenarioText } from './index';
import { repairScenario } from './repair';
import { parseScenario } from './schema';
import type { ScenarioError } from './types';

const dir = new URL('../../public/scenarios/', import.meta.url);
const texts = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => readFileSync(new URL(f, dir), 'utf8'));
const docs = texts.map((t) => JSON.parse(t) as unknown);
const seed = Number(process.env.FUZZ_SEED) || Date.now() % 2 ** 31;
console.info(`scenario fuzz seed ${seed} (rerun with FUZZ_SEED=${seed})`);
const RUNS = Number(process.env.FUZZ_RUNS) || 600;
/** A JSON mutation adds at most a 10,000-character string or one copy of the document per step. */
const JSON_BOUND = Math.max(...texts.map((t) => t.length)) * 2 ** 4 * 2 + 4 * 20_000;

function expectNamed(errors: readonly ScenarioError[]): void {
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) {
    expect(typeof e.path).toBe('string');
    expect(e.allowed.length).toBeGreaterThan(0);
    expect(e.message.length).toBeGreaterThan(0);
    expect(e.message).not.toMatch(/internal error/);
  }
}

describe('the scenario schema under fuzzing never throws and answers a scenario or named errors', () => {
  it('parseScenario on mutated scenario values', () => {
    fc.assert(
      fc.property(mutatedJson(docs), (doc) => {
        expect(JSON.stringify(doc)?.length ?? 0).toBeLessThanOrEqual(JSON_BOUND);
        const r = parseScenario(doc);
        if (r.ok) {
          // What the schema accepts, it accepts again unchanged (the canonical form is a fixpoint).
          const again = parseScenario(JSON.parse(JSON.stringify(r.scenario)));
          expect(again.ok && again.scenario).toEqual(r.scenario);
        } else expectNamed(r.errors);
      }),
      { numRuns: RUNS, seed },
    );
  });

  it('resolveScenarioText on mutated scenario files', () => {
    const bound = mutatedTextBound(texts);
    fc.assert(
      fc.property(mutatedText(texts), (text) => {
        expect(text.length).toBeLessThanOrEqual(bound);
        const r = resolveScenarioText(text, 'fuzz.json');
        if (!r.ok) {
          expect(r.errors.length).toBeGreaterThan(0);
          for (const e of r.errors) expect(e).toMatch(/^fuzz\.json: ./);
          for (const e of r.errors) expect(e).not.toMatch(/internal error/);
        }
      }),
      { numRuns: RUNS, seed },
    );
  });

  it('repairScenario on mutated scenario values', () => {
    fc.assert(
      fc.property(mutatedJson(docs), (doc) => {
        const r = repairScenario(doc);
        expect(Array.isArray(r.repairs) && Array.isArray(r.errors)).toBe(true);
        for (const line of r.repairs) expect(line).not.toMatch(/internal error/);
        if (r.scenario) expect(parseScenario(r.scenario).ok).toBe(true);
      }),
      { numRuns: Math.ceil(RUNS / 2), seed },
    );
  });
});
