import { describe, expect, it } from 'vitest';
import { encodeShareFragment, loadPreset } from '../scenario/index';
import { MODEL_VERSION as M } from '../scenario/versions';
import { EngineHost } from './host';
import { ptdumpLineOf } from './inspect';
import {
  CELL_FIRMWARE,
  CELL_FREE,
  CELL_KERNEL,
  CELL_PRIVATE,
  CELL_PRIVATE_2M,
  CELL_SHARED,
  cellState,
  LEVEL_2M,
  LEVEL_4K,
  LEVEL_NONE,
  RF_ASSIGNED,
  RF_MIXED,
  RF_RMP2M,
  RF_SPLIT_AFTER_BOOT,
} from './protocol';

/**
 * thread-2021: 1 GiB host, guest "vm" on THP. The SNP host's own pages take unmovable pageblocks
 * from region 32 (64 MiB, past the kernel image) and the RMP table the top 6 MiB; the guest's
 * movable first 2 MiB of GPA is the order-9 block left below the kernel memory under the RMP
 * table: region 500 (PFN 0x3e800).
 */
const G = 500;
function thread2021(): EngineHost {
  const h = new EngineHost();
  const r = h.load({ kind: 'preset', preset: 'thread-2021' });
  expect(r.ok).toBe(true);
  return h;
}

describe('EngineHost.load', () => {
  it('loads a preset and describes the run', () => {
    const h = new EngineHost();
    const r = h.load({ kind: 'preset', preset: 'thread-2021' });
    expect(r).toMatchObject({ ok: true, errors: [], repairs: [] });
    expect(r.info).toMatchObject({
      steps: 9,
      regions: 512,
      totalPages: 512 * 512,
      kernel: 'rfc-2021',
    });
    expect(r.info?.guests.map((g) => g.name)).toEqual(['vm']);
    expect(r.info?.designs.length).toBe(8);
    expect(r.info?.series.steps.length).toBe(10);
    expect(Array.from(r.info?.marks.steps ?? [])).toEqual([0, 0, 1, 1, 2, 3, 4, 4]);
  });

  it('applies kernel and backing overrides to a preset and keeps them in the share link', () => {
    const h = new EngineHost();
    const r = h.load({ kind: 'preset', preset: 'thread-2021', backing: 'hugetlbfs-2m' });
    expect(r.ok).toBe(true);
    expect(h.findOutcome(0, 'guest-killed', 1)).toBe(4);
    expect(h.shareFragment({ step: 4 })).toBe(
      `#preset=thread-2021&m=${M}&backing=hugetlbfs-2m&step=4`,
    );
  });

  it('rejects a bad scenario with the schema errors and keeps nothing half-loaded', () => {
    const h = new EngineHost();
    const r = h.load({ kind: 'scenario', scenario: { version: 1, host: { ram: 'lots' } } });
    expect(r.ok).toBe(false);
    expect(r.info).toBeNull();
    expect(r.errors.join('\n')).toContain('host.ram: found "lots"');
    expect(h.load({ kind: 'preset', preset: 'nope' }).errors[0]).toContain('preset');
  });

  it('opens the default preset for a broken share link and says why', () => {
    const r = new EngineHost().load({ kind: 'fragment', fragment: '#v=1&s=AAAA&step=3' });
    expect(r.ok).toBe(true);
    expect(r.info?.title).toContain('2021');
    expect(r.repairs.some((x) => x.text.includes('cut short'))).toBe(true);
    expect(r.repairs.some((x) => x.text.includes('default preset "thread-2021"'))).toBe(true);
    expect(r.view).toEqual({});
  });

  it('repairs a share link whose scenario is invalid, listing the repairs', () => {
    const p = loadPreset('thread-2021');
    if (!p.ok) throw new Error('preset');
    const broken = { ...p.scenario, guests: [{ ...p.scenario.guests[0]!, backing: 'hugetlb' }] };
    const frag = encodeShareFragment(broken as never, { step: 4 });
    const r = new EngineHost().load({ kind: 'fragment', fragment: frag });
    expect(r.ok).toBe(true);
    expect(r.repairs.length).toBeGreaterThan(0);
    expect(r.repairs.map((x) => x.text).join('\n')).toContain('backing');
    expect(r.view.step).toBe(4);
  });

  it('refuses a run too large for the browser with a clear message', () => {
    const p = loadPreset('thread-2021');
    if (!p.ok) throw new Error('preset');
    const huge = {
      ...p.scenario,
      workload: { seed: 1, steps: 3_000_000, profiles: [{ profile: 'uniform', weight: 1 }] },
    };
    const r = new EngineHost().load({
      kind: 'scenario',
      scenario: { ...huge, events: [...p.scenario.events, ...p.scenario.events] },
    });
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toMatch(/3,000,0\d\d events; the browser runs at most 2,000,000.*CLI/);
  });
});

