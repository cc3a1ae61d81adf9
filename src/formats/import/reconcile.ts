/**
 * Reconcile: put a direct map imported from a real machine (a ptdump's runs, or only its
 * /proc/meminfo totals) next to the model's and say where they agree and where they differ.
 *
 * With a layout (ptdump) the comparison is per 2 MiB region: each side's level is the finest
 * mapping present in the region (4K if any 4K PTE maps part of it, else 2M, else 1G, else none),
 * the same per-region level the map draws (protocol LEVEL_*). With totals only (meminfo) there is
 * no place to point at, so the difference is expressed in whole splits where it can be
 * (decomposeSplits: 2M→4K moves 2048 kB, 1G→2M moves 1048576 kB, the mapped total never moves).
 */
import type { MapPiece } from '../../machine/boot-layout';
import { GiB, type PageLevel, PMD_SIZE } from '../../machine/units';
import type { Meminfo } from '../meminfo';
import { decomposeSplits } from './meminfo';

/** Region levels; equal to protocol.ts LEVEL_NONE/1G/2M/4K so the map can draw them. */
export const RL_NONE = 0;
export const RL_1G = 1;
export const RL_2M = 2;
export const RL_4K = 3;
const LEVEL_CODE: Record<PageLevel, number> = { '1G': RL_1G, '2M': RL_2M, '4K': RL_4K };
const CODE_LEVEL: (PageLevel | null)[] = [null, '1G', '2M', '4K'];
const REGION_BYTES = PMD_SIZE;

/** The finest mapping level in each 2 MiB region (RL_*). */
export function regionLevels(pieces: readonly MapPiece[], regions: number): Uint8Array {
  const out = new Uint8Array(regions);
  for (const p of pieces) {
    const code = LEVEL_CODE[p.level];
    const r0 = Math.floor(p.start / REGION_BYTES);
    const r1 = Math.min(regions, Math.ceil(p.end / REGION_BYTES));
    for (let r = r0; r < r1; r++) if (out[r]! < code) out[r] = code;
  }
  return out;
}

export interface DiffRange {
  startBytes: number;
  endBytes: number;
  model: PageLevel | null;
  machine: PageLevel | null;
}

export interface LevelPair {
  model: PageLevel | null;
  machine: PageLevel | null;
  regions: number;
}

export interface MeminfoComparison {
  model: Meminfo;
  machine: Meminfo;
  /** machine − model, per line, in kB. */
  delta: Meminfo;
  /** The mapped totals agree (same RAM layout). */
  sameTotal: boolean;
  /** Splits the machine has beyond the model (negative: fewer), when the change is whole splits. */
  splits: { level2: number; level3: number } | null;
  explanation: string;
}

export interface RegionReconcile {
  /** Regions compared: the larger of the two address spans. */
  regions: number;
  /** Regions where both sides map something at the same level. */
  agree: number;
  /** Regions where neither side maps anything. */
  bothUnmapped: number;
  differ: number;
  /** Per region: 0 same, 1 different (for an overlay on the map). */
  status: Uint8Array;
  /** Region counts by (model, machine) level, differing pairs first, largest first. */
  pairs: LevelPair[];
  /** The first differing runs of regions with the same pair, in address order. */
  firstDiffs: DiffRange[];
  /** All differing runs (firstDiffs holds at most maxRanges of them). */
  diffRanges: number;
  meminfo: MeminfoComparison;
  /** Sentences for the panel, most important first. */
  summary: string[];
}

export interface ReconcileOptions {
  /** How many differing ranges to list; default 20. */
  maxRanges?: number;
}

/** The model's side: Machine.dm has this shape. */
export interface ModelDirectMap {
  pieces(): MapPiece[];
  count4k: number;
  count2m: number;
  count1g: number;
}

export function meminfoOfModel(dm: ModelDirectMap): Meminfo {
  return {
    DirectMap4k: dm.count4k * 4,
    DirectMap2M: dm.count2m * 2048,
    DirectMap1G: dm.count1g * 1048576,
  };
}

const GB_NOTE =
  'one side maps no 1G pages at all: the machine probably boots with a different direct_gbpages setting (DirectMap1G is printed only with it); set gbpages to match';
const kb = (n: number) => `${n.toLocaleString('en-US')} kB`;
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** Totals only: what the difference between model and machine amounts to. */
export function reconcileMeminfo(model: Meminfo, machine: Meminfo): MeminfoComparison {
  const delta: Meminfo = {
    DirectMap4k: machine.DirectMap4k - model.DirectMap4k,
    DirectMap2M: machine.DirectMap2M - model.DirectMap2M,
    DirectMap1G: machine.DirectMap1G - model.DirectMap1G,
  };
  const total = (m: Meminfo) => m.DirectMap4k + m.DirectMap2M + m.DirectMap1G;
  const base = { model, machine, delta, sameTotal: total(model) === total(machine) };
  if (!base.sameTotal) {
    const d = total(machine) - total(model);
    return {
      ...base,
      splits: null,
      explanation: `the machine maps ${kb(Math.abs(d))} ${d > 0 ? 'more' : 'less'} RAM than the model: a different memory layout, not splits. Import its e820 map (dmesg) to start the scenario on the same layout.`,
    };
  }
  // No 1G pages on exactly one side is a boot option (direct_gbpages), not hundreds of splits.
  const gbMismatch = model.DirectMap1G > 0 !== machine.DirectMap1G > 0;
  const withGb = (text: string) => (gbMismatch ? `${GB_NOTE}; read as splits, ${text}` : text);
  const more = decomposeSplits(model, machine);
  if (more.ok) {
    const s = more.splits;
    const none = s.direct_map_level2_splits === 0 && s.direct_map_level3_splits === 0;
    return {
      ...base,
      splits: { level2: s.direct_map_level2_splits, level3: s.direct_map_level3_splits },
      explanation: none
        ? 'the DirectMap totals agree'
        : withGb(
            `the machine has ${plural(s.direct_map_level3_splits, '1G→2M split')} and ${plural(s.direct_map_level2_splits, '2M→4K split')} more than the model`,
          ),
    };
  }
  const fewer = decomposeSplits(machine, model);
  if (fewer.ok) {
    const s = fewer.splits;
    return {
      ...base,
      splits: { level2: -s.direct_map_level2_splits, level3: -s.direct_map_level3_splits },
      explanation: withGb(
        `the model has ${plural(s.direct_map_level3_splits, '1G→2M split')} and ${plural(s.direct_map_level2_splits, '2M→4K split')} more than the machine`,
      ),
    };
  }
  return {
    ...base,
    splits: null,
    explanation: gbMismatch
      ? GB_NOTE
      : 'the difference is not a whole number of splits in one direction: some regions are split on one side and others on the other side',
  };
}

