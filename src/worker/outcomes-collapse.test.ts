/**
 * The outcome log's collapsed rows from the engine (EngineHost.outcomes with collapse, issue 16):
 * a run of the same line is one row with its count, cut at maxStep, filtered by kind.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EngineHost } from './host';

const base = JSON.parse(
  readFileSync(
    new URL('../../public/scenarios/thread-2021-upstream.json', import.meta.url),
    'utf8',
  ),
) as { events: unknown[] };
const early = Array.from({ length: 1000 }, (_, i) => ({
  op: 'share',
  guest: 'vm',
  gpa: `0x${(i * 4096).toString(16)}`,
  size: '4K',
}));

describe('EngineHost.outcomes({ collapse })', () => {
  const h = new EngineHost();
  const r = h.load({ kind: 'scenario', scenario: { ...base, events: [...early, ...base.events] } });
  it('loads', () => expect(r.errors).toEqual([]));

  it('1,000 ignored events before the launch are one row; the outcomes are still counted', () => {
    const all = h.outcomes({ from: 0, count: 100 });
    const rows = h.outcomes({ from: 0, count: 100, collapse: true });
    expect(rows.rows[0]).toMatchObject({ kind: 'ignored', repeat: 1000, step: 1, lastStep: 1000 });
    expect(rows.rows[0]?.message).toMatch(/event ignored \(guest not running\)$/);
    expect(rows.total).toBe(all.total - 999);
    expect(rows.outcomes).toBe(all.total);
    expect(rows.rows.slice(1).every((x) => x.repeat === 1)).toBe(true);
  });

  it('cut at a step inside the run, the run counts only its outcomes up to it', () => {
    const cut = h.outcomes({ from: 0, count: 10, maxStep: 400, collapse: true });
    expect(cut.total).toBe(1);
    expect(cut.outcomes).toBe(400);
    expect(cut.rows[0]).toMatchObject({ repeat: 400, lastStep: 400 });
  });

  it('with ignored filtered out, the first row is the launch', () => {
    const kinds = ['launch', 'dm-split', 'psmash', 'rmp-fault', 'thp-split', 'exit'];
    const rows = h.outcomes({ from: 0, count: 10, kinds, collapse: true });
    expect(rows.rows[0]?.kind).toBe('launch');
  });
});
