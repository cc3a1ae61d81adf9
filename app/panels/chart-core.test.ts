import { describe, expect, it } from 'vitest';
import { sampleAt, stepScale, stepTicks, thinIndices } from './chart-core';

describe('thinIndices', () => {
  it('keeps every sample when each pixel column holds few', () => {
    const steps = Float64Array.from({ length: 50 }, (_, i) => i);
    const x = stepScale(49, 1000);
    expect(thinIndices(steps, 50, x, [(i) => i])).toEqual([...Array(50).keys()]);
  });

  it("keeps each crowded column's first, last, lowest and highest sample of every value", () => {
    const n = 4096;
    const steps = Float64Array.from({ length: n }, (_, i) => i);
    const x = stepScale(n - 1, 160); // ~100 px of plot: ~40 samples per column
    const spike = (i: number) => (i === 1234 ? 1000 : i === 2345 ? -1000 : 0);
    const idx = thinIndices(steps, n, x, [spike]);
    expect(idx.length).toBeLessThan(n / 5);
    expect(idx).toContain(1234);
    expect(idx).toContain(2345);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(n - 1);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    expect(new Set(idx).size).toBe(idx.length);
  });
});

describe('sampleAt', () => {
  const steps = [0, 5, 10, 20];
  it('finds the last sample at or before a step', () => {
    expect(sampleAt(steps, 4, 0)).toBe(0);
    expect(sampleAt(steps, 4, 7)).toBe(1);
    expect(sampleAt(steps, 4, 10)).toBe(2);
    expect(sampleAt(steps, 4, 99)).toBe(3);
    expect(sampleAt(steps, 4, -1)).toBe(-1);
  });
});

describe('stepTicks', () => {
  const spacing = (ticks: number[], x: (n: number) => number) =>
    Math.min(...ticks.slice(1).map((t, i) => x(t) - x(ticks[i] ?? 0)));

  it('keeps six ticks where the labels have room', () => {
    const x = stepScale(9, 600);
    expect(stepTicks(x).length).toBeGreaterThanOrEqual(5);
  });

  it('thins the ticks of a narrow chart until the widest label fits between two', () => {
    // many-guests-1t at 1024 px: 50,000 steps on a ~160 px plot ran "10,00020,000…" together.
    const x = stepScale(50_000, 220);
    const ticks = stepTicks(x);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(spacing(ticks, x)).toBeGreaterThanOrEqual('50,000'.length * 6.4 + 14);
  });

  it('counts the end label that is anchored inside the edge as closer to its neighbour', () => {
    // virtio-churn-1h at 1280 px: "150,000" and an end-anchored "200,000" touched.
    const x = stepScale(200_000, 320);
    const ticks = stepTicks(x);
    const last = ticks[ticks.length - 1] ?? 0;
    const widest = '200,000'.length * 6.4;
    const shift = Math.max(0, x(last) + widest / 2 - 320);
    expect(spacing(ticks, x) - shift).toBeGreaterThanOrEqual(widest + 14);
  });
});