describe('EngineHost map snapshots', () => {
  it('summarises each 2 MiB region: code, direct-map level, flags, VMM level', () => {
    const h = thread2021();
    const boot = h.snapshot(0);
    expect(boot.regions).toBe(512);
    expect(boot.regionLevel[0]).toBe(LEVEL_4K);
    // Region 32 (64 MiB, the first free 2 MiB of ZONE_DMA32 past the 16-64 MiB kernel) is the
    // TMR, split to 4K by its 4K firmware RMPUPDATEs when kvm_amd loads; region 34 held the
    // platform-status page (split, freed again); region 33 is split at launch (launch image).
    expect(boot.regionLevel[32]).toBe(LEVEL_4K);
    expect(cellState(boot.regionCode[32]!)).toBe(CELL_FIRMWARE);
    expect(boot.regionLevel[34]).toBe(LEVEL_4K);
    expect(boot.regionLevel[33]).toBe(LEVEL_2M);
    expect(boot.regionLevel[2]).toBe(LEVEL_2M);
    expect(cellState(boot.regionCode[0]!)).toBe(CELL_KERNEL);
    expect(cellState(boot.regionCode[508]!)).toBe(CELL_KERNEL);
    // The RMP table (e820-reserved, never in the direct map) at the top.
    expect(cellState(boot.regionCode[511]!)).toBe(CELL_FIRMWARE);
    expect(boot.regionLevel[511]).toBe(LEVEL_NONE);
    expect(cellState(boot.regionCode[300]!)).toBe(CELL_FREE);

    // Step 2: the guest accepts GPA 0-2M: a 2M RMP entry, the RFC pre-split the direct map.
    // The THP is movable (region G, see above), not in the host's own unmovable pageblocks.
    const s2 = h.snapshot(2);
    expect(cellState(s2.regionCode[G]!)).toBe(CELL_PRIVATE_2M);
    expect(s2.regionLevel[G]).toBe(LEVEL_4K);
    expect(s2.regionFlags[G]! & (RF_ASSIGNED | RF_RMP2M | RF_SPLIT_AFTER_BOOT)).toBe(
      RF_ASSIGNED | RF_RMP2M | RF_SPLIT_AFTER_BOOT,
    );
    expect(s2.regionUserLevel[G]).toBe(LEVEL_2M);
    expect(h.snapshot(1).regionFlags[G]! & RF_SPLIT_AFTER_BOOT).toBe(0);

    // Step 4: one shared page next to private ones; the THP mapping was split to 4K.
    const s4 = h.snapshot(4);
    expect(cellState(s4.regionCode[G]!)).toBe(CELL_PRIVATE);
    expect(s4.regionFlags[G]! & RF_MIXED).toBe(RF_MIXED);
    expect(s4.regionUserLevel[G]).toBe(LEVEL_4K);
  });

  it('gives 512 cell codes per region, exact to the frame', () => {
    const h = thread2021();
    const cells = h.cells(4, G, 2);
    expect(cells.length).toBe(1024);
    expect(cellState(cells[0x1e]!)).toBe(CELL_PRIVATE);
    expect(cellState(cells[0x1f]!)).toBe(CELL_SHARED);
    expect(cellState(cells[0x20]!)).toBe(CELL_PRIVATE);
    // Region 501: host kernel memory, placed top-down below the RMP table at boot.
    expect(cellState(cells[512]!)).toBe(CELL_KERNEL);
    expect(Array.from(h.cellsAt(4, [G]))).toEqual(Array.from(cells.subarray(0, 512)));
  });

  it('shows a guest in GPA order', () => {
    const h = thread2021();
    const g = h.guestCells(4, 0, 0, 1);
    expect(cellState(g[0x1f]!)).toBe(CELL_SHARED);
    expect(cellState(g[0]!)).toBe(CELL_PRIVATE);
    const gs = h.guestSnapshot(4, 0);
    expect(gs.regions).toBe(128);
    expect(gs.regionLevel[0]).toBe(LEVEL_4K);
    expect(gs.regionLevel[1]).toBe(LEVEL_2M);
  });
});

