import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fleetHosts, rankFleet } from '../formats/import/fleet';
import type { Timeline } from '../formats/import/timeline';
import { callerOf, TimelineStore, timelineBuffers, traceGroups } from './timeline-host';
import { ToolsHost } from './tools-host';

const fixture = (name: string) =>
  readFileSync(new URL(`../formats/import/fixtures/${name}`, import.meta.url), 'utf8');

const ev = (fn: string, stack: string[], pages = 1, t = 0) => ({
  t,
  line: 1,
  fn,
  pid: 1,
  comm: 'x',
  pages,
  dmOffset: null,
  stack,
  fields: {},
});

const host = (name: string, k4: number[], k2m: number[]): Timeline => ({
  source: 'prometheus',
  header: {},
  host: name,
  keys: ['DirectMap4k', 'DirectMap2M'],
  samples: k4.map((v, i) => ({
    t: i * 300,
    wall: 1e9 + i * 300,
    values: { DirectMap4k: v, DirectMap2M: k2m[i]! },
  })),
  notes: [],
  ptdumps: [],
  trace: [],
  end: null,
});

describe('who split what: recorded calls grouped by caller', () => {
  it('names the first frame that is not the traced function, skipping offsets and "?"', () => {
    expect(callerOf(ev('set_memory_4k', ['set_memory_4k+0', 'snp_rmptable_psmash+90']))).toBe(
      'snp_rmptable_psmash',
    );
    expect(callerOf(ev('set_memory_rox', ['set_memory_rox+0', '?']))).toBe('(no stack)');
  });

  it('sums calls and pages per caller, most pages first, and maps each call to its group', () => {
    const trace = [
      ev('set_memory_ro', ['set_memory_ro+0', 'module_enable_rodata_ro+60'], 1, 0.5),
      ev('set_memory_4k', ['set_memory_4k+0', 'snp_rmptable_psmash+90'], 4, 1),
      ev('set_memory_ro', ['set_memory_ro+0', 'module_enable_rodata_ro+60'], 2, 2),
    ];
    const { groups, group, t } = traceGroups(trace);
    expect(groups.map((g) => [g.caller, g.calls, g.pages])).toEqual([
      ['snp_rmptable_psmash', 1, 4],
      ['module_enable_rodata_ro', 2, 3],
    ]);
    expect([...group]).toEqual([1, 0, 1]);
    expect([...t]).toEqual([0.5, 1, 2]);
    expect(groups[1]).toMatchObject({ first: 0.5, last: 2, fns: ['set_memory_ro'] });
  });
});

describe('the fleet view ranks hosts by DirectMap4k share and growth', () => {
  const fleet = [
    host('steady', [2048, 2048], [2048, 2048]),
    host('growing', [0, 1024], [4096, 3072]),
    host('high', [3072, 3072], [1024, 1024]),
  ];
  it('computes share at the last sample and its growth over the window', () => {
    const h = fleetHosts(fleet);
    expect(h.map((x) => [x.host, x.share, x.growth, x.k4GrowthKb])).toEqual([
      ['steady', 0.5, 0, 0],
      ['growing', 0.25, 0.25, 1024],
      ['high', 0.75, 0, 0],
    ]);
    expect(rankFleet(h, 'share').map((x) => x.host)).toEqual(['high', 'steady', 'growing']);
    expect(rankFleet(h, 'growth').map((x) => x.host)).toEqual(['growing', 'high', 'steady']);
  });
});

