import { describe, expect, it } from 'vitest';
import { G_BACKED } from '../machine/frame-bits';
import type { Machine } from '../machine/machine';
import { compilePacked, loadPreset, parseScenario } from '../scenario/index';
import { Timeline } from '../sim/timeline';
import { buildSnapshot, cellCode, computeCellCode, userLevelOf } from './snapshot';

/** The VMM level of each host region, page by page: the plainest reading of the definition. */
function userLevelsByPage(m: Machine): Uint8Array {
  const out = new Uint8Array(m.frames.regions);
  for (const g of m.guests)
    for (let p = 0; p < g.pages; p++) {
      const level = userLevelOf(g.userMap[Math.floor(p / 512)]!);
      if (!(g.state.get(p) & G_BACKED)) continue;
      const r = Math.floor(g.backingMap.get(p) / 512);
      if (r >= 0 && r < out.length && out[r]! < level) out[r] = level;
    }
  return out;
}

function machinesOf(scenario: unknown, steps: number[]): Machine[] {
  const parsed = typeof scenario === 'string' ? loadPreset(scenario) : parseScenario(scenario);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const { spec, events } = compilePacked(parsed.scenario);
  const t = new Timeline(spec, events);
  return steps.map((s) => t.at(Math.min(s, t.steps)).clone());
}

describe('buildSnapshot: the VMM user-mapping level of each host region', () => {
  const cases: [string, unknown][] = [
    ['thread-2021', 'thread-2021'],
    ['thread-2021 on hugetlbfs', 'thread-2021-hugetlbfs'],
    ['thread-2021 sequestered', 'thread-2021-sequester'],
  ];
  // A small churn with the random allocator: scattered backing, dense regions, split THPs.
  const churn = {
    version: 1,
    host: { ram: '4G', gbpages: true, allocator: 'random', seed: 7 },
    kernel: 'rfc-2021',
    guests: [
      { name: 'a', memory: '1G', vcpus: 2, backing: 'thp', snp: true },
      { name: 'b', memory: '512M', vcpus: 2, backing: '4k', snp: true },
    ],
    workload: {
      seed: 5,
      steps: 3000,
      profiles: [
        { profile: 'lazy-accept', weight: 1 },
        { profile: 'virtio-io', weight: 2 },
      ],
    },
  };
  cases.push(['random-allocator churn', churn]);
  cases.push([
    'buddy churn under upstream-2024',
    { ...churn, kernel: 'upstream-2024', host: { ...churn.host, allocator: 'buddy' } },
  ]);

  for (const [name, scenario] of cases)
    it(`walking runs gives what a page-by-page walk gives (${name})`, () => {
      for (const m of machinesOf(scenario, [0, 2, 4, 9, 500, 1500, 3000])) {
        const snap = buildSnapshot(m, m.step, new Float64Array(m.frames.regions).fill(Infinity));
        expect(Array.from(snap.regionUserLevel)).toEqual(Array.from(userLevelsByPage(m)));
      }
    });
});

describe('cellCode', () => {
  it('the table answers as the definition for every frame word (all owners, uses and flags)', () => {
    let bad = 0;
    // Frame words stay below 2^22 (owner < 1024 at bit 12).
    for (let w = 0; w < 2 ** 22; w += 1)
      if (
        cellCode(w, false) !== computeCellCode(w, false) ||
        cellCode(w, true) !== computeCellCode(w, true)
      )
        bad++;
    expect(bad).toBe(0);
  });
});
