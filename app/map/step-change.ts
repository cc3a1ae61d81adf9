/**
 * Finds, for each snapshot the map shows, what its step changed (changes.ts), asking the engine
 * for the step before's snapshot (unless the map showed it last) and for the cells of the first
 * MAX_CELL_REGIONS changed regions at both steps. Only the latest snapshot's answer is kept: a
 * scrub through 1,000 steps asks for what it lands on, not for each step passed.
 */
import {
  type CellDiff,
  changeText,
  diffCells,
  diffRegions,
  focusBox,
  MAX_CELL_REGIONS,
  type RegionDiff,
} from './changes';
import type { Loaded, MapSource } from './loader';
import type { Box } from './view-range';

export interface StepChange {
  /** Loaded.key of the snapshot it describes. */
  key: string;
  step: number;
  diff: RegionDiff;
  cells: CellDiff | null;
  /** "tile 0x200000 split to 4K; 1 page private". */
  text: string;
  /** Where the step acted (world cells), for the follow camera. */
  focus: Box | null;
  /** performance.now() when it became known (the marks' age starts there). */
  t0: number;
}

export class StepChanges {
  current: StepChange | null = null;
  private wanted = '';

  constructor(
    private readonly source: MapSource,
    private readonly label: (region: number) => string,
    private readonly onChange: (c: StepChange | null) => void,
  ) {}

  /**
   * A snapshot is on screen: find what its step changed. Not `full` (playing): only against the
   * snapshot shown before it when that is the step before, and without cells, so playback at
   * 100 steps/s asks the engine nothing more than the snapshots it shows.
   */
  loaded(next: Loaded, prev: Loaded | null, full = true): void {
    if (this.current?.key === next.key) return;
    this.wanted = next.key;
    this.current = null;
    // The previous step's words and marks are wrong for this one: clear them until it is known.
    this.onChange(null);
    if (next.step === 0) return;
    const adjacent =
      prev && prev.gen === next.gen && prev.space === next.space && prev.step === next.step - 1;
    if (!full && !adjacent) return;
    void this.find(next, adjacent ? prev.snap : null, full).catch(() => {
      // A failed request leaves no marks; the map itself reports engine failures.
    });
  }

  private async find(next: Loaded, before: Loaded['snap'] | null, full: boolean): Promise<void> {
    const s = this.source;
    const g = next.guest;
    const step = next.step;
    const a = before ?? (await (g === null ? s.snapshot(step - 1) : s.guestSnapshot(step - 1, g)));
    if (this.wanted !== next.key) return;
    const diff = diffRegions(a, next.snap);
    let cells: CellDiff | null = null;
    const regs = full ? diff.regions.slice(0, MAX_CELL_REGIONS) : [];
    if (regs.length > 0) {
      const [ca, cb] = await Promise.all(
        g === null
          ? [s.cellsAt(step - 1, regs), s.cellsAt(step, regs)]
          : [s.guestCellsAt(step - 1, g, regs), s.guestCellsAt(step, g, regs)],
      );
      if (this.wanted !== next.key) return;
      cells = diffCells(regs, ca, cb);
    }
    this.current = {
      key: next.key,
      step,
      diff,
      cells,
      text: changeText(diff, cells, this.label),
      focus: focusBox(next.layout, diff, cells),
      t0: performance.now(),
    };
    this.onChange(this.current);
  }
}
