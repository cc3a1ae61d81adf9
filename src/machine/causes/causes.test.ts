/**
 * Each host cause's rules, table-driven, with the kernel source each case stands for; the
 * calibrations the issue names; a kernel-version switch that changes results only where the
 * rules say; and bad input.
 */
import { describe, expect, it } from 'vitest';
import { compileScenario, loadPreset, parseScenario } from '../../scenario/index';
import { byCause } from '../../sim/metrics';
import { applyEvent } from '../apply';
import type { EngineEvent, HostOp, MachineSpec } from '../events';
import { Machine } from '../machine';
import { GiB, MiB } from '../units';
import { CAUSES } from '.';
import { nearestLinux } from './era';

function machine(
  linux: string,
  o: Partial<MachineSpec['host']> = {},
  kernel: MachineSpec['kernel'] = 'no-snp',
): Machine {
  return new Machine({
    // RAM only above 4 GiB (and the first 640K): allocations start inside a 1G leaf.
    host: {
      ranges: [
        { start: 0, end: 0x9f000 },
        { start: 4 * GiB, end: 20 * GiB },
      ],
      gbpages: true,
      allocator: 'buddy',
      kernelBytes: 320 * MiB,
      seed: 1,
      linux,
      ...o,
    },
    kernel,
    guests: [],
  });
}
const ev = (op: HostOp, sizeBytes: number, extra: Partial<EngineEvent> = {}): EngineEvent => ({
  op,
  guest: 0,
  gpa: 0,
  pfn: 0,
  sizeBytes,
  via: 'user',
  ...extra,
});
const rowOf = (m: Machine, cause: string) => byCause(m).find((r) => r.cause === cause);
const splits = (m: Machine, cause: string) => rowOf(m, cause)?.level2Splits ?? 0;

describe('host causes: one rule each (src/machine/causes/)', () => {
  it.each([
    // bpf.jit — bpf_jit_binary_lock_ro(), include/linux/filter.h: one RO+X page per program.
    [
      'bpf.jit: 5.17, 8 programs on fresh memory share one region',
      '5.17',
      [ev('bpf-load', 8)],
      'bpf',
      1,
    ],
    // bpf.pack — bpf_prog_pack_alloc(), kernel/bpf/core.c: a whole 2 MiB, no 4K split.
    ['bpf.pack: 6.1, 2048 programs in one pack', '6.1', [ev('bpf-load', 2048)], 'bpf', 0],
    // module.rwx — kernel/module/strict_rwx.c: text and rodata pages RO on 6.12.
    [
      'module.rwx: 6.12, one module splits its region',
      '6.12',
      [ev('module-load', 200 * 1024)],
      'module',
      1,
    ],
    // module.rox_cache — mm/execmem.c: 6.15 text from a 2 MiB ROX block; rodata still splits.
    [
      'module.rox_cache: 6.15, the same module',
      '6.15',
      [ev('module-load', 200 * 1024)],
      'module',
      1,
    ],
    // kprobe.insn — alloc_insn_page(), arch/x86/kernel/kprobes/core.c.
    ['kprobe.insn: 300 kprobes take two ROX pages', '6.12', [ev('kprobe', 300)], 'kprobe', 1],
    // secretmem.fault — mm/secretmem.c, on by default from 6.5 (b758fe6df50d).
    ['secretmem.fault: 6.5, 4 MiB', '6.5', [ev('secretmem', 4 * MiB)], 'secretmem', 3],
    [
      'secretmem.fault: 6.1 has it off by default',
      '6.1',
      [ev('secretmem', 4 * MiB)],
      'secretmem',
      0,
    ],
    // hwpoison.nospec — set_mce_nospec(), arch/x86/kernel/cpu/mce/core.c.
    [
      'hwpoison.nospec: one error, one chain',
      '6.12',
      [ev('hwpoison', 0, { pfn: 0x4c0005 })],
      'hwpoison',
      1,
    ],
    // ttm.caching — ttm_pool_alloc(), drivers/gpu/drm/ttm/ttm_pool.c: a whole 2 MiB block keeps 2M.
    [
      'ttm.caching: a 2 MiB WC buffer keeps its 2M mapping',
      '6.12',
      [ev('gpu-wc', 2 * MiB)],
      'ttm',
      0,
    ],
    ['ttm.caching: a 64 KiB WC buffer splits', '6.12', [ev('gpu-wc', 64 * 1024)], 'ttm', 1],
    // pagecache.fill — mm/filemap.c: no split of its own.
    [
      'pagecache.fill: filling and dropping splits nothing',
      '6.12',
      [ev('page-cache', GiB), ev('page-cache-drop', 64 * MiB)],
      'page-cache',
      0,
    ],
  ] as const)('%s', (_, linux, events, cause, want) => {
    const m = machine(linux);
    for (const e of events) applyEvent(m, e);
    expect(splits(m, cause)).toBe(want);
    expect(m.checkInvariants()).toBeNull();
  });

  it('module.unload (vm_reset_perms(), mm/vmalloc.c): pages go back, splits stay', () => {
    const m = machine('6.12');
    applyEvent(m, ev('module-load', 400 * 1024));
    const free = m.alloc.freePages;
    const k4 = m.dm.count4k;
    applyEvent(m, ev('module-unload', 0));
    expect(m.alloc.freePages).toBeGreaterThan(free);
    expect(m.dm.count4k).toBe(k4);
  });

  it('secretmem.free (set_direct_map_default_noflush): mapped again, still split', () => {
    const m = machine('6.5');
    applyEvent(m, ev('secretmem', 64 * 1024));
    const k4 = m.dm.count4k;
    applyEvent(m, ev('secretmem-free', 64 * 1024));
    expect(m.dm.count4k).toBe(k4);
  });

  it('hwpoison.clear (clear_mce_nospec): the page is present again', () => {
    const m = machine('6.12');
    applyEvent(m, ev('hwpoison', 0, { pfn: 0x4c0005 }));
    expect(m.frames.get(0x4c0005) & 16).toBe(16);
    applyEvent(m, ev('unpoison', 0, { pfn: 0x4c0005 }));
    expect(m.frames.get(0x4c0005) & 16).toBe(0);
  });

  it('kfence.pool (kfence_init_pool(), set_memory_4k): 2 MiB straddling two regions, before SYSTEM_RUNNING', () => {
    const m = machine('6.12', { boot: 'booted' });
    expect(rowOf(m, 'kfence')).toMatchObject({ level2Splits: 2, level3Splits: 1, canHeal: false });
    const off = machine('6.12', { boot: 'booted', kfence: false });
    expect(rowOf(off, 'kfence')).toBeUndefined();
  });

  it('boot.rodata (mark_rodata_ro()) splits where the image RO part ends; boot.iommu only on SNP hosts', () => {
    const low = { boot: 'booted' as const, ranges: [{ start: 0, end: 16 * GiB }] };
    expect(splits(machine('6.12', low), 'kernel')).toBe(1);
    const snp = machine('6.11', { boot: 'booted' }, 'upstream-2024');
    expect(splits(snp, 'iommu')).toBeGreaterThanOrEqual(1);
    expect(rowOf(machine('6.12', { boot: 'booted' }), 'iommu')).toBeUndefined();
  });

  it('boot.debug_pagealloc (probe_page_size_mask()): all 4K from boot, nothing ever splits', () => {
    const m = machine('6.12', { debugPagealloc: true });
    expect(m.dm.count2m + m.dm.count1g).toBe(0);
    applyEvent(m, ev('bpf-load', 10));
    expect(m.dm.level2Splits + m.dm.level3Splits).toBe(0);
  });

  it('every cause is labelled merged or proposal, and the proposals say so', () => {
    for (const c of CAUSES) expect(['merged', 'proposal']).toContain(c.status);
    for (const c of CAUSES.filter((x) => x.status === 'proposal'))
      expect(c.label).toContain('proposal');
  });
});