describe('the tools worker opens timelines', () => {
  it('a recording with ptdump and trace gives tracks, map frames and caller groups', async () => {
    const r = await new TimelineStore().open(fixture('frec/x86-ptdump-trace.frec'));
    expect(r.ok && r.kind).toBe('one');
    if (!r.ok || r.kind !== 'one') return;
    const v = r.view;
    expect(v.columns.keys).toContain('DirectMap4k');
    expect(v.columns.values[v.columns.keys.indexOf('DirectMap4k')]![0]).toBe(30720);
    expect(v.frames.length).toBeGreaterThan(0);
    expect(v.frames[0]!.error).toBeNull();
    // The first 2 MiB region of the dump is a pte run: 4K (code 3); the next one a 2M pmd.
    expect([...v.frames[0]!.levels.slice(0, 2)]).toEqual([3, 2]);
    expect(v.trace.groups.map((g) => g.caller)).toEqual([
      'bpf_prog_pack_alloc',
      'secretmem_fault',
      'snp_rmptable_psmash',
    ]);
    // The calls as a scenario: the one inside the recorded RAM; the other two left out.
    expect(v.traceScenario?.scenario.events).toEqual([
      {
        op: 'recorded-call',
        call: 'set_memory_4k',
        pfn: '0x123400',
        count: 1,
        caller: 'snp_rmptable_psmash',
      },
    ]);
    expect(v.traceScenario?.skipped).toHaveLength(2);
    expect(new Set(timelineBuffers(r)).size).toBe(timelineBuffers(r).length);
  });

  it('a Prometheus error answer and a non-recording come back as messages', async () => {
    const tools = new ToolsHost();
    const bad = await tools.openTimeline(fixture('prometheus/error-bad-data.json'));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors[0]).toMatch(/Prometheus answered with an error \(bad_data\)/);
    const text = await tools.openTimeline({ size: 5, text: async () => 'hello' });
    expect(!text.ok && text.errors[0]).toMatch(/not a fracture-record recording/);
  });

  it('a many-instance answer opens as a fleet and each host as its own timeline', async () => {
    const one = JSON.parse(fixture('prometheus/query-range-this-host.json'));
    const other = structuredClone(one);
    for (const s of other.data.result) s.metric.instance = 'other:9100';
    one.data.result.push(...other.data.result);
    const tools = new ToolsHost();
    const r = await tools.openTimeline(JSON.stringify(one));
    expect(r.ok && r.kind).toBe('fleet');
    if (!r.ok || r.kind !== 'fleet') return;
    expect(r.fleet.hosts.map((h) => h.host)).toEqual(['127.0.0.1:19100', 'other:9100']);
    expect(r.fleet.share.length).toBe(2 * r.fleet.points);
    expect(tools.timelineHost(1)?.host).toBe('other:9100');
    expect(tools.timelineHost(5)).toBeNull();
  });
});

describe('the fleet view from the series themselves', () => {
  const series = (name: string, instance: string, values: [number, string][]) => ({
    metric: { __name__: name, instance, job: 'node' },
    values,
  });
  const MiB = 1048576;
  it('reads misaligned series through their union of times, and a host without DirectMap4k last', () => {
    const answer = JSON.stringify({
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          // a: 4k sampled at 0 and 60, 2M at 0, 30 and 60 (one scrape missed).
          series('node_memory_DirectMap4k_bytes', 'a:9100', [
            [1000, String(2 * MiB)],
            [1060, String(6 * MiB)],
          ]),
          series('node_memory_DirectMap2M_bytes', 'a:9100', [
            [1000, String(6 * MiB)],
            [1030, String(4 * MiB)],
            [1060, String(2 * MiB)],
          ]),
          series('node_memory_DirectMap2M_bytes', 'b:9100', [[1000, String(8 * MiB)]]),
          series('node_vmstat_direct_map_level2_splits', 'b:9100', [[1000, '9']]),
        ],
      },
    });
    const r = new TimelineStore().openText(answer);
    expect(r.ok && r.kind).toBe('fleet');
    if (!r.ok || r.kind !== 'fleet') return;
    const [a, b] = r.fleet.hosts;
    expect(a).toMatchObject({
      host: 'a:9100',
      samples: 3,
      share: 0.75,
      shareFirst: 0.25,
      k4Kb: 6144,
      k4GrowthKb: 4096,
    });
    expect(a!.growth).toBeCloseTo(0.5);
    expect(b).toMatchObject({ host: 'b:9100', splits: 0 });
    expect(Number.isNaN(b!.share)).toBe(true);
    expect(rankFleet(r.fleet.hosts, 'share').map((h) => h.host)).toEqual(['a:9100', 'b:9100']);
    // The grid: a's first bucket 0.25, last 0.75; b has no share anywhere.
    const P = r.fleet.points;
    expect(r.fleet.share[0]).toBeCloseTo(0.25);
    expect(r.fleet.share[P - 1]).toBeCloseTo(0.75);
    expect(r.fleet.share.slice(P, 2 * P).every(Number.isNaN)).toBe(true);
  });
});
