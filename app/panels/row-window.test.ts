import { describe, expect, it } from 'vitest';
import { rowWindow } from './row-window';

describe('rowWindow', () => {
  it('renders the rows in view plus the overscan, clamped to the list', () => {
    expect(rowWindow(0, 220, 96, 22, 4)).toEqual({ first: 0, last: 14 });
    expect(rowWindow(22 * 50, 220, 96, 22, 4)).toEqual({ first: 46, last: 64 });
    expect(rowWindow(22 * 90, 220, 96, 22, 4)).toEqual({ first: 86, last: 96 });
  });

  it('reaches the last row once scrolled to the bottom, whatever the list length', () => {
    for (const total of [1, 65, 96, 1000]) {
      const view = 22 * 12;
      const bottom = Math.max(0, total * 22 - view);
      expect(rowWindow(bottom, view, total, 22, 4).last).toBe(total);
    }
  });

  it('is empty for an empty list', () => {
    expect(rowWindow(0, 300, 0, 22, 4)).toEqual({ first: 0, last: 0 });
  });
});
