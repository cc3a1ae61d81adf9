import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fnv1a64 } from './digest';

describe('Fnv1a64', () => {
  it('hashes a number as the text String(n) would give, for any number', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 0, max: 2 ** 31 }),
          fc.maxSafeNat(),
          fc.double(),
          fc.constantFrom(-1, -0, 0, 2 ** 53, 1e21, Number.NaN),
        ),
        fc.string(),
        (n, prefix) => {
          const a = new Fnv1a64().update(prefix).updateNumber(n).hex();
          const b = new Fnv1a64().update(prefix).update(String(n)).hex();
          return a === b;
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps its value for an event text, whichever way the numbers are fed (digest contract)', () => {
    const fixed = '096bf8be8b24091c';
    expect(new Fnv1a64().update('share,0,4096,0,4096,user;').hex()).toBe(fixed);
    const h = new Fnv1a64().update('share,').updateNumber(0).update(',').updateNumber(4096);
    expect(h.update(',0,4096,user;').hex()).toBe(fixed);
  });
});
