import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootDirectMap, type MapPiece } from '../../machine/boot-layout';
import { DirectMap } from '../../machine/direct-map';
import { GiB } from '../../machine/units';
import { LEVEL_1G, LEVEL_2M, LEVEL_4K, LEVEL_NONE } from '../../worker/protocol';
import { parseMeminfo } from './meminfo';
import { parsePtdump } from './ptdump';
import {
  RL_1G,
  RL_2M,
  RL_4K,
  RL_NONE,
  reconcileDirectMap,
  reconcileMeminfo,
  regionLevels,
} from './reconcile';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function imported(name: string): MapPiece[] {
  const r = parsePtdump(fixture(name));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value.pieces;
}

/** The RAM the machine maps, as contiguous ranges: the model boots on the same layout. */
function ramOf(pieces: readonly MapPiece[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last && last.end === p.start) last.end = p.end;
    else out.push({ start: p.start, end: p.end });
  }
  return out;
}

function modelFor(pieces: readonly MapPiece[], gbpages = true): DirectMap {
  const end = pieces[pieces.length - 1]!.end;
  const totalPages = Math.ceil(end / 4096 / 512) * 512;
  return new DirectMap(totalPages, bootDirectMap(ramOf(pieces), gbpages), gbpages);
}

describe('regionLevels', () => {
  it('uses the protocol LEVEL_* codes and the finest level present in each region', () => {
    expect([RL_NONE, RL_1G, RL_2M, RL_4K]).toEqual([LEVEL_NONE, LEVEL_1G, LEVEL_2M, LEVEL_4K]);
    const levels = regionLevels(
      [
        { start: 0, end: 0x100000, level: '4K' },
        { start: 0x200000, end: 0x400000, level: '2M' },
        { start: 0x400000, end: 0x401000, level: '4K' },
      ],
      4,
    );
    expect(Array.from(levels)).toEqual([RL_4K, RL_2M, RL_4K, RL_NONE]);
  });
});

describe('reconcileDirectMap: a real ptdump against the model booted on the same RAM', () => {
  const machine = imported('kernel-4level.txt');

  it('finds exactly the machine splits the model has not made', () => {
    const r = reconcileDirectMap(modelFor(machine), machine);
    // Three 1 GiB blocks split to 2M on the machine, four 2 MiB regions of them split to 4K.
    expect(r.differ).toBe(3 * 512);
    expect(r.pairs.filter((p) => p.model !== p.machine)).toEqual([
      { model: '1G', machine: '2M', regions: 3 * 512 - 4 },
      { model: '1G', machine: '4K', regions: 4 },
    ]);
    expect(r.firstDiffs[0]).toEqual({
      startBytes: 4 * GiB,
      endBytes: 0x123400000,
      model: '1G',
      machine: '2M',
    });
    expect(r.firstDiffs[1]).toEqual({
      startBytes: 0x123400000,
      endBytes: 0x123600000,
      model: '1G',
      machine: '4K',
    });
    expect(r.meminfo.splits).toEqual({ level2: 4, level3: 3 });
    expect(r.summary[0]).toMatch(/^1536 of \d+ mapped 2 MiB regions differ/);
    expect(r.summary.at(-1)).toMatch(/3 1G→2M splits and 4 2M→4K splits more than the model/);
    expect(r.status.reduce((s, x) => s + x, 0)).toBe(r.differ);
  });

  it('agrees everywhere once the model makes the same splits', () => {
    const model = modelFor(machine);
    for (const addr of [0x123400000, 0x800200000, 0x800a00000, 0xf00000000])
      model.split4k(addr / 4096, 1, null);
    const r = reconcileDirectMap(model, machine);
    expect(r.differ).toBe(0);
    expect(r.firstDiffs).toEqual([]);
    expect(r.meminfo.explanation).toBe('the DirectMap totals agree');
    expect(r.summary[0]).toMatch(/agree on all \d+ mapped 2 MiB regions/);
  });

  it('lists at most maxRanges ranges but counts them all', () => {
    const r = reconcileDirectMap(modelFor(machine), machine, { maxRanges: 2 });
    expect(r.firstDiffs).toHaveLength(2);
    expect(r.diffRanges).toBeGreaterThan(2);
  });

  it('explains a machine without gbpages against a model with them', () => {
    const old = imported('kernel_page_tables-4.14.txt');
    const r = reconcileDirectMap(modelFor(old, true), old);
    expect(r.pairs.some((p) => p.model === '1G' && p.machine === '2M')).toBe(true);
    expect(reconcileDirectMap(modelFor(old, false), old).differ).toBe(0);
  });
});

describe('reconcileMeminfo: totals only', () => {
  const text = fixture('meminfo-x86.txt');
  const parsed = parseMeminfo(text);
  if (!parsed.ok) throw new Error('fixture must parse');
  const machine = parsed.value.meminfo;

  it('turns an equal-total difference into whole splits, in either direction', () => {
    const model = {
      DirectMap4k: machine.DirectMap4k - 3 * 2048,
      DirectMap2M: machine.DirectMap2M + 3 * 2048 - 1048576,
      DirectMap1G: machine.DirectMap1G + 1048576,
    };
    const r = reconcileMeminfo(model, machine);
    expect(r.sameTotal).toBe(true);
    expect(r.splits).toEqual({ level2: 3, level3: 1 });
    expect(r.explanation).toMatch(/machine has 1 1G→2M split and 3 2M→4K splits more/);
    const back = reconcileMeminfo(machine, model);
    expect(back.splits).toEqual({ level2: -3, level3: -1 });
    expect(back.explanation).toMatch(/model has 1 1G→2M split and 3 2M→4K splits more/);
  });

  it('says when the RAM differs instead of inventing splits', () => {
    const model = { ...machine, DirectMap1G: machine.DirectMap1G + 1048576 };
    const r = reconcileMeminfo(model, machine);
    expect(r.sameTotal).toBe(false);
    expect(r.splits).toBeNull();
    expect(r.explanation).toMatch(/maps 1,048,576 kB less RAM than the model.*e820/);
  });

  it('names a gbpages mismatch', () => {
    const model = {
      DirectMap4k: machine.DirectMap4k,
      DirectMap2M: machine.DirectMap2M + machine.DirectMap1G,
      DirectMap1G: 0,
    };
    expect(reconcileMeminfo(model, machine).explanation).toMatch(/gbpages/);
  });
});
