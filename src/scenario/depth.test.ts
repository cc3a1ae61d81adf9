import { describe, expect, it } from 'vitest';
import { deepestPath, depthError, MAX_SCENARIO_DEPTH } from './depth';
import { resolveScenarioText } from './index';
import { parseScenario } from './schema';

const nestedArray = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const nestedObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const scenarioWith = (field: string, json: string) =>
  `{"version":1,"host":{"ram":"4G"},${field}:${json}}`;

describe('rule: a value nested deeper than MAX_SCENARIO_DEPTH is refused before any recursive walk, with a named message (depth.ts)', () => {
  it.each([
    ['a 200,000-deep list as the title', '"title"', nestedArray(200_000), 'title[0][0][0]…'],
    ['a 200,000-deep object as the title', '"title"', nestedObject(200_000), 'title.a.a.a…'],
    ['a 100,000-deep list in an unknown field', '"extra"', nestedArray(100_000), 'extra[0][0][0]…'],
    ['one level too deep', '"title"', nestedArray(MAX_SCENARIO_DEPTH), 'title[0][0][0]…'],
  ])('%s', (_what, field, json, where) => {
    const r = resolveScenarioText(scenarioWith(field, json));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual([
      `scenario: ${where}: nested deeper than ${MAX_SCENARIO_DEPTH} levels; allowed: at most ${MAX_SCENARIO_DEPTH} levels of lists and objects (a scenario needs 4)`,
    ]);
  });

  it('a guest nested deep inside the events list names the top-level field', () => {
    const r = parseScenario({
      version: 1,
      host: { ram: '4G' },
      events: [{ op: 'launch', guest: JSON.parse(nestedArray(5000)) }],
    });
    expect(!r.ok && r.errors[0]).toMatchObject({ path: 'events', value: 'too deep' });
  });

  it('exactly at the bound is not refused for depth (the schema names the wrong type instead)', () => {
    const r = resolveScenarioText(scenarioWith('"title"', nestedArray(MAX_SCENARIO_DEPTH - 1)));
    expect(!r.ok && r.errors[0]).toMatch(/^scenario: title: found .*allowed: a string$/);
  });

  it('every shipped kind of scenario is far below the bound', () => {
    expect(
      deepestPath(
        { version: 1, host: { ranges: [['0x0', '0x1000']] }, workload: { profiles: [{}] } },
        4,
      ),
    ).toBe(null);
  });

  it('a cyclic object (not JSON, but parseScenario takes anything) ends at the bound', () => {
    const a: Record<string, unknown> = { version: 1 };
    a.self = a;
    expect(depthError(a)?.message).toMatch(/^self\.self\.self\.self…: nested deeper than 64/);
  });

  it('costs one visit per value: a million-element flat list passes quickly', () => {
    expect(deepestPath({ events: Array.from({ length: 1_000_000 }, () => ({ op: 'x' })) })).toBe(
      null,
    );
  });
});

describe('repairScenario: a value nested too deep is refused, not repaired', () => {
  it('answers with a named error for 200,000 levels instead of overflowing the stack', async () => {
    const { repairScenario } = await import('./repair');
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const r = repairScenario({ version: 1, title: deep });
    expect(r.scenario).toBeUndefined();
    expect(r.repairs).toEqual(['could not repair the scenario: it is nested too deep']);
    expect(r.errors.some((e) => e.message.includes('nested deeper than'))).toBe(true);
  });
});