describe('calibration (issue 14, 17)', () => {
  it('a booted 10 GiB QEMU guest shows 1–3 PUD and 9–44 PMD splits (v5.17, v6.1)', () => {
    for (const linux of ['5.17', '6.1']) {
      const m = machine(linux, {
        ranges: [
          { start: 0, end: 3 * GiB - 128 * 1024 },
          { start: 4 * GiB, end: 11 * GiB },
        ],
        kernelBytes: 224 * MiB,
        boot: 'booted',
      });
      const rows = byCause(m);
      const pmd = rows.reduce((s, r) => s + r.level2Splits, 0);
      const pud = rows.reduce((s, r) => s + r.level3Splits, 0);
      expect(pmd).toBeGreaterThanOrEqual(9);
      expect(pmd).toBeLessThanOrEqual(44);
      expect(pud).toBeGreaterThanOrEqual(1);
      expect(pud).toBeLessThanOrEqual(3);
    }
  });

  it('a 64 GiB host at step 0 shows more 4K than the first 2 MiB', () => {
    const m = machine('6.12', {
      ranges: [{ start: 0, end: 64 * GiB }],
      kernelBytes: 1088 * MiB,
      boot: 'booted',
    });
    expect(m.dm.count4k * 4).toBeGreaterThan(2048);
  });

  it('bpf-sockex1 reproduces v5.17 within 15% and v6.1 exactly (lore Y2ioTodn+mBXdIqp@ziqianlu-desk2)', () => {
    const run = (name: string) => {
      const p = loadPreset(name);
      if (!p.ok) throw new Error(p.errors.map((e) => e.message).join('; '));
      const { spec, events } = compileScenario(p.scenario);
      const m = new Machine(spec);
      const before = {
        k4: m.dm.count4k * 4,
        g: m.dm.count1g,
        splits: m.dm.level2Splits + m.dm.level3Splits,
      };
      for (const e of events) applyEvent(m, e);
      console.log(
        `${name}: host seed ${spec.host.seed}, DirectMap4k ${before.k4} → ${m.dm.count4k * 4} kB, 1G leaves ${before.g} → ${m.dm.count1g}`,
      );
      return { before, m };
    };
    const old = run('bpf-sockex1-v5.17');
    const growth = old.m.dm.count4k * 4 - old.before.k4;
    expect(Math.abs(growth - (1_654_620 - 87_900)) / (1_654_620 - 87_900)).toBeLessThan(0.15);
    expect([old.before.g, old.m.dm.count1g]).toEqual([5, 2]);
    const pack = run('bpf-sockex1-v6.1');
    expect(pack.m.dm.level2Splits + pack.m.dm.level3Splits).toBe(pack.before.splits);
    expect(pack.m.dm.count4k).toBe(pack.before.k4 / 4);
  });
});

