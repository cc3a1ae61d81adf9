/**
 * `sim sweep --jobs N`: a cell is a pure function of (scenario, kernel, backing), so a pool that
 * runs cells in any order on any worker must give exactly the serial sweep (issue 19: "results
 * identical to a serial sweep: same digests in any order").
 */
import { describe, expect, it } from 'vitest';
import { loadPreset } from '../scenario/index';
import { sweep } from '../sim/sweep';
import { sweepPool } from './pool';

describe('sweepPool gives the serial sweep, cell for cell, whatever the dispatch order', () => {
  const p = loadPreset('thread-2021');
  if (!p.ok) throw new Error('preset');
  const serial = sweep(p.scenario);
  const n = serial.length;
  it.each([
    ['as listed, 2 workers', 2, undefined],
    ['reversed, 3 workers', 3, [...Array(n).keys()].reverse()],
    ['interleaved, 2 workers', 2, [...Array(n).keys()].sort((a, b) => (a % 3) - (b % 3) || a - b)],
  ])('%s', async (_, jobs, order) => {
    const seen: number[] = [];
    const cells = await sweepPool(p.scenario, {
      jobs,
      order,
      onCell: (done) => seen.push(done),
    });
    expect(cells.map((c) => c.digest)).toEqual(serial.map((c) => c.digest));
    expect(cells).toEqual(serial);
    expect(seen).toEqual([...Array(n).keys()].map((i) => i + 1));
  });

  it('finishes without a progress callback (the count is kept either way)', async () => {
    const cells = await sweepPool(p.scenario, { jobs: 2 });
    expect(cells).toHaveLength(n);
  });
});
