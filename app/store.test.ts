import { describe, expect, it } from 'vitest';
import { speedFor } from './store';

describe('speedFor: a new run plays in about a minute', () => {
  it.each([
    [9, 2],
    [100, 2],
    [121, 5],
    [600, 10],
    [1800, 30],
    [5000, 100],
    [200_000, 1000],
    [1_000_000, 1000],
  ])('%i steps → %i steps/s', (steps, speed) => expect(speedFor(steps)).toBe(speed));
});
