import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BACKINGS, KERNEL_DESIGNS } from '../machine/events';
import { loadPreset } from '../scenario/index';
import { sweep } from '../sim/sweep';
import { EngineHost } from './host';
import { MAX_INPUT_CHARS, ToolsHost } from './tools-host';

const fixture = (name: string) =>
  readFileSync(new URL(`../formats/import/fixtures/${name}`, import.meta.url), 'utf8');
const thread = { kind: 'preset', preset: 'thread-2021' } as const;

describe('ToolsHost.sweep', () => {
  it('answers one row per design × backing, equal to the engine sweep, and reports progress', () => {
    const progress: number[] = [];
    const r = new ToolsHost().sweep(thread, (done) => progress.push(done));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.rows.length).toBe(KERNEL_DESIGNS.length * BACKINGS.length);
    const p = loadPreset('thread-2021');
    if (!p.ok) throw new Error('preset');
    expect(r.rows.map((c) => c.digest)).toEqual(sweep(p.scenario).map((c) => c.digest));
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(r.rows.length);
    const killed = r.rows.find((c) => c.kernel === 'rfc-2021' && c.backing === 'hugetlbfs-2m');
    expect(killed?.metrics.outcomes.guests_killed).toBe(1);
    // Rows cross the worker boundary: they must survive structured cloning.
    expect(structuredClone(r.rows)).toEqual(r.rows);
  });

  it('says what is wrong with a bad scenario instead of throwing', () => {
    const r = new ToolsHost().sweep({ kind: 'scenario', scenario: { version: 1, host: 3 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join(' ')).toMatch(/host/);
  });
});

describe('ToolsHost.importText / importPair', () => {
  it('detects a meminfo snapshot and gives its DirectMap totals', () => {
    const r = new ToolsHost().importText(fixture('meminfo-x86.txt'));
    expect(r.ok && r.data.format === 'meminfo' && r.data.meminfo.DirectMap1G).toBe(61865984);
  });

  it('rejects binary data, naming the line', () => {
    const r = new ToolsHost().importText('DirectMap4k: 4 kB\n\u0000\u0001garbage');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]?.line).toBe(2);
      expect(r.errors[0]?.message).toMatch(/binary/);
    }
  });

  it('rejects input over the size limit without parsing it', () => {
    const r = new ToolsHost().importText('x'.repeat(MAX_INPUT_CHARS + 1));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.message).toMatch(/64 MiB/);
  });

  it('names what was expected for foreign text', () => {
    const r = new ToolsHost().importText('hello\nworld\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.expected).toMatch(/meminfo/);
  });

  it('decomposes two meminfo snapshots into splits', () => {
    const r = new ToolsHost().importPair(
      fixture('meminfo-x86.txt'),
      fixture('meminfo-x86-after.txt'),
    );
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.vmstat).not.toBeNull();
  });
});

describe('ToolsHost.reconcile', () => {
  it('agrees everywhere with the model’s own ptdump at the same step', () => {
    const h = new ToolsHost();
    // The model's ptdump at the last step, pasted back: every region agrees.
    const p = loadPreset('thread-2021');
    if (!p.ok) throw new Error('preset');
    const cell = sweep(p.scenario, ['rfc-2021'], ['thp'])[0]!;
    const text = modelPtdump();
    const r = h.reconcile(thread, text);
    expect(r.ok).toBe(true);
    if (!r.ok || !r.regions) throw new Error('expected a region reconcile');
    expect(r.step).toBe(cell.steps);
    expect(r.regions.differ).toBe(0);
    expect(r.meminfo.explanation).toBe('the DirectMap totals agree');
  });

  it('at step 0 the same dump differs in the regions split later', () => {
    const h = new ToolsHost();
    const r = h.reconcile(thread, modelPtdump(), 0);
    if (!r.ok || !r.regions) throw new Error('expected a region reconcile');
    expect(r.regions.differ).toBeGreaterThan(0);
    expect(r.regions.firstDiffs[0]?.model).not.toBe('4K');
  });

  it('gives the map overlay one code per region: as many differ (2) and agree (1) as counted', () => {
    const h = new ToolsHost();
    const r = h.reconcile(thread, modelPtdump(), 0);
    if (!r.ok || !r.regions || !r.overlay) throw new Error('expected a region reconcile');
    const count = (c: number) => r.overlay!.filter((x) => x === c).length;
    expect(r.overlay.length).toBe(r.regions.regions);
    expect(count(2)).toBe(r.regions.differ);
    expect(count(1)).toBe(r.regions.agree);
    expect(count(0)).toBe(r.regions.bothUnmapped);
    // The first differing range is drawn as differing, region by region.
    const first = r.regions.firstDiffs[0]!;
    expect(r.overlay[first.startBytes / 2 ** 21]).toBe(2);
    expect(r.overlay[first.endBytes / 2 ** 21 - 1]).toBe(2);
  });

  it('has no overlay for meminfo totals (no place to point at)', () => {
    const r = new ToolsHost().reconcile(thread, 'DirectMap4k: 4096 kB\nDirectMap2M: 1044480 kB\n');
    expect(r.ok && r.overlay).toBeNull();
  });

  it('reconciles meminfo totals as whole splits', () => {
    const r = new ToolsHost().reconcile(thread, 'DirectMap4k: 4096 kB\nDirectMap2M: 1044480 kB\n');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.format).toBe('meminfo');
      expect(r.regions).toBeNull();
      expect(r.meminfo.explanation).toMatch(/split|agree|gbpages/);
    }
  });

  it('refuses formats without a direct map, saying what it expected', () => {
    const r = new ToolsHost().reconcile(thread, fixture('qemu-trace.txt'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/expected a ptdump or \/proc\/meminfo/);
  });
});

describe('ToolsHost scenario builders', () => {
  it('starts a scenario on an imported e820 layout', () => {
    const h = new ToolsHost();
    const imp = h.importText(fixture('dmesg-e820.txt'));
    if (!imp.ok || imp.data.format !== 'e820') throw new Error('e820 fixture');
    const r = h.onHostLayout(thread, imp.data.e820.ranges);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.scenario.host.ram).toBeUndefined();
      expect(r.scenario.host.ranges?.length).toBe(imp.data.e820.ranges.length);
      expect(r.scenario.host.linux).toBe('5.12'); // the thread's design era (rfc-2021)
    }
    // With the dmesg's kernel, the scenario runs that kernel's rules and says where it came from.
    const k = h.onHostLayout(thread, imp.data.e820.ranges, imp.data.e820.linux);
    expect(k.ok && [k.scenario.host.linux, k.scenario.description]).toEqual([
      '6.11',
      expect.stringContaining('kernel 6.11 from its linux_banner line'),
    ]);
  });

  it('appends QEMU conversions as share/unshare events of guest 0', () => {
    const h = new ToolsHost();
    const events = [
      { op: 'share' as const, gpa: 0x200000, sizeBytes: 0x1000, line: 1 },
      { op: 'unshare' as const, gpa: 0x200000, sizeBytes: 0x1000, line: 2 },
    ];
    const r = h.withConversions(thread, events);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.scenario.events.slice(-2).map((e) => [e.op, e.guest, e.gpa])).toEqual([
        ['share', 'vm', '0x200000'],
        ['unshare', 'vm', '0x200000'],
      ]);
    }
  });
});

/** The model's own ptdump at a step, as the explorer's engine prints it: "a dump from the machine". */
function modelPtdump(): string {
  const e = new EngineHost();
  const r = e.load(thread);
  if (!r.ok || !r.info) throw new Error('load');
  return e.texts(r.info.steps).ptdump;
}