describe('a kernel-version switch changes results where the rules say, nowhere else', () => {
  const scenario = (linux: string, events: unknown[]) => {
    const r = parseScenario({
      version: 2,
      host: { ram: '8G', linux, boot: 'booted' },
      kernel: 'no-snp',
      events,
    });
    if (!r.ok) throw new Error(r.errors[0]?.message);
    const { spec, events: evs } = compileScenario(r.scenario);
    const m = new Machine(spec);
    for (const e of evs) applyEvent(m, e);
    return [m.dm.count4k, m.dm.level2Splits, m.dm.level3Splits].join('/');
  };
  it.each([
    // 6.15 differs already at boot (udev's modules take the ROX cache), so it is left out here.
    ['page cache only', [{ op: 'page-cache', size: '1G' }], ['5.17', '6.1', '6.12'], true],
    ['hwpoison', [{ op: 'hwpoison', pfn: '0x1c0005' }], ['5.17', '6.1', '6.12'], true],
    [
      'modules across the ROX cache',
      [{ op: 'module-load', name: 'xfs', size: '2M' }],
      ['6.12', '6.15'],
      false,
    ],
    [
      'BPF programs across bpf_prog_pack',
      [
        { op: 'page-cache', size: '6G' },
        { op: 'page-cache-drop', size: '8M' },
        { op: 'bpf-load', count: 256 },
      ],
      ['5.17', '6.1'],
      false,
    ],
    ['secretmem across 6.5', [{ op: 'secretmem', size: '8M' }], ['6.1', '6.5'], false],
  ] as const)('%s', (_, events, versions, same) => {
    const out = new Set(versions.map((v) => scenario(v, [...events])));
    expect(out.size === 1).toBe(same);
  });
});

describe('bad input: a clear error or a named repair, never a crash', () => {
  const parse = (events: unknown[], host: Record<string, unknown> = {}) =>
    parseScenario({ version: 2, host: { ram: '8G', ...host }, kernel: 'no-snp', events });
  it.each([
    ['an unknown op', [{ op: 'bpf-loadd', count: 1 }], 'events[0].op'],
    ['a negative size', [{ op: 'secretmem', size: '-4K' }], 'events[0].size'],
    ['a missing count', [{ op: 'bpf-load' }], 'events[0].count'],
    ['a zero count', [{ op: 'kprobe', count: 0 }], 'events[0].count'],
    ['a missing module name', [{ op: 'module-load', size: '64K' }], 'events[0].name'],
    ['an unaligned hot-add', [{ op: 'hot-add', start: '0x1000', size: '128M' }], 'events[0].start'],
    ['a pfn past the host', [{ op: 'hwpoison', pfn: '0x10000000' }], 'events[0].pfn'],
  ])('%s names %s', (_, events, path) => {
    const r = parse(events);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toContain(path);
  });

  it('a boot option of the wrong kind names it', () => {
    const r = parse([], { boot: 'warm' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.message).toContain('host.boot');
  });

  it('an unknown kernel version falls back to the nearest known rule set and says so', () => {
    expect(nearestLinux('6.3')).toEqual({
      linux: '6.3',
      note: '6.3 runs the 6.1 rules (the nearest known rule set)',
    });
    expect(nearestLinux('6.15').note).toBeNull();
    expect(nearestLinux('banana').note).toContain('not a kernel version');
  });
});

describe('workload profiles for host causes (bpf-host, gpu-host, fleet-errors)', () => {
  it.each([
    ['bpf-host', ['bpf-load', 'bpf-unload', 'kprobe']],
    ['gpu-host', ['gpu-wc', 'gpu-wb']],
    ['fleet-errors', ['page-cache', 'page-cache-drop', 'hwpoison']],
  ] as const)('%s generates its host events on a host without guests', (profile, ops) => {
    const r = parseScenario({
      version: 2,
      host: { ram: '8G' },
      kernel: 'no-snp',
      workload: { seed: 2, steps: 300, profiles: [{ profile, weight: 1 }] },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toEqual([]);
    const { events } = compileScenario(r.scenario);
    expect(events).toHaveLength(300);
    expect(new Set(events.map((e) => e.op))).toEqual(new Set(ops));
  });
});
