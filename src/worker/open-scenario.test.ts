/**
 * Opening a scenario file in the tools worker (open-scenario.ts): the CLI's per-field messages,
 * the repair of a file that fails, the size cap before parsing, and the import sheet's question
 * "is this a scenario at all?".
 */
import { describe, expect, it } from 'vitest';
import { loadPreset, resolveScenarioText, scenarioDigest } from '../scenario/index';
import { MAX_SCENARIO_BYTES, mayBeScenarioText, openScenario } from './open-scenario';

const preset = loadPreset('thread-2021');
if (!preset.ok) throw new Error('preset');
const downloaded = `${JSON.stringify(preset.scenario, null, 2)}\n`;
const bytes = (s: string) => new TextEncoder().encode(s).buffer as ArrayBuffer;

describe('openScenario', () => {
  it('a downloaded scenario opens as the same scenario, from text or transferred bytes', () => {
    for (const input of [downloaded, bytes(downloaded), bytes(`\ufeff${downloaded}`)]) {
      const r = openScenario(input, 'thread-2021.fracture.json');
      expect(r.kind).toBe('scenario');
      if (r.kind !== 'scenario') continue;
      expect(scenarioDigest(r.scenario)).toBe(scenarioDigest(preset.scenario));
    }
  });

  it('a file that fails gives sim run’s per-field messages and the repaired scenario', () => {
    const bad = JSON.stringify({
      ...preset.scenario,
      guests: [{ ...preset.scenario.guests[0], backing: 'bogus' }],
    });
    const cli = resolveScenarioText(bad, 'bad.json');
    if (cli.ok) throw new Error('the fixture must fail');
    const r = openScenario(bad, 'bad.json');
    expect(r.kind).toBe('repaired');
    if (r.kind !== 'repaired') return;
    expect(r.errors).toEqual(cli.errors);
    expect(r.errors[0]).toMatch(/^bad\.json: guests\[0\]\.backing: found "bogus"/);
    expect(r.repairs.length).toBeGreaterThan(0);
    expect(r.scenario.guests[0]?.backing).not.toBe('bogus');
  });

  it('refuses what cannot be salvaged, naming why', () => {
    expect(openScenario('{"version": 1, ', 'x.json')).toMatchObject({
      kind: 'refused',
      reason: 'not-json',
    });
    expect(openScenario('[1, 2]', 'x.json')).toMatchObject({ kind: 'refused', reason: 'invalid' });
  });

  it('refuses a file over the cap before decoding it', () => {
    const big = new ArrayBuffer(MAX_SCENARIO_BYTES + 1);
    const r = openScenario(big, 'big.json');
    expect(r).toMatchObject({ kind: 'refused', reason: 'too-large' });
    if (r.kind === 'refused') expect(r.errors[0]).toMatch(/too large: 128\.0 MiB/);
  });

  it('with detect, kernel text and other JSON are not scenarios (the sheet imports them)', () => {
    expect(openScenario('MemTotal: 1024 kB\n', 'meminfo', { detect: true }).kind).toBe(
      'not-scenario',
    );
    expect(openScenario('{"status":"success","data":{}}', 'prom', { detect: true }).kind).toBe(
      'not-scenario',
    );
    expect(openScenario(downloaded, 'a.json', { detect: true }).kind).toBe('scenario');
  });
});

describe('mayBeScenarioText', () => {
  it.each([
    [downloaded, true],
    ['  {"host": {"ram": "4G"}}', true],
    ['{"status":"success"}', false],
    ['MemTotal: 1024 kB', false],
  ])('%#', (head, want) => expect(mayBeScenarioText(head)).toBe(want));
});
