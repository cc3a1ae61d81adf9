/**
 * A run's checkpoints: copies of the machine at some steps, in step order, within a memory
 * budget. The timeline decides when to take one and where they should be (timeline.ts); the
 * store keeps them, finds the one a seek restores, thins them when memory runs out, and recycles
 * the memory of dropped copies (copying into memory already touched is a memcpy; a fresh clone
 * faults in every page).
 */

/** What the store needs of a machine (Machine in src/machine/machine.ts). */
export interface Copyable<M> {
  readonly step: number;
  readonly log: { readonly counts: Float64Array };
  clone(): M;
  restoreFrom(src: M): void;
}

export interface Checkpoint<M> {
  step: number;
  /** null for step 0: booting the spec again restores it (no copy of the host is kept). */
  machine: M | null;
  /** The outcome counts at the step (a restored machine's log holds counts only). */
  counts: Float64Array;
  /** Placed by a respacing plan (the others are recycled as it goes). */
  planned?: boolean;
}

/** Memory all checkpoints of one run may hold, unless the caller says otherwise. */
export const CHECKPOINT_BUDGET_BYTES = 640 * 2 ** 20;

/**
 * A fixed spacing for a run of `steps` events on a host of `regions` 2 MiB regions: checkpoints
 * are whole machines (about 40 bytes a region), so keep their total near 2 GiB on a 16 TiB host,
 * with 8 to 64 of them, never closer than 64 events.
 */
export function checkpointIntervalFor(steps: number, regions: number): number {
  const perMachine = regions * 40;
  const maxCheckpoints = Math.max(8, Math.min(64, Math.floor(2 ** 31 / perMachine)));
  return Math.max(64, Math.ceil(steps / maxCheckpoints));
}

export class CheckpointStore<M extends Copyable<M>> {
  private readonly list: Checkpoint<M>[] = [];
  /** Machines of dropped checkpoints, reused for new ones. */
  private readonly spares: M[] = [];

  constructor(
    readonly budgetBytes: number,
    /** The outcome counts after boot (step 0's checkpoint). */
    bootCounts: Float64Array,
    /**
     * Machines the budget also pays for besides the checkpoints (the run's head and the seek
     * cursor, as the worker counts its heap): they grow with the run as the checkpoints do.
     */
    private readonly reserve = 0,
  ) {
    this.list.push({ step: 0, machine: null, counts: bootCounts });
  }

  get length(): number {
    return this.list.length;
  }

  /** Steps of the checkpoints, ascending (the first is 0). */
  steps(): number[] {
    return this.list.map((c) => c.step);
  }

  /** The latest checkpoint's step. */
  lastStep(): number {
    return this.list[this.list.length - 1]!.step;
  }

  /** The checkpoint at or before step s (step 0's when none is later). */
  before(s: number): Checkpoint<M> {
    const cps = this.list;
    let lo = 0;
    let hi = cps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (cps[mid]!.step <= s) lo = mid;
      else hi = mid - 1;
    }
    return cps[lo]!;
  }

  /**
   * A checkpoint of m after the latest one, in a spare's memory when there is one; returns its
   * machine (a fresh clone is packed, smaller than m: see RegionWords.clone()).
   */
  take(m: M): M {
    const spare = this.spares.pop();
    if (spare) spare.restoreFrom(m);
    const machine = spare ?? m.clone();
    this.list.push({ step: m.step, machine, counts: m.log.counts.slice() });
    return machine;
  }

  /**
   * Past the budget (at `bytes` a machine), drop the checkpoint whose neighbours are closest
   * (spacing stays even, so no seek replays much more than another); step 0 and the latest stay.
   * `extraBytes`: what the reserve holds beyond `reserve` machines of that size (the run's head
   * keeps released slots a packed checkpoint copy leaves out). Returns how many checkpoints the
   * budget holds and whether any was dropped.
   */
  thin(bytes: number, extraBytes = 0): { capacity: number; dropped: boolean } {
    const cps = this.list;
    const per = Math.max(1, bytes);
    const room = Math.max(0, this.budgetBytes - extraBytes);
    const capacity = Math.max(2, Math.floor(room / per) - this.reserve);
    let dropped = false;
    while (cps.length > capacity && cps.length > 2) {
      let drop = 1;
      let gap = Number.POSITIVE_INFINITY;
      for (let i = 1; i < cps.length - 1; i++) {
        const g = cps[i + 1]!.step - cps[i - 1]!.step;
        if (g < gap) {
          gap = g;
          drop = i;
        }
      }
      const [old] = cps.splice(drop, 1);
      // Spares only while spares and checkpoints together stay within the budget (a 16 TiB
      // machine is most of a GiB: two spares would double what the worker holds).
      const held = (cps.length + this.spares.length + 1 + this.reserve) * per + extraBytes;
      if (old?.machine && this.spares.length < 2 && held <= this.budgetBytes)
        this.spares.push(old.machine);
      dropped = true;
    }
    return { capacity, dropped };
  }

  /**
   * A planned checkpoint of w (a machine at a target step), in the memory of one that is not
   * part of the plan: one at or before it (the new one supersedes it), else the later one whose
   * neighbours are closest (as thinning would drop), else a fresh copy. `runSteps` is the run's
   * length (the gap after the last checkpoint ends there).
   */
  place(w: M, runSteps: number): void {
    const cps = this.list;
    const same = cps.find((c) => c.step === w.step);
    if (same) {
      same.planned = true;
      return;
    }
    let victim = cps.findIndex((c) => !c.planned && c.step > 0 && c.step < w.step);
    if (victim < 0) {
      let gap = Number.POSITIVE_INFINITY;
      for (let i = 1; i < cps.length; i++) {
        if (cps[i]!.planned) continue;
        const g = (cps[i + 1]?.step ?? runSteps) - cps[i - 1]!.step;
        if (g < gap) {
          gap = g;
          victim = i;
        }
      }
    }
    let machine: M;
    if (victim > 0) {
      const [old] = cps.splice(victim, 1);
      machine = old!.machine!;
      machine.restoreFrom(w);
    } else machine = w.clone();
    const at = cps.findIndex((c) => c.step > w.step);
    const cp = { step: w.step, machine, counts: w.log.counts.slice(), planned: true };
    cps.splice(at < 0 ? cps.length : at, 0, cp);
  }

  /** Drop what a plan did not place (their memory goes back to the heap); step 0 stays. */
  dropUnplanned(): void {
    const cps = this.list;
    for (let i = cps.length - 1; i > 0; i--) if (!cps[i]!.planned) cps.splice(i, 1);
  }
}