describe('EngineHost inspector and log', () => {
  it('inspects a frame: addresses, level, ptdump line, RMP, owner, backing, history', () => {
    const h = thread2021();
    const f = h.inspect(4, 0x3e81f);
    expect(f).toMatchObject({
      physAddr: '0x3e81f000',
      directMapVa: '0xffff88803e81f000',
      dmLevel: '4K',
      use: 'vmm',
      guest: 'vm',
      gpa: '0x1f000',
      vmmBacking: '4K user mapping (thp)',
    });
    expect(f.ptdumpLine).toMatch(/^0xffff88803e800000-0xffff88803ea00000 +2M .*pte$/);
    expect(f.rmp.assigned).toBe(false);
    expect(f.history.map((r) => r.kind)).toEqual(['dm-split', 'psmash', 'rmp-fault', 'thp-split']);
    const priv = h.inspect(4, 0x3e81e);
    expect(priv.rmp).toMatchObject({
      assigned: true,
      asid: 1,
      gpa: '0x1e000',
      pagesize: '4K',
      validated: true,
    });
    expect(h.inspect(0, 0x3e81f).history).toEqual([]);
  });

  it('pages through outcomes, filtered and cut at a step, with dmesg lines', () => {
    const h = thread2021();
    const all = h.outcomes({ from: 0, count: 100 });
    // Four splits of the SNP host's own (TMR and platform-status page at step 0, launch image at
    // step 1), the launch, then the thread's five.
    expect(all.total).toBe(10);
    expect(all.rows[0]!.message).toBe(
      '[     0] x86/mm: direct map split 2M→4K at 0x4000000 (snp.tmr)',
    );
    expect(all.rows[5]!.message).toBe(
      '[     2] x86/mm: direct map split 2M→4K at 0x3e800000 (set_memory_4k)',
    );
    expect(all.rows[7]!.message).toContain('error_code(0x80000007)');
    const page = h.outcomes({ from: 2, count: 2 });
    expect(page.rows.map((r) => r.index)).toEqual([2, 3]);
    const cut = h.outcomes({ from: 0, count: 100, maxStep: 3 });
    expect(cut.total).toBe(7);
    const splits = h.outcomes({ from: 0, count: 10, kinds: ['thp-split', 'psmash'] });
    expect(splits.total).toBe(2);
    expect(splits.rows.map((r) => r.index)).toEqual([6, 8]);
    expect(h.outcomeIndexAt(4)).toBe(7);
  });

  it('finds the next and previous outcome of a kind', () => {
    const h = thread2021();
    expect(h.findOutcome(0, 'rmp-fault', 1)).toBe(4);
    expect(h.findOutcome(4, 'rmp-fault', 1)).toBe(-1);
    expect(h.findOutcome(9, 'dm-split', -1)).toBe(2);
    expect(h.findOutcome(2, 'dm-split', -1)).toBe(1);
    expect(h.findOutcome(2, 'any', 1)).toBe(3);
  });

  it('explains rules and exports texts', () => {
    const h = thread2021();
    expect(h.rule('rfc.thp_split')?.source).toContain('split_huge_pmd');
    expect(h.rule('nope')).toBeNull();
    const t = h.texts(2);
    // The first 2 MiB, the TMR, the platform-status page, two regions of the launch image and
    // the pre-split at step 2.
    expect(t.meminfo).toContain('DirectMap4k:       12288 kB');
    expect(t.vmstat).toContain('direct_map_level2_splits 5');
    expect(t.ptdump.split('\n')[0]).toBe('---[ Low Kernel Mapping ]---');
  });

  it('finds the ptdump line by address', () => {
    const lines = [
      '---[ Low Kernel Mapping ]---',
      '0xffff888000000000-0xffff888000200000           2M     RW                 GLB NX pte',
      '0xffff888000200000-0xffff888040000000        1022M     RW         PSE     GLB NX pmd',
      '---[ vmalloc() Area ]---',
    ];
    expect(ptdumpLineOf(lines, 0)).toBe(lines[1]);
    expect(ptdumpLineOf(lines, 0x1ff)).toBe(lines[1]);
    expect(ptdumpLineOf(lines, 0x200)).toBe(lines[2]);
  });
});

