import { describe, expect, it } from 'vitest';
import { compilePacked } from './compile';
import { scenarioDigest } from './digest';
import golden from './fixtures/golden-urls.json';
import { decodeShareFragment } from './url';

describe('golden share links', () => {
  it.each(golden.scenarioLinks.map((l) => [l.name, l] as const))(
    'load "%s" to the same digest as the day they were made',
    (_, link) => {
      const d = decodeShareFragment(link.fragment);
      expect(d.errors).toEqual([]);
      expect(d.scenario).toBeDefined();
      if (d.scenario) {
        expect(scenarioDigest(d.scenario)).toBe(link.digest);
        // The worker hashes the events it already compiled: the same digest.
        expect(scenarioDigest(d.scenario, compilePacked(d.scenario).events)).toBe(link.digest);
      }
      expect(d.view).toEqual(link.view);
    },
  );

  it.each(golden.presetLinks.map((l) => [l.name, l] as const))(
    'load the preset link "%s"',
    (_, link) => {
      const d = decodeShareFragment(link.fragment);
      expect(d.errors).toEqual([]);
      expect(d.repairs).toEqual([]);
      expect(d.preset).toBe(link.preset);
      expect(d.view).toEqual(link.view);
    },
  );
});
