/**
 * recorded.call: fracture-record.sh --trace lines replayed as recorded-call events through the
 * CPA rules of arch/x86/mm/pat/set_memory.c (cpa.ts): a recording → traceScenario() → the
 * engine, with the split counts each row's calls make and the provenance of the splits (cause
 * "recorded", the call as recorded, the caller). The version gates are the CPA rules' own:
 * cpa_collapse_large_pages() (v6.15, 41d88484c71c) heals after set_memory_rox(), never where
 * set_memory_4k() marked _PAGE_KERNEL_4K.
 */
import { describe, expect, it } from 'vitest';
import { parseFrec } from '../../formats/import/frec';
import { compileScenario, parseScenario } from '../../scenario/index';
import { byCause } from '../../sim/metrics';
import { EngineHost } from '../../worker/host';
import { traceScenario } from '../../worker/trace-scenario';
import { applyEvent } from '../apply';
import { Machine } from '../machine';

/** A 17 GiB host (e820 as /sys/firmware/memmap prints it, ends inclusive). */
function recording(release: string, calls: string[]): string {
  return `${[
    '# fracture-record 1',
    `kernel_release=${release}`,
    'machine=x86_64',
    'addresses=offset',
    'meminfo.MemTotal=16000000',
    'e820.0=0x0-0x9fbff System RAM',
    'e820.1=0x9fc00-0xfffff Reserved',
    'e820.2=0x100000-0xbfffffff System RAM',
    'e820.3=0x100000000-0x43fffffff System RAM',
    'sample t=0 wall=1796286608 DirectMap4k=1 direct_map_level2_splits=0',
    ...calls.map((c, i) => `trace t=${i + 1} pid=1 comm=x ${c}`),
    'end t=9 wall=1796286617 samples=1 reason=complete',
  ].join('\n')}\n`;
}
const ro = (off: string, pages = 1) =>
  `fn=set_memory_ro pages=${pages} dm_offset=${off} stack=set_memory_ro+0;bpf_prog_pack_alloc+465;bpf_int_jit_compile+842`;
const rox = (off: string, pages: number) =>
  `fn=set_memory_rox pages=${pages} dm_offset=${off} stack=set_memory_rox+0;execmem_cache_populate+80`;
const k4 = (off: string) =>
  `fn=set_memory_4k pages=1 dm_offset=${off} stack=set_memory_4k+0;adjust_direct_map+186;sev_gmem_prepare+283[kvm_amd]`;
const inval = (off: string) =>
  `fn=set_direct_map_invalid_noflush pages=1 dm_offset=${off} stack=set_direct_map_invalid_noflush+0;secretmem_fault+268`;

function scenarioOf(release: string, calls: string[]) {
  const f = parseFrec(recording(release, calls));
  if (!f.ok) throw new Error(JSON.stringify(f.errors));
  const t = traceScenario(f.value);
  if ('error' in t) throw new Error(t.error);
  const p = parseScenario(t.scenario);
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p.scenario;
}

function replay(release: string, calls: string[]) {
  const { spec, events } = compileScenario(scenarioOf(release, calls));
  const m = new Machine(spec);
  for (const e of events) applyEvent(m, e);
  return byCause(m).find((r) => r.cause === 'recorded');
}