describe('EngineHost progressive runs', () => {
  const preset = { kind: 'preset', preset: 'virtio-churn-1h' } as const;

  it('answers load once the asked step is computed, then runs on to the same result as a one-shot load', () => {
    const once = new EngineHost();
    const full = once.load(preset);
    const h = new EngineHost();
    const r = h.load(preset, { progressive: true, step: 5000 });
    expect(r.ok).toBe(true);
    expect(r.info?.steps).toBe(full.info?.steps);
    expect(r.info?.computed).toBe(5000);
    // Steps past the frontier answer for the frontier.
    expect(h.stepView(150_000).step).toBe(5000);
    expect(h.snapshot(150_000).step).toBe(5000);
    expect(h.stepView(4000)).toEqual(once.stepView(4000));
    expect(h.outcomes({ from: 0, count: 0, maxStep: 5000 }).total).toBe(
      once.outcomes({ from: 0, count: 0, maxStep: 5000 }).total,
    );
    let p = h.progress()!;
    expect(p).toMatchObject({ computed: 5000, done: false });
    expect(p.series.steps[p.series.steps.length - 1]).toBe(5000);
    let slices = 0;
    while (!h.advanceFor(10)) {
      slices++;
      const q = h.progress()!;
      expect(q.computed).toBeGreaterThan(p.computed);
      p = q;
    }
    expect(slices).toBeGreaterThan(5);
    p = h.progress()!;
    expect(p.done).toBe(true);
    expect(Array.from(p.marks.steps)).toEqual(Array.from(full.info!.marks.steps));
    expect(Array.from(p.marks.kinds)).toEqual(Array.from(full.info!.marks.kinds));
    expect(Array.from(p.series.columns.DirectMap4k)).toEqual(
      Array.from(full.info!.series.columns.DirectMap4k),
    );
    const last = full.info!.steps;
    expect(h.stepView(last)).toEqual(once.stepView(last));
    expect(h.snapshot(last)).toEqual(once.snapshot(last));
    expect(h.findOutcome(0, 'dm-split', 1)).toBe(once.findOutcome(0, 'dm-split', 1));
    expect(h.findOutcome(last, 'any', -1)).toBe(once.findOutcome(last, 'any', -1));
    expect(h.outcomes({ from: 10, count: 5, kinds: ['dm-split'] })).toEqual(
      once.outcomes({ from: 10, count: 5, kinds: ['dm-split'] }),
    );
  });

  it('extends filtered outcome indices as the log grows', () => {
    const once = new EngineHost();
    once.load(preset);
    const h = new EngineHost();
    h.load(preset, { progressive: true, step: 2000 });
    const early = h.outcomes({ from: 0, count: 0, kinds: ['dm-split'] }).total;
    while (!h.advanceFor(10));
    const late = h.outcomes({ from: 0, count: 0, kinds: ['dm-split'] }).total;
    expect(late).toBeGreaterThan(early);
    expect(late).toBe(once.outcomes({ from: 0, count: 0, kinds: ['dm-split'] }).total);
  });

  it('answers a step and the step before it together, as two separate calls would', () => {
    const h = new EngineHost();
    h.load(preset);
    const ref = new EngineHost();
    ref.load(preset);
    for (const s of [120_000, 3, 0, 199_999, 200_000]) {
      h.snapshot(s);
      const pair = h.stepViews(s);
      expect(pair.view).toEqual(ref.stepView(s));
      expect(pair.prev).toEqual(s > 0 ? ref.stepView(s - 1) : null);
    }
  });
});

