/**
 * Frame statistics for the benchmark (bench/map.bench.spec.ts reads window.__fractureStats):
 * CPU time of each map draw, and when the first frame with data was drawn.
 */
export class FrameStats {
  /** Draw durations in ms, newest last (bounded). */
  readonly drawMs: number[] = [];
  draws = 0;
  /** performance.now() of the first draw after data arrived, or null. */
  firstDataFrameAt: number | null = null;
  private dataPending = false;

  markData(): void {
    if (this.firstDataFrameAt === null) this.dataPending = true;
  }

  /** Phase timings of draws over 16 ms (the most recent 50), to see what made them slow. */
  readonly slow: Record<string, number>[] = [];

  frame(ms: number, phases: Record<string, number>): void {
    this.draws++;
    if (ms > 16) {
      this.slow.push({ ms, ...phases });
      if (this.slow.length > 50) this.slow.shift();
    }
    this.drawMs.push(ms);
    if (this.drawMs.length > 10_000) this.drawMs.splice(0, 5_000);
    if (this.dataPending) {
      this.firstDataFrameAt = performance.now();
      this.dataPending = false;
    }
  }

  reset(): void {
    this.drawMs.length = 0;
    this.draws = 0;
  }
}