describe('recorded.call: recorded calls replay through the CPA rules (set_memory.c)', () => {
  it.each([
    // [cpa.preserve] one page RO in a free 1 GiB leaf: 1G → 2M → 4K.
    ['one set_memory_ro page', '6.12.5', [ro('0x300001000')], 1, 1, 0],
    // A second page of the same region: already 4K, nothing more splits.
    [
      'two set_memory_ro pages, one region',
      '6.12.5',
      [ro('0x300001000'), ro('0x300005000')],
      1,
      1,
      0,
    ],
    // A whole aligned 2 MiB inside the split 1 GiB changes in place (try_preserve_large_page).
    [
      'then a whole 2M set_memory_ro',
      '6.12.5',
      [ro('0x300001000'), ro('0x300200000', 512)],
      1,
      1,
      0,
    ],
    // [cpa.kernel_4k] set_memory_4k always splits; invalid_noflush unmaps one page (secretmem).
    [
      'set_memory_ro, set_memory_4k, set_direct_map_invalid_noflush in three 1 GiB',
      '6.12.5',
      [ro('0x300001000'), k4('0x380000000'), inval('0x3c0200000')],
      3,
      3,
      0,
    ],
    // [cpa.collapse.pmd] v6.15: set_memory_rox over the region the RO split heals it …
    [
      '6.15: set_memory_ro then set_memory_rox of the region',
      '6.15.2',
      [ro('0x300001000'), rox('0x300000000', 512)],
      1,
      1,
      1,
    ],
    // … not before 6.15 …
    [
      '6.12: the same calls never collapse',
      '6.12.5',
      [ro('0x300001000'), rox('0x300000000', 512)],
      1,
      1,
      0,
    ],
    // … and never where set_memory_4k marked _PAGE_KERNEL_4K.
    [
      '6.15: set_memory_4k then set_memory_rox',
      '6.15.2',
      [k4('0x300001000'), rox('0x300000000', 512)],
      1,
      1,
      0,
    ],
  ] as const)('%s (%s)', (_name, release, calls, l2, l3, l2c) => {
    expect(replay(release, [...calls])).toMatchObject({
      level2Splits: l2,
      level3Splits: l3,
      level2Collapses: l2c,
    });
  });

  it('the inspector names cause "recorded", the call as recorded and its caller', () => {
    const h = new EngineHost();
    const scenario = scenarioOf('6.12.5', [
      ro('0x300001000'),
      k4('0x380000000'),
      inval('0x3c0200000'),
    ]);
    const r = h.load({ kind: 'scenario', scenario });
    expect(r.ok).toBe(true);
    const steps = r.info!.steps;
    const at = (pfn: number) => h.inspect(steps, pfn).splitBy?.pmd;
    expect(at(0x300001)).toMatchObject({
      cause: 'recorded',
      label: 'Recorded calls',
      call: 'set_memory_ro',
      caller: 'bpf_prog_pack_alloc',
      rule: 'recorded.call',
      step: 1,
    });
    expect(at(0x380000)).toMatchObject({
      call: 'set_memory_4k',
      caller: 'adjust_direct_map',
      step: 2,
    });
    expect(h.inspect(steps, 0x3c0200).splitBy?.pud).toMatchObject({
      cause: 'recorded',
      call: 'set_direct_map_invalid_noflush',
      caller: 'secretmem_fault',
      step: 3,
    });
  });

  it('traceScenario: e820 RAM, host.linux, calls in order; outside and unknown calls left out', () => {
    const f = parseFrec(
      recording('6.12.0-55.el10.x86_64', [
        ro('0x300001000'),
        'fn=set_memory_rox pages=2 region=outside stack=set_memory_rox+0;bpf_prog_pack_alloc+465',
        'fn=set_memory_ro pages=1 dm_offset=0x900000000 stack=set_memory_ro+0;x+1',
        'fn=set_memory_x pages=1 dm_offset=0x1000 stack=set_memory_x+0;x+1',
        k4('0x380000000'),
      ]),
    );
    if (!f.ok) throw new Error('unreadable');
    const t = traceScenario(f.value);
    if ('error' in t) throw new Error(t.error);
    expect(t.scenario).toMatchObject({
      version: 2,
      kernel: 'no-snp',
      guests: [],
      host: {
        linux: '6.12-rhel10',
        ranges: [
          ['0x0', '0x9f000'],
          ['0x100000', '0xc0000000'],
          ['0x100000000', '0x440000000'],
        ],
      },
      events: [
        {
          op: 'recorded-call',
          call: 'set_memory_ro',
          pfn: '0x300001',
          count: 1,
          caller: 'bpf_prog_pack_alloc',
        },
        {
          op: 'recorded-call',
          call: 'set_memory_4k',
          pfn: '0x380000',
          count: 1,
          caller: 'adjust_direct_map',
        },
      ],
    });
    expect(t.skipped).toEqual([
      '1 call(s) left out: outside the direct map (region=outside)',
      '1 call(s) left out: beyond the recorded RAM',
      '1 call(s) left out: set_memory_x: not a call the model replays',
    ]);
    // No e820: MemTotal (kB), rounded up to 2 MiB.
    const bare = { ...f.value, header: { 'meminfo.MemTotal': '16000000' } };
    const b = traceScenario(bare);
    expect('error' in b ? b.error : b.scenario.host).toEqual({ ram: '0x3d0a00000' });
  });

  it('bad recorded-call events: each error names its field, an unknown call lists the known ones', () => {
    const bad = (e: Record<string, unknown>) => {
      const p = parseScenario({
        version: 2,
        host: { ram: '4G' },
        events: [{ op: 'recorded-call', ...e }],
      });
      return p.ok ? [] : p.errors.map((x) => `${x.path}: ${x.allowed}`);
    };
    const ok = { call: 'set_memory_ro', pfn: '0x1000', count: 1, caller: 'f' };
    expect(bad(ok)).toEqual([]);
    const unknown = bad({ ...ok, call: 'set_memory_rw' });
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatch(
      /^events\[0\]\.call: one of "set_memory_ro", "set_memory_rox", .*"set_mce_nospec"$/,
    );
    expect(bad({ ...ok, caller: undefined })[0]).toMatch(
      /^events\[0\]\.caller: the top stack frame/,
    );
    expect(bad({ ...ok, count: 0 })[0]).toMatch(/^events\[0\]\.count: /);
    expect(bad({ ...ok, pfn: '0x200000' })[0]).toMatch(/^events\[0\]\.pfn: a host frame below/);
  });
});