describe('EngineHost: a preset rerun with another backing or kernel', () => {
  it('keeps captions whose step turns out the same and narrates the changed ones from the outcomes', () => {
    const h = new EngineHost();
    const r = h.load({ kind: 'preset', preset: 'thread-2021', backing: 'hugetlbfs-2m' });
    const plain = new EngineHost().load({ kind: 'preset', preset: 'thread-2021' }).info!;
    const caps = r.info!.captions;
    const at = (s: number) => caps.find((c) => c.step === s);
    // Steps 0, 2, 3 and 7 happen as in the preset (its captions say nothing about THP there).
    for (const s of [0, 2, 3, 7]) expect(at(s)).toEqual(plain.captions.find((c) => c.step === s));
    // Step 1 has the same outcome, but its caption says the guest is THP-backed: rewritten.
    expect(at(1)?.auto).toBe(true);
    expect(at(1)?.text).toContain('launched');
    // Step 4: the write hits a hugetlbfs mapping that cannot be split.
    expect(at(4)?.auto).toBe(true);
    expect(at(4)?.text).toContain('SIGBUS');
    expect(at(4)?.text).toContain('A hugetlbfs mapping cannot be split');
    expect(h.stepView(4).caption).toBe(at(4)?.text);
    expect(r.info?.title).toMatch(/rerun with hugetlbfs 2M backing$/);
    expect(r.info?.narrativeNote).toContain('kept where its step turns out the same');
    // The same through a share link, and the preset as written keeps its narration.
    const link = h.load({
      kind: 'fragment',
      fragment: '#preset=thread-2021&kernel=hugetlb-ban-2022&step=1',
    });
    expect(link.info?.title).toMatch(/rerun under hugetlb-ban-2022$/);
    const again = h.load({ kind: 'preset', preset: 'thread-2021' });
    expect(again.info?.narrativeNote).toBeUndefined();
    expect(h.stepView(4).caption).toContain('splits the THP mapping');
  });

  it('decides captions as a progressive run is computed, and progress() sends them', () => {
    const h = new EngineHost();
    const r = h.load(
      { kind: 'preset', preset: 'linux-boot-64g', kernel: 'rfc-2021' },
      { progressive: true },
    );
    const first = r.info!.captions.length;
    while (h.progress()!.computed < r.info!.steps) h.advanceFor(10);
    const p = h.progress()!;
    const caps = p.captions ?? r.info!.captions;
    expect(caps.length).toBeGreaterThanOrEqual(first);
    const base = new EngineHost().load({ kind: 'preset', preset: 'linux-boot-64g' }).info!;
    // Every preset caption is decided: kept as written, or automatic.
    for (const c of caps) {
      const own = base.captions.find((b) => b.step === c.step);
      if (!c.auto) expect(c).toEqual(own);
    }
    // Every preset caption is decided once the run is done (the steps the preset captions).
    for (const b of base.captions) expect(caps.some((c) => c.step === b.step)).toBe(true);
  });
});

describe('EngineHost: a link to a step past the end', () => {
  it('opens at the last step and says so among the repairs', () => {
    const h = new EngineHost();
    const r = h.load({ kind: 'fragment', fragment: '#preset=thread-2021&step=99999' });
    expect(r.view.step).toBe(9);
    expect(r.repairs.map((x) => x.text).join('\n')).toContain(
      'step=99999: the run has 9 steps; opened at its last step',
    );
    // A link made with today's model (m=) opens with no notice at all.
    expect(
      h.load({ kind: 'fragment', fragment: `#preset=thread-2021&m=${M}&step=9` }).repairs,
    ).toEqual([]);
  });
});

describe('EngineHost: a rerun of a preset on a big host', () => {
  it('does not check its captions against the preset, and says so', () => {
    const h = new EngineHost();
    const r = h.load(
      { kind: 'preset', preset: 'many-guests-1t', backing: 'hugetlbfs-2m' },
      { progressive: true },
    );
    expect(r.info?.captions).toEqual([]);
    expect(r.info?.narrativeNote).toMatch(/^Rerun with hugetlbfs 2M backing: .*over 256 GiB/);
  });
});

describe('StepView.byCause: where DirectMap4k comes from, per cause (issue 17)', () => {
  it('bpf-sockex1-v5.17: the BPF row carries the programs’ splits and the rows sum to DirectMap4k', () => {
    const h = new EngineHost();
    expect(h.load({ kind: 'preset', preset: 'bpf-sockex1-v5.17' }).ok).toBe(true);
    const v = h.stepView(5);
    const bpf = v.byCause.find((r) => r.cause === 'bpf');
    expect(bpf?.level2Splits).toBeGreaterThan(700);
    expect(bpf?.status).toBe('merged');
    expect(v.byCause.reduce((s, r) => s + r.directMap4kKb, 0)).toBe(v.metrics.meminfo.DirectMap4k);
    expect(h.stepView(0).byCause.find((r) => r.cause === 'bpf')?.level2Splits ?? 0).toBe(0);
  });
});
