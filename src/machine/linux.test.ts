import { describe, expect, it } from 'vitest';
import { linuxAtLeast, linuxOrder } from './linux';

describe('linux versions compare by major.minor, never as strings', () => {
  it.each([
    ['6.15', '6.15', true],
    ['6.9', '6.15', false],
    ['6.15', '6.9', true],
    ['6.12-rhel10', '6.12', true],
    ['5.17.3', '5.18', false],
    ['7.0', '6.15', true],
  ])('%s at least %s: %s', (v, min, want) => {
    expect(linuxAtLeast(v, min)).toBe(want);
  });
  it('an unparsable version orders before every real one', () => {
    expect(linuxOrder('next')).toBe(0);
  });
});
