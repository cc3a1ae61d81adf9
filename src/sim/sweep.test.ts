import { describe, expect, it } from 'vitest';
import { loadPreset } from '../scenario';
import { formatSweep, sweep } from './sweep';

describe('sweep: one workload under every design × backing', () => {
  const preset = loadPreset('thread-2021');
  if (!preset.ok) throw new Error('thread-2021 must load');
  const cells = sweep(preset.scenario);

  it('covers all 8 designs × 4 backings', () => {
    expect(cells).toHaveLength(32);
  });

  it('shows the 2021 thread: under rfc-2021 THP survives and hugetlbfs dies; the ban refuses hugetlbfs', () => {
    const cell = (k: string, b: string) => cells.find((c) => c.kernel === k && c.backing === b)!;
    expect(cell('rfc-2021', 'thp').metrics.outcomes.guests_killed).toBe(0);
    expect(cell('rfc-2021', 'thp').metrics.outcomes.thp_splits).toBeGreaterThan(0);
    expect(cell('rfc-2021', 'hugetlbfs-2m').metrics.outcomes.guests_killed).toBe(1);
    expect(cell('hugetlb-ban-2022', 'hugetlbfs-2m').metrics.outcomes.launches_refused).toBe(1);
    expect(cell('no-snp', 'thp').metrics.vmstat.direct_map_level2_splits).toBe(0);
  });

  it('prints one aligned row per cell', () => {
    const lines = formatSweep(cells).trimEnd().split('\n');
    expect(lines).toHaveLength(33);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });
});
