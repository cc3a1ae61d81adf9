/**
 * The direct map by cause as the UI gets it (by-cause.ts): each column sums to /proc/meminfo's
 * line at every step, DirectMap4k and the splits are `sim run --by-cause`'s (sim/metrics.ts
 * byCause), and the map's regionCause names the cause of every split region.
 */
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../machine/apply';
import { PMD_TABLE } from '../machine/direct-map';
import { Machine } from '../machine/machine';
import { compileScenario, loadPreset } from '../scenario/index';
import { byCause, metricsOf } from '../sim/metrics';
import { causeInfos, causeShares, regionCauses } from './by-cause';

function machineAt(preset: string, step: number) {
  const p = loadPreset(preset);
  if (!p.ok) throw new Error(p.errors.map((e) => e.message).join('; '));
  const { spec, events } = compileScenario(p.scenario);
  const m = new Machine(spec);
  for (let i = 0; i < Math.min(step, events.length); i++) applyEvent(m, events[i]!);
  return m;
}

describe('causeShares: the rows sum to /proc/meminfo and match sim run --by-cause', () => {
  it.each([
    ['bpf-sockex1-v5.17', 5],
    ['bpf-sockex1-v6.1', 5],
    ['modules-6.15', 1_000],
    ['snp-host-causes', 1_000],
    ['thread-2021', 4],
    ['secretmem-6.5', 1_000],
  ])('%s at step %i', (preset, step) => {
    const m = machineAt(preset, step);
    const rows = causeShares(m);
    const meminfo = metricsOf(m).meminfo;
    const sum = (k: 'directMap4kKb' | 'directMap2MKb' | 'directMap1GKb') =>
      rows.reduce((s, r) => s + r[k], 0);
    expect(sum('directMap4kKb')).toBe(meminfo.DirectMap4k);
    expect(sum('directMap2MKb')).toBe(meminfo.DirectMap2M);
    expect(sum('directMap1GKb')).toBe(meminfo.DirectMap1G);
    for (const r of rows) expect(r.directMap2MKb).toBeGreaterThanOrEqual(0);
    const cli = byCause(m);
    expect(rows.map((r) => [r.cause, r.directMap4kKb, r.level2Splits, r.level3Splits])).toEqual(
      cli.map((r) => [r.cause, r.directMap4kKb, r.level2Splits, r.level3Splits]),
    );
  });
});

it('regionCause: a region split to 4K names its cause; the slots are causeInfos order', () => {
  const m = machineAt('bpf-sockex1-v5.17', 5);
  const causes = causeInfos(m);
  expect(causes[0]).toEqual({ id: 'boot', label: 'boot layout', status: 'layout' });
  expect(causes.find((c) => c.id === 'gfp-unmapped')?.status).toBe('proposal');
  const rc = regionCauses(m, m.frames.regions);
  const bpf = causes.findIndex((c) => c.id === 'bpf') + 1;
  // Split to 4K by BPF (its 2M regions in the 1 GiB blocks it split are BPF's too, lighter).
  const counted = rc.filter((k, r) => k === bpf && m.dm.pmd[r] === PMD_TABLE).length;
  const in2M = rc.filter((k, r) => k === bpf && m.dm.pmd[r] !== PMD_TABLE).length;
  expect(in2M * 2048).toBe(causeShares(m).find((r) => r.cause === 'bpf')?.directMap2MKb);
  // Every 4K region BPF split is drawn as BPF's: its DirectMap4k is 2 MiB per region.
  const row = causeShares(m).find((r) => r.cause === 'bpf');
  // 2048 programs on 5.17 split hundreds of regions (the published 1.5 GiB of DirectMap4k).
  expect(row!.directMap4kKb).toBeGreaterThan(1_000_000);
  expect(counted * 2048).toBe(row!.directMap4kKb);
});
