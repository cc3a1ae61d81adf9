import { describe, expect, it } from 'vitest';
import { EngineHost } from './host';

describe('EngineHost', () => {
  it('answers a boot summary in /proc/meminfo format', () => {
    const s = new EngineHost().bootSummary(64 * 2 ** 30, true);
    expect(s.meminfoText).toContain('DirectMap4k:        2048 kB');
    expect(s.meminfoText).toContain('DirectMap1G:    66060288 kB');
  });
});
