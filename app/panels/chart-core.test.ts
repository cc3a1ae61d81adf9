import { describe, expect, it } from 'vitest';
import { sampleAt, stepScale, thinIndices } from './chart-core';

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
