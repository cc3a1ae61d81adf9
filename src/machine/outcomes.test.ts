import { describe, expect, it } from 'vitest';
import { OutcomeLog } from './outcomes';

describe('OutcomeLog (column-wise, chunked)', () => {
  it('keeps every row, in order, across chunk boundaries, and rewinds exactly', () => {
    const log = new OutcomeLog();
    const n = 40_000; // past two chunks of 16,384 rows
    for (let i = 0; i < n; i++)
      log.push(
        Math.floor(i / 3),
        i % 2 ? 'dm-split' : 'rmp-fault',
        0,
        i % 7,
        2 ** 40 + i,
        i,
        i * 4096,
      );
    expect(log.length).toBe(n);
    for (const i of [0, 1023, 1024, 16_383, 16_384, 32_767, 32_768, n - 1]) {
      const o = log.get(i);
      expect([o.step, o.kind, o.guest, o.pfn, o.detail, o.gpa]).toEqual([
        Math.floor(i / 3),
        i % 2 ? 'dm-split' : 'rmp-fault',
        i % 7,
        2 ** 40 + i,
        i,
        i * 4096,
      ]);
      expect(log.stepAt(i)).toBe(Math.floor(i / 3));
      expect(log.kindAt(i)).toBe(o.kind);
    }
    expect(log.lowerBound(10_000)).toBe(30_000);
    expect(log.count('dm-split')).toBe(n / 2);
    log.truncate(20_001);
    expect(log.length).toBe(20_001);
    expect(log.count('dm-split')).toBe(10_000);
    log.push(1, 'psmash', 0, 0, 5, 6);
    expect(log.get(20_001).kind).toBe('psmash');
  });

  it('a counts-only log counts without keeping rows', () => {
    const log = OutcomeLog.countsOnly(new OutcomeLog().counts);
    log.push(1, 'psmash', 0, 0, 5, 6);
    expect(log.length).toBe(0);
    expect(log.count('psmash')).toBe(1);
  });
});
