/**
 * The documentation keeps up with the engine (CONTRIBUTING.md: "Name every rule and its
 * source"): docs/model.md has a row for every rule id in src/machine/rules.ts, docs/designs.md a
 * section for every kernel design, and docs/scenario.md names every event op, backing, allocator
 * and workload profile the schema accepts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BACKINGS, KERNEL_DESIGNS } from './machine/events';
import { RULES } from './machine/rules';
import { ALLOCATORS, EVENT_OPS, PROFILE_NAMES } from './scenario/types';

const doc = (name: string) => readFileSync(new URL(`../docs/${name}`, import.meta.url), 'utf8');

describe('docs cover the engine', () => {
  const model = doc('model.md');
  it.each(RULES.map((r) => r.id))('docs/model.md has a table row for rule %s', (id) => {
    expect(model).toContain(`| \`${id}\``);
  });

  const designs = doc('designs.md');
  it.each(KERNEL_DESIGNS)('docs/designs.md has a section and a table row for %s', (id) => {
    expect(designs).toContain(`\n## ${id}\n`);
    expect(designs).toContain(`| \`${id}\``);
  });

  const scenario = doc('scenario.md');
  it.each([...EVENT_OPS, ...BACKINGS, ...ALLOCATORS, ...PROFILE_NAMES])(
    'docs/scenario.md names %s',
    (name) => {
      expect(scenario).toContain(`\`${name}\``);
    },
  );
});