const rangeText = (r: DiffRange) =>
  `0x${r.startBytes.toString(16)}-0x${r.endBytes.toString(16)}: model ${r.model ?? 'unmapped'}, machine ${r.machine ?? 'unmapped'}`;

/** A ptdump's layout against the model, region by region. */
export function reconcileDirectMap(
  model: ModelDirectMap,
  machinePieces: readonly MapPiece[],
  opts: ReconcileOptions = {},
): RegionReconcile {
  const maxRanges = opts.maxRanges ?? 20;
  const modelPieces = model.pieces();
  const end = Math.max(
    modelPieces[modelPieces.length - 1]?.end ?? 0,
    machinePieces[machinePieces.length - 1]?.end ?? 0,
  );
  const regions = Math.ceil(end / REGION_BYTES);
  const a = regionLevels(modelPieces, regions);
  const b = regionLevels(machinePieces, regions);
  const status = new Uint8Array(regions);
  const pairCount = new Float64Array(16);
  const firstDiffs: DiffRange[] = [];
  let agree = 0;
  let bothUnmapped = 0;
  let diffRanges = 0;
  let open: { start: number; pair: number } | null = null;
  const close = (r: number) => {
    if (!open) return;
    diffRanges++;
    if (firstDiffs.length < maxRanges) {
      firstDiffs.push({
        startBytes: open.start * REGION_BYTES,
        endBytes: r * REGION_BYTES,
        model: CODE_LEVEL[open.pair >> 2] ?? null,
        machine: CODE_LEVEL[open.pair & 3] ?? null,
      });
    }
    open = null;
  };
  for (let r = 0; r < regions; r++) {
    const pair = a[r]! * 4 + b[r]!;
    pairCount[pair]!++;
    if (a[r] === b[r]) {
      if (a[r] === RL_NONE) bothUnmapped++;
      else agree++;
      close(r);
      continue;
    }
    status[r] = 1;
    if (open && open.pair !== pair) close(r);
    open ??= { start: r, pair };
  }
  close(regions);
  const pairs: LevelPair[] = [];
  for (let p = 0; p < 16; p++) {
    if (pairCount[p]! === 0 || (p >> 2 === 0 && (p & 3) === 0)) continue;
    pairs.push({
      model: CODE_LEVEL[p >> 2] ?? null,
      machine: CODE_LEVEL[p & 3] ?? null,
      regions: pairCount[p]!,
    });
  }
  const differs = (x: LevelPair) => (x.model === x.machine ? 1 : 0);
  pairs.sort((x, y) => differs(x) - differs(y) || y.regions - x.regions);
  const differ = regions - agree - bothUnmapped;
  const meminfo = reconcileMeminfo(meminfoOfModel(model), meminfoOfMachine(machinePieces));
  const summary = summarize(agree, differ, pairs, firstDiffs, meminfo);
  return {
    regions,
    agree,
    bothUnmapped,
    differ,
    status,
    pairs,
    firstDiffs,
    diffRanges,
    meminfo,
    summary,
  };
}

function meminfoOfMachine(pieces: readonly MapPiece[]): Meminfo {
  const m: Meminfo = { DirectMap4k: 0, DirectMap2M: 0, DirectMap1G: 0 };
  for (const p of pieces) {
    const k = (p.end - p.start) / 1024;
    if (p.level === '4K') m.DirectMap4k += k;
    else if (p.level === '2M') m.DirectMap2M += k;
    else m.DirectMap1G += k;
  }
  return m;
}

function summarize(
  agree: number,
  differ: number,
  pairs: readonly LevelPair[],
  firstDiffs: readonly DiffRange[],
  meminfo: MeminfoComparison,
): string[] {
  const mapped = agree + differ;
  const out: string[] = [];
  if (differ === 0) out.push(`model and machine agree on all ${mapped} mapped 2 MiB regions`);
  else {
    const pct = mapped ? ((100 * differ) / mapped).toFixed(differ * 1000 < mapped ? 2 : 1) : '0';
    out.push(`${differ} of ${mapped} mapped 2 MiB regions differ (${pct}%)`);
    for (const p of pairs.filter((x) => x.model !== x.machine).slice(0, 4)) {
      const size = (p.regions * REGION_BYTES) / GiB;
      out.push(
        `${p.regions} region(s) (${size >= 1 ? `${size.toFixed(1)} GiB` : `${p.regions * 2} MiB`}): model ${p.model ?? 'unmapped'}, machine ${p.machine ?? 'unmapped'}`,
      );
    }
    const first = firstDiffs[0];
    if (first) out.push(`first difference at ${rangeText(first)}`);
  }
  out.push(meminfo.explanation);
  return out;
}
